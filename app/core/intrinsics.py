"""Intrinsic functions: CloudFormation's short-form YAML tags and the long-form keys they
stand for, telling a function call from data, and the logical ids a value refers to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_FUNCTIONS = (
    "And", "Base64", "Cidr", "Contains", "EachMemberEquals", "EachMemberIn", "Equals",
    "FindInMap", "GetAZs", "GetAtt", "If", "ImportValue", "Join", "Length", "Not", "Or",
    "RefAll", "Select", "Split", "Sub", "ToJsonString", "Transform", "ValueOf", "ValueOfAll",
)

#: ``!GetAtt`` -> ``Fn::GetAtt``; ``!Ref`` and ``!Condition`` keep their bare names.
TAG_TO_KEY: dict[str, str] = {f"!{name}": f"Fn::{name}" for name in _FUNCTIONS}
TAG_TO_KEY["!Ref"] = "Ref"
TAG_TO_KEY["!Condition"] = "Condition"

KEY_TO_TAG: dict[str, str] = {key: tag for tag, key in TAG_TO_KEY.items()}
_SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}]+)\}")

#: Tools such as Rain spell their directives as tags in YAML and as keys in JSON.
CUSTOM_TAG_PREFIXES = ("Rain::",)


def short_form(value: Any, custom_tags: frozenset[str] = frozenset()) -> tuple[str, Any] | None:
    """``{"Fn::Sub": "x"}`` -> ``("!Sub", "x")``; None if ``value`` is no intrinsic call
    that a short form can carry.

    ``Ref`` and ``Condition`` take only a name, so a mapping such as an IAM statement's
    ``Condition: {StringEquals: ...}`` is never mistaken for the function.
    """
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((key, argument),) = value.items()
    if not isinstance(argument, (str, list, dict)):
        return None  # a tagged scalar reads back as text: ``!GetAZs null`` is "null"
    tag = KEY_TO_TAG.get(key)
    if tag is not None:
        if key in ("Ref", "Condition") and not isinstance(argument, str):
            return None
        return tag, argument
    if key in custom_tags or key.startswith(CUSTOM_TAG_PREFIXES):
        return f"!{key}", argument
    return None


def is_intrinsic(value: Any) -> bool:
    """A one-key mapping calling a function (``Fn::If``, ``Ref``...) rather than data."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return key in ("Ref", "Condition") or key.startswith("Fn::")


def function_call(value: Any) -> tuple[str, Any] | None:
    """``{"Fn::GetAtt": [...]}`` -> ``("GetAtt", [...])``; None for plain data."""
    if not is_intrinsic(value):
        return None
    ((key, argument),) = value.items()
    return (key[4:] if key.startswith("Fn::") else key), argument


def references(value: Any) -> Iterator[tuple[str, str | None]]:
    """Every (logical id, attribute or None) that ``value`` refers to through ``Ref``,
    ``Fn::GetAtt`` or ``Fn::Sub``, at any depth."""
    if isinstance(value, list):
        for item in value:
            yield from references(item)
        return
    if not isinstance(value, dict):
        return
    if len(value) == 1:
        ((key, argument),) = value.items()
        if key == "Ref" and isinstance(argument, str):
            yield argument, None
            return
        if key == "Fn::GetAtt":
            if isinstance(argument, list) and argument and isinstance(argument[0], str):
                attribute = argument[1] if len(argument) > 1 and isinstance(argument[1], str) else None
                yield argument[0], attribute
            elif isinstance(argument, str):
                name, _, attribute = argument.partition(".")
                yield name, attribute or None
            return
        if key == "Fn::Sub":
            template, variables = (argument, {}) if isinstance(argument, str) else (
                (argument[0], argument[1]) if isinstance(argument, list) and len(argument) == 2 else ("", {}))
            local = set(variables) if isinstance(variables, dict) else set()
            if isinstance(template, str):
                for match in _SUB_VARIABLE.finditer(template):
                    name, _, attribute = match.group(1).strip().partition(".")
                    if name not in local:
                        yield name, attribute or None
            yield from references(variables if isinstance(variables, dict) else [])
            return
    for item in value.values():
        yield from references(item)


def reference_target(value: Any) -> str | None:
    """The logical id that a ``Ref`` or ``Fn::GetAtt`` (itself, not nested) points at."""
    call = function_call(value)
    if call is None or call[0] not in ("Ref", "GetAtt"):
        return None
    target = next(references(value), None)
    if target is None or target[0].startswith("AWS::"):
        return None
    return target[0]
