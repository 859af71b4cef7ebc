"""Profiles: which rules run, at what severity, which types are stateful and what their
data is worth, how CD1001/CD1002 rate each data class, and which components a template
must have.  Built-ins live in ``resources/profiles``; a user file
(``--profile path.yaml`` or ``.cfn-doctor.yaml`` beside the template) extends one."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from app.core import yaml_source
from app.core.errors import TemplateError
from app.core.findings import Severity
from app.core.source import Location, nearest
from resources import ROOT
from rules.catalog import (
    DataClass,
    OnDelete,
    PolicyState,
    Rating,
    SeverityTable,
    StatefulType,
    builtin_stateful_types,
    default_severities,
    rating,
    stateful_type,
)

PROFILE_DIR = ROOT / "profiles"
USER_FILE = ".cfn-doctor.yaml"
COMPONENTS = {"session-table": "a DynamoDB table for user sessions"}
_KEYS = {"name", "description", "extends", "rules", "stateful_types", "data_classes", "require"}
OFF = "off"  #: in ``data_classes``: no finding


@dataclass(frozen=True)
class Profile:
    name: str
    description: str = ""
    disabled: frozenset[str] = frozenset()
    severities: dict[str, Severity] = field(default_factory=dict)
    stateful_types: dict[str, StatefulType] = field(default_factory=builtin_stateful_types)
    data_classes: SeverityTable = field(default_factory=default_severities)
    required: tuple[str, ...] = ()

    def enabled(self, rule_id: str) -> bool:
        return rule_id not in self.disabled

    def severity(self, rule_id: str, default: Severity) -> Severity:
        return self.severities.get(rule_id, default)

    def policy_rating(self, data_class: DataClass, state: PolicyState, on_delete: OnDelete) -> Rating:
        """How CD1001/CD1002 rate a policy ``state`` on data of ``data_class`` (None: no finding)."""
        return rating(self.data_classes, data_class, state, on_delete)


def builtin_names() -> list[str]:
    return sorted(path.stem for path in PROFILE_DIR.glob("*.yaml"))


Fail = Callable[[str, str], TemplateError]  #: a located error at a JSON pointer of the profile file


def load(name_or_path: str, known_rules: frozenset[str] | None = None) -> Profile:
    """A built-in profile by name, or a profile file by path."""
    if name_or_path in builtin_names():
        return _load_file(str(PROFILE_DIR / f"{name_or_path}.yaml"), known_rules, extending=())
    if not os.path.exists(name_or_path):
        choices = ", ".join(builtin_names())
        raise TemplateError(name_or_path, 0, 0, f"no such profile (built-in profiles: {choices})")
    return _load_file(name_or_path, known_rules, extending=())


def user_profile_beside(template_path: str) -> str | None:
    candidate = os.path.join(os.path.dirname(os.path.abspath(template_path)), USER_FILE)
    return candidate if os.path.isfile(candidate) else None


def _load_file(path: str, known_rules: frozenset[str] | None, extending: tuple[str, ...]) -> Profile:
    """The profile in ``path``, on top of the one it extends; ``extending`` holds the real
    paths of the files that (transitively) extend this one, to catch a loop."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(path, 0, 0, f"cannot read profile: {error}") from None
    data, positions, _ = yaml_source.load(text, path) if text.strip() else ({}, None, None)
    if not isinstance(data, dict):
        raise TemplateError(path, 1, 1, "a profile must be a mapping")

    def fail(pointer: str, message: str) -> TemplateError:
        where = nearest(positions, pointer) if positions else Location(1, 1)
        return TemplateError(path, where.line, where.column, message)

    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise fail(f"/{unknown[0]}", f"unknown profile key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    chain = (*extending, os.path.realpath(path))
    parent = _parent_path(path, data, fail)
    if parent is None:
        base = Profile(name="default")
    elif os.path.realpath(parent) in chain:
        loop = chain[chain.index(os.path.realpath(parent)):] + (parent,)
        raise fail("/extends", f"profiles extend each other in a loop: {' -> '.join(map(os.path.basename, loop))}")
    else:
        base = _load_file(parent, known_rules, chain)
    return _extend(base, data, fail, known_rules, default_name=os.path.splitext(os.path.basename(path))[0])


def _parent_path(path: str, data: dict[str, Any], fail: Fail) -> str | None:
    """The file the profile in ``path`` extends: ``extends`` names a built-in profile or
    a file beside it; without ``extends`` every profile but ``default`` extends default."""
    parent = data.get("extends", "default" if os.path.basename(path) != "default.yaml" else None)
    if parent is None:
        return None
    if not isinstance(parent, str):
        raise fail("/extends", "extends names a built-in profile or a profile file")
    if parent in builtin_names():
        return str(PROFILE_DIR / f"{parent}.yaml")
    beside = os.path.join(os.path.dirname(path), parent)
    if not os.path.isfile(beside):
        raise fail("/extends", f"cannot extend {parent!r}: no such built-in profile or file")
    return beside


def _extend(base: Profile, data: dict[str, Any], fail: Fail, known_rules: frozenset[str] | None,
            default_name: str) -> Profile:
    disabled, severities = _rule_settings(base, data, fail, known_rules)
    return replace(
        base,
        name=str(data.get("name", default_name)),
        description=str(data.get("description", base.description)),
        disabled=disabled,
        severities=severities,
        stateful_types=_stateful_types(base, data, fail),
        data_classes=_data_classes(base, data, fail),
        required=_required(base, data, fail),
    )


def _rule_settings(base: Profile, data: dict[str, Any], fail: Fail,
                   known_rules: frozenset[str] | None) -> tuple[frozenset[str], dict[str, Severity]]:
    disabled = set(base.disabled)
    severities = dict(base.severities)
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise fail("/rules", "rules must map rule ids to settings")
    for rule_id, settings in rules.items():
        if known_rules is not None and rule_id not in known_rules:
            raise fail(f"/rules/{rule_id}", f"unknown rule {rule_id!r}")
        if not isinstance(settings, dict) or set(settings) - {"enabled", "severity"}:
            raise fail(f"/rules/{rule_id}", "a rule's settings are 'enabled' and 'severity'")
        if settings.get("enabled") is False:
            disabled.add(rule_id)
        elif settings.get("enabled") is True:
            disabled.discard(rule_id)
        if "severity" in settings:
            try:
                severities[rule_id] = Severity.parse(str(settings["severity"]))
            except ValueError as error:
                raise fail(f"/rules/{rule_id}/severity", str(error)) from None
    return frozenset(disabled), severities


def _stateful_types(base: Profile, data: dict[str, Any], fail: Fail) -> dict[str, StatefulType]:
    """The base's catalog with the profile's entries: a new type, or changes to a known one
    (``{class: record}`` keeps its kind and defaults)."""
    stateful = dict(base.stateful_types)
    extra = data.get("stateful_types") or {}
    if not isinstance(extra, dict):
        raise fail("/stateful_types", "stateful_types must map resource types to {kind, class, ...}")
    for type_name, entry in extra.items():
        if not isinstance(entry, dict):
            raise fail(f"/stateful_types/{type_name}", "a stateful type is a mapping such as {kind: ledger}")
        try:
            stateful[type_name] = stateful_type(entry, stateful.get(type_name))
        except ValueError as error:
            raise fail(f"/stateful_types/{type_name}", str(error)) from None
    return stateful


def _data_classes(base: Profile, data: dict[str, Any], fail: Fail) -> SeverityTable:
    """The base's severities by data class and policy state, with the profile's changes."""
    table = {data_class: dict(row) for data_class, row in base.data_classes.items()}
    changes = data.get("data_classes") or {}
    if not isinstance(changes, dict):
        raise fail("/data_classes", "data_classes maps record, rebuildable and transient to severities by state")
    classes = {data_class.value: data_class for data_class in DataClass}
    states = {state.value: state for state in PolicyState}
    for class_name, row in changes.items():
        if class_name not in classes:
            raise fail(f"/data_classes/{class_name}",
                       f"unknown data class {class_name!r} (known: {', '.join(classes)})")
        if not isinstance(row, dict):
            raise fail(f"/data_classes/{class_name}", f"{class_name} maps policy states to a severity or off")
        for state_name, value in row.items():
            where = f"/data_classes/{class_name}/{state_name}"
            if state_name not in states:
                raise fail(where, f"unknown policy state {state_name!r} (known: {', '.join(states)})")
            try:
                table[classes[class_name]][states[state_name]] = None if value == OFF else Severity.parse(str(value))
            except ValueError as error:
                raise fail(where, f"{error} or off") from None
    return table


def _required(base: Profile, data: dict[str, Any], fail: Fail) -> tuple[str, ...]:
    components = data.get("require") or []
    if not isinstance(components, list):
        raise fail("/require", f"require lists components (known: {', '.join(COMPONENTS)})")
    required = list(base.required)
    for index, component in enumerate(components):
        if component not in COMPONENTS:
            raise fail(f"/require/{index}", f"unknown component {component!r} (known: {', '.join(COMPONENTS)})")
        if component not in required:
            required.append(component)
    return tuple(required)


def for_template(option: str | None, template_path: str, known_rules: frozenset[str] | None = None) -> Profile:
    """The profile to use: ``--profile`` if given, else ``.cfn-doctor.yaml`` beside the
    template, else ``default``."""
    if option:
        return load(option, known_rules)
    beside = user_profile_beside(template_path)
    return load(beside or "default", known_rules)
