"""CloudFormation's short-form YAML tags and the long-form keys they stand for."""

from __future__ import annotations

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
