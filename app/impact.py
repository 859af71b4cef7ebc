"""Update impact: what deploying NEW over a stack deployed from OLD does to its resources
and their data, predicted offline from the two templates.

A replaced resource gets a new physical id; a create-only property that refers to it
(``Ref``/``GetAtt``/``Sub``) replaces its holder too, transitively.  What happens to the old
resource's data follows its ``DeletionPolicy`` (on removal) or ``UpdateReplacePolicy`` (on
replacement), with CloudFormation's defaults where the template says nothing.

Create-only properties are the resource schemas' (:func:`rules.schemas.create_only_properties`)
and the reviewed overlay ``resources/replacement_overlay.yaml``: properties AWS's documentation
says "Update requires: Replacement" that the schemas do not list.

A value that may or may not change is ``conditional``: a create-only property given by a
parameter whose default changed (a deploy that keeps the stack's value changes nothing), an
``Fn::If`` whose branches differ, a resource whose ``Condition`` decides whether it stays.
"""

from __future__ import annotations

import difflib
import json
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any, Literal

import yaml

from app.core.document import Document
from app.core.intrinsics import function_call, is_intrinsic, references
from resources import ROOT
from rules import template as tpl
from rules.catalog import OnDelete, StatefulType, in_cluster
from rules.context import Context
from rules.profiles import Profile
from rules.schemas import create_only_properties
from rules.values import ABSENT, UNKNOWN, Values, shown_value

Action = Literal["add", "modify", "replace", "remove"]
Replacement = Literal["always", "conditional"]
DataFate = Literal["lost", "retained", "snapshot", "none"]

# The defaults CloudFormation applies when a template sets no policy, from AWS's documentation:
# - DeletionPolicy (applies when a resource is removed from the template, or its stack deleted):
#   "If a resource has no DeletionPolicy attribute, CloudFormation deletes the resource by
#   default", with the exception that "the default policy is Snapshot for AWS::RDS::DBCluster
#   resources and for AWS::RDS::DBInstance resources that don't specify the DBClusterIdentifier
#   property".  The catalog's ``deletion_default`` says Snapshot for both types, and an instance
#   with a DBClusterIdentifier holds no data of its own (:func:`rules.catalog.in_cluster`).
# - UpdateReplacePolicy (applies when an update replaces a resource): CloudFormation creates the
#   replacement, points the other resources at it, and "by default, CloudFormation then deletes
#   the old resource": Delete, for every type.
DELETION_POLICY_DOCS = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html"
UPDATE_REPLACE_POLICY_DOCS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html")
REPLACE_POLICY_DEFAULT = "Delete"

#: a removed and an added resource of one type are a rename when at least this share of their
#: properties (by name, of both together) have the same value
RENAME_SIMILARITY = 2 / 3
OVERLAY = ROOT / "replacement_overlay.yaml"


@dataclass(frozen=True)
class Change:
    """What happens to one resource.  ``causes`` says why, in words ("DBSubnetGroupName:
    Ref LedgerSubnets, which is replaced"); ``notes`` what the user can do about it."""

    resource: str
    type: str
    action: Action
    replacement: Replacement | None
    causes: tuple[str, ...]
    data: DataFate
    renamed_to: str | None = None
    data_class: str | None = None  #: record, rebuildable or transient for a stateful type
    notes: tuple[str, ...] = ()
    #: what happens to the data, in words ("" when the resource holds none)
    data_reason: str = ""
    #: only some deploys do this (a parameter or a condition decides)
    conditional: bool = False
    #: for a replacement that cascades, the resources from the first one replaced to this one
    chain: tuple[str, ...] = ()
    #: where the resource is written in NEW (its loop for one that ``Fn::ForEach`` makes; the
    #: Resources section for a removed one), 1-based; 0 when the template has no such place
    line: int = 0
    column: int = 0

    @property
    def loses_data(self) -> bool:
        return self.data == "lost"


@dataclass(frozen=True)
class Impact:
    old: str  #: what OLD is, in words (a path, ``HEAD:path``)
    new: str
    changes: tuple[Change, ...]  #: data loss first; unchanged resources are not listed

    @property
    def loses_data(self) -> bool:
        return any(change.loses_data for change in self.changes)


def impact(old: Document, new: Document, profile: Profile, *, old_label: str = "", new_label: str = "") -> Impact:
    """The changes deploying ``new`` over a stack deployed from ``old`` makes."""
    planner = _Planner(_Template(old.data, profile), _Template(new.data, profile), profile)
    changes = [_located(change, new, planner.after) for change in planner.changes()]
    return Impact(old_label or old.path, new_label or new.path, tuple(sorted(changes, key=_order)))


# -- the overlay -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlayEntry:
    """A property that replaces its resource although the schema does not say so."""

    docs: str
    in_place: frozenset[tuple[str, str]] = frozenset()  #: (old, new) changes made in place, lower case
    unset: Replacement = "always"  #: what removing the property does
    note: str = ""


@lru_cache(maxsize=1)
def replacement_overlay() -> dict[str, dict[str, OverlayEntry]]:
    """The reviewed overlay: resource type -> property -> entry."""
    raw = yaml.safe_load(OVERLAY.read_text(encoding="utf-8"))
    return {resource_type: {name: _overlay_entry(entry) for name, entry in properties.items()}
            for resource_type, properties in raw.items()}


def _overlay_entry(entry: Mapping[str, Any]) -> OverlayEntry:
    pairs = frozenset((str(old).lower(), str(new).lower()) for old, new in entry.get("in_place", []))
    unset = entry.get("unset", "always")
    if unset not in ("always", "conditional"):
        raise ValueError(f"unset must be always or conditional, not {unset!r}")
    return OverlayEntry(str(entry["docs"]), pairs, unset, str(entry.get("note", "")))


@cache
def replacing_properties(resource_type: str) -> frozenset[str]:
    """Top-level properties whose change replaces a resource of this type."""
    return create_only_properties(resource_type) | frozenset(replacement_overlay().get(resource_type, {}))


# -- values ------------------------------------------------------------------------------------


def _same(left: Any, right: Any) -> bool:
    """Whether two template values are the same to CloudFormation: key order does not matter,
    and a scalar is its text (``5`` is ``"5"``, ``true`` is ``"true"``)."""
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(_getatt_list(left, key), _getatt_list(right, key))
                                                   for key in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, (dict, list)) or isinstance(right, (dict, list)):
        return False
    return bool(_text(left) == _text(right))


def _getatt_list(mapping: dict[str, Any], key: str) -> Any:
    """``Fn::GetAtt: "A.B"`` as ``["A", "B"]``, the form YAML's short tag gives."""
    value = mapping[key]
    return value.split(".", 1) if key == "Fn::GetAtt" and isinstance(value, str) else value


def _text(scalar: Any) -> Any:
    if isinstance(scalar, bool):
        return "true" if scalar else "false"
    if isinstance(scalar, (int, float)):
        return str(scalar)
    return scalar


def _shown(value: Any) -> str:
    """A value as a plan line spells it: ``'ledger'``, ``not set``, ``Ref Subnets``."""
    if value is ABSENT:
        return "not set"
    call = function_call(value)
    if call is None:
        if isinstance(value, (dict, list)):
            text = json.dumps(value, separators=(",", ":"), default=str)
            return text if len(text) <= 40 else text[:39] + "…"
        return shown_value(value)
    name, argument = call
    if name == "Ref":
        return f"Ref {argument}"
    if name == "GetAtt" and isinstance(argument, list):
        return f"GetAtt {'.'.join(map(str, argument))}"
    if name == "Sub":
        template = argument[0] if isinstance(argument, list) and argument else argument
        return f"Sub {_shown(template)}" if isinstance(template, str) else "Fn::Sub …"
    if name == "If" and isinstance(argument, list) and len(argument) == 3:
        return f"If [{argument[0]}, {_shown(argument[1])}, {_shown(argument[2])}]"
    return f"Fn::{name} …" if name != "Condition" else f"Condition {argument}"


def _change_words(name: str, old: Any, new: Any) -> str:
    containers = [value for value in (old, new) if isinstance(value, (dict, list)) and not is_intrinsic(value)]
    return f"{name} changed" if containers else f"{name}: {_shown(old)} → {_shown(new)}"


def _calls(value: Any) -> Iterator[tuple[str, Any]]:
    """Every intrinsic function call in ``value``, at any depth: (name, argument)."""
    call = function_call(value)
    if call is not None:
        yield call
    if isinstance(value, dict):
        for item in value.values():
            yield from _calls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _calls(item)


def _references(value: Any, under_if: bool = False) -> Iterator[tuple[str, str | None, bool]]:
    """(logical id, attribute, whether only an ``Fn::If`` branch refers) for each reference."""
    call = function_call(value)
    if call is not None and call[0] == "If" and isinstance(call[1], list) and len(call[1]) == 3:
        for branch in call[1][1:]:
            yield from _references(branch, True)
    elif call is not None and call[0] in ("Ref", "GetAtt", "Sub"):
        for name, attribute in references(value):
            yield name, attribute, under_if
    elif isinstance(value, dict):
        for item in value.values():
            yield from _references(item, under_if)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item, under_if)


def _reference_words(name: str, attribute: str | None) -> str:
    return f"Ref {name}" if attribute is None else f"GetAtt {name}.{attribute}"


# -- the two templates ------------------------------------------------------------------------


class _Template:
    """One side of the update: its resources (``Fn::ForEach`` loops expanded) and what its
    values can be."""

    def __init__(self, data: dict[str, Any], profile: Profile) -> None:
        self.context = Context(data, profile)
        self.resources = self.context.resources
        self.values: Values = self.context.values
        self.parameters = tpl.parameters(data)
        self.conditions = _section(data, "Conditions")
        self.mappings = _section(data, "Mappings")

    def literals(self, value: Any) -> list[Any] | None:
        """Every value a deploy can give ``value``; None when only a deploy can tell."""
        if value is ABSENT:
            return [ABSENT]
        found = [outcome.value for outcome in self.values.outcomes(value)]
        return None if any(item is UNKNOWN for item in found) else found

    def condition_words(self, name: str) -> str:
        holds = self.values.condition_default(name)
        by_default = "" if holds is None else f" ({name} is {'true' if holds else 'false'} by default)"
        return f"deploys where {name} is false delete it{by_default}"


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    section = data.get(name)
    return section if isinstance(section, dict) else {}


@dataclass(frozen=True)
class _Outside:
    """What changed outside the Resources section that values inside it depend on."""

    defaults: dict[str, tuple[Any, Any]]  #: parameter -> (old default, new default), None for none
    conditions: frozenset[str]  #: conditions whose value may differ
    mappings: frozenset[str]

    @classmethod
    def between(cls, before: _Template, after: _Template) -> _Outside:
        defaults = {name: (_default(before.parameters[name]), _default(declared))
                    for name, declared in after.parameters.items()
                    if name in before.parameters and not _same(_default(before.parameters[name]), _default(declared))}
        mappings = frozenset(name for name, table in after.mappings.items()
                             if not _same(before.mappings.get(name), table))
        return cls(defaults, _changed_conditions(before, after, defaults), mappings)

    def causes(self, value: Any) -> list[str]:
        """Why ``value``, written the same in both templates, may be deployed differently."""
        found: list[str] = []
        for name, attribute in references(value):
            if attribute is None and name in self.defaults:
                old, new = self.defaults[name]
                found.append(f"Ref {name}, whose default changed from {_default_words(old)} to {_default_words(new)}")
        for function, argument in _calls(value):
            if not isinstance(argument, list) or not argument or not isinstance(argument[0], str):
                continue
            if function == "If" and argument[0] in self.conditions:
                found.append(f"Fn::If on {argument[0]}, whose condition changed")
            elif function == "FindInMap" and argument[0] in self.mappings:
                found.append(f"Fn::FindInMap on {argument[0]}, which changed")
        return list(dict.fromkeys(found))


def _default(declared: Any) -> Any:
    return declared.get("Default") if isinstance(declared, dict) else None


def _default_words(default: Any) -> str:
    return "none" if default is None else shown_value(default)


def _changed_conditions(before: _Template, after: _Template, defaults: Mapping[str, Any]) -> frozenset[str]:
    """Conditions defined differently, or on a parameter whose default or a condition that changed."""
    changed = {name for name, definition in after.conditions.items()
               if name not in before.conditions or not _same(before.conditions[name], definition)
               or any(ref in defaults for ref, _ in references(definition))}
    growing = True
    while growing:
        more = {name for name, definition in after.conditions.items() if name not in changed
                and any(call == "Condition" and argument in changed for call, argument in _calls(definition))}
        changed |= more
        growing = bool(more)
    return frozenset(changed)


# -- the plan ----------------------------------------------------------------------------------

_RANK: dict[Replacement, int] = {"conditional": 1, "always": 2}
_WORST: dict[DataFate, int] = {"none": 0, "retained": 1, "snapshot": 2, "lost": 3}


@dataclass
class _Replaced:
    level: Replacement
    causes: list[str]
    chain: tuple[str, ...]


@dataclass(frozen=True)
class _Edge:
    """``holder``'s property ``prop`` refers to another resource (``words``: ``Ref X``)."""

    holder: str
    prop: str
    words: str
    conditional: bool
    replacing: bool


@dataclass(frozen=True)
class _Fate:
    data: DataFate
    reason: str = ""
    notes: tuple[str, ...] = ()
    conditional: bool = False


@dataclass
class _Planner:
    before: _Template
    after: _Template
    profile: Profile
    outside: _Outside = field(init=False)

    def __post_init__(self) -> None:
        self.outside = _Outside.between(self.before, self.after)

    def changes(self) -> Iterator[Change]:
        removed = [name for name in self.before.resources if name not in self.after.resources]
        added = [name for name in self.after.resources if name not in self.before.resources]
        renames = _renames(self.before, self.after, removed, added)
        common = [name for name in self.after.resources if name in self.before.resources]
        edges = self._edges(common)
        replaced = self._cascade(edges, {name: found for name in common if (found := self._direct(name))})
        for name in removed:
            yield self._removal(name, renames.get(name))
        renamed_from = {new: old for old, new in renames.items()}
        for name in added:
            yield self._addition(name, renamed_from.get(name))
        readers = self._readers(edges, replaced)
        for name in common:
            change = self._update(name, replaced.get(name), readers)
            if change is not None:
                yield change

    # -- replacements ------------------------------------------------------------------------
    def _direct(self, name: str) -> _Replaced | None:
        """Why ``name`` itself is replaced: its Type, or a create-only property, changes."""
        old_body, new_body = self.before.resources[name], self.after.resources[name]
        if old_body["Type"] != new_body["Type"]:
            return _Replaced("always", [f"Type: {old_body['Type']} → {new_body['Type']}"], (name,))
        found = [verdict for verdict in self._replacing_changes(new_body["Type"], old_body, new_body) if verdict]
        if not found:
            return None
        level = max((level for level, _ in found), key=_RANK.__getitem__)
        causes = [cause for found_level, cause in found if found_level == "always"] + [
            cause for found_level, cause in found if found_level == "conditional"]
        return _Replaced(level, causes, (name,))

    def _replacing_changes(self, resource_type: str, old_body: dict[str, Any],
                           new_body: dict[str, Any]) -> Iterator[tuple[Replacement, str] | None]:
        old_raw, new_raw = old_body.get("Properties"), new_body.get("Properties")
        if (is_intrinsic(old_raw) or is_intrinsic(new_raw)) and not _same(old_raw, new_raw):
            yield "conditional", f"Properties: {_shown(old_raw)} → {_shown(new_raw)}"
            return
        old_props, new_props = tpl.properties(old_body), tpl.properties(new_body)
        replacing = replacing_properties(resource_type)
        for prop in dict.fromkeys([*old_props, *new_props]):
            if prop in replacing:
                yield self._replacing_change(resource_type, prop, old_props.get(prop, ABSENT),
                                             new_props.get(prop, ABSENT))

    def _replacing_change(self, resource_type: str, prop: str, old: Any, new: Any) -> tuple[Replacement, str] | None:
        same = _same(old, new)
        outside = self.outside.causes(new) if same else []
        if same and not outside:
            return None
        entry = replacement_overlay().get(resource_type, {}).get(prop)
        level = self._level(old, new, entry, same=same)
        if level is None:
            return None
        cause = f"{prop}: {', '.join(outside)}" if same else _change_words(prop, old, new)
        if level == "conditional" and entry is not None and entry.note and new is ABSENT:
            cause += f" ({entry.note})"
        return level, cause

    def _level(self, old: Any, new: Any, entry: OverlayEntry | None, *, same: bool) -> Replacement | None:
        """Whether changing a create-only property from ``old`` to ``new`` replaces always,
        in some deploys, or never (every value a deploy can give is the same)."""
        before, after = self.before.literals(old), self.after.literals(new)
        if before is None or after is None:
            if same or self._chosen_by_deploy(old, new):
                return "conditional"
            # written differently from the same resource attributes and pseudo parameters
            # (``Sub '${AWS::StackName}-a'`` -> ``-b``), or naming another resource
            return "always"
        pairs = [(left, right) for left in before for right in after if not _same(left, right)]
        if not pairs:
            return None
        verdicts = {_pair_verdict(entry, left, right) for left, right in pairs}
        if verdicts == {"in_place"}:
            return None
        if verdicts != {"replace"} or len(pairs) < len(before) * len(after):
            return "conditional"
        return "always"

    def _chosen_by_deploy(self, old: Any, new: Any) -> bool:
        """Whether a deploy's parameters or conditions decide either value."""
        parameters = self.before.parameters.keys() | self.after.parameters.keys()
        return any(name in parameters for value in (old, new) for name, _ in references(value)) or any(
            call in ("If", "FindInMap") for value in (old, new) for call, _ in _calls(value))

    def _edges(self, common: list[str]) -> dict[str, list[_Edge]]:
        """For each resource, the references to it from the properties of the resources both
        templates have."""
        edges: dict[str, list[_Edge]] = {}
        for holder in common:
            body = self.after.resources[holder]
            replacing = replacing_properties(body["Type"])
            for prop, value in tpl.properties(body).items():
                for target, attribute, conditional in dict.fromkeys(_references(value)):
                    if target != holder and target in self.after.resources:
                        edge = _Edge(holder, prop, _reference_words(target, attribute), conditional, prop in replacing)
                        edges.setdefault(target, []).append(edge)
        return edges

    def _cascade(self, edges: Mapping[str, list[_Edge]], direct: dict[str, _Replaced]) -> dict[str, _Replaced]:
        """``direct`` and every resource a create-only property of which refers to a replaced
        one, transitively; a resource replaced by every path from an ``always`` is ``always``."""
        replaced = dict(direct)
        queue = deque(direct)
        while queue:
            target = queue.popleft()
            source = replaced[target]
            for edge in edges.get(target, []):
                if not edge.replacing:
                    continue
                level: Replacement = "conditional" if edge.conditional or source.level == "conditional" else "always"
                via = f" ({' → '.join(source.chain)})" if len(source.chain) > 1 else ""
                cause = f"{edge.prop}: {edge.words}, which is replaced{via}"
                current = replaced.get(edge.holder)
                if current is None or _RANK[level] > _RANK[current.level]:
                    causes = [cause, *(current.causes if current else [])]
                    replaced[edge.holder] = _Replaced(level, causes, (*source.chain, edge.holder))
                    queue.append(edge.holder)
                elif cause not in current.causes:
                    current.causes.append(cause)
        return replaced

    # -- one change each ---------------------------------------------------------------------
    def _update(self, name: str, replaced: _Replaced | None, readers: Mapping[str, list[str]]) -> Change | None:
        old_body, new_body = self.before.resources[name], self.after.resources[name]
        attributes = self._attribute_changes(name, old_body, new_body)
        condition = self._condition_change(old_body, new_body)
        if replaced is not None:
            fate = self._replacement_fate(name, old_body, new_body)
            retyped = [_RETYPED.format(name=name)] if old_body["Type"] != new_body["Type"] else []
            notes = (*retyped, *fate.notes, *attributes, *([condition[0]] if condition else []))
            return self._change(name, old_body, "replace", tuple(replaced.causes), fate, replacement=replaced.level,
                                notes=notes, chain=replaced.chain if len(replaced.chain) > 1 else ())
        if condition is not None and condition[1]:
            fate = self._conditional_removal_fate(name, old_body, new_body)
            return self._change(name, old_body, "remove", (condition[0], *attributes), fate, conditional=True,
                                notes=fate.notes)
        modified = [*self._modifications(old_body, new_body), *readers.get(name, []), *attributes,
                    *([condition[0]] if condition else [])]
        if not modified:
            return None
        return self._change(name, new_body, "modify", tuple(dict.fromkeys(modified)), _Fate("none"))

    def _modifications(self, old_body: dict[str, Any], new_body: dict[str, Any]) -> Iterator[str]:
        """What changes in place (create-only properties too: a change the service makes in
        place, or to the same values, replaces nothing)."""
        old_props, new_props = tpl.properties(old_body), tpl.properties(new_body)
        for prop in dict.fromkeys([*old_props, *new_props]):
            old, new = old_props.get(prop, ABSENT), new_props.get(prop, ABSENT)
            if not _same(old, new):
                yield _change_words(prop, old, new)
            elif outside := self.outside.causes(new):
                yield f"{prop}: {', '.join(outside)}"
        for attribute in ("Metadata", "UpdatePolicy", "CreationPolicy"):
            if not _same(old_body.get(attribute), new_body.get(attribute)):
                yield f"{attribute} changed"

    @staticmethod
    def _readers(edges: Mapping[str, list[_Edge]], replaced: Mapping[str, _Replaced]) -> dict[str, list[str]]:
        """For each resource, its other properties that refer to a replaced resource: their
        value changes (a new physical id, a new ARN)."""
        readers: dict[str, list[str]] = {}
        for target in replaced:
            for edge in edges.get(target, []):
                if not edge.replacing:
                    readers.setdefault(edge.holder, []).append(f"{edge.prop}: {edge.words}, which is replaced")
        return readers

    def _attribute_changes(self, name: str, old_body: dict[str, Any], new_body: dict[str, Any]) -> list[str]:
        """Lines for changed DeletionPolicy and UpdateReplacePolicy values."""
        stateful = self._stateful(old_body)
        lines = []
        for attribute in ("DeletionPolicy", "UpdateReplacePolicy"):
            old, new = old_body.get(attribute), new_body.get(attribute)
            if _same(old, new):
                outside = self.outside.causes(new)
                if not outside:
                    continue
                line = f"{attribute}: {', '.join(outside)}"
            else:
                line = f"{attribute}: {_policy_words(old)} → {_policy_words(new)}"
            deletes = _worst_policy(self.after, new, self._default_policy(attribute, old_body))[0] == "Delete"
            if stateful is not None and not in_cluster(new_body) and deletes:
                kind = stateful.kind
                line += (f": removing {name} from the template, or deleting the stack, now deletes the {kind} and "
                         "its data" if attribute == "DeletionPolicy" else
                         f": an update that replaces {name} now deletes the old {kind} and its data")
            lines.append(line)
        return lines

    def _condition_change(self, old_body: dict[str, Any], new_body: dict[str, Any]) -> tuple[str, bool] | None:
        """A changed ``Condition`` in words, and whether NEW may delete the resource: a new
        condition, or one that a deploy with the parameters' defaults no longer meets."""
        old, new = old_body.get("Condition"), new_body.get("Condition")
        if not isinstance(new, str):
            return (f"Condition: {old} → none: every deploy now has it", False) if isinstance(old, str) else None
        if not isinstance(old, str):
            return f"Condition: none → {new}: {self.after.condition_words(new)}", True
        changed = new in self.outside.conditions
        if old != new and not changed and _same(self.before.conditions.get(old), self.after.conditions.get(new)):
            return f"Condition: {old} → {new}, defined the same", False
        if old == new and not changed:
            return None
        if old == new:
            dropped = (self.after.values.condition_default(new) is False
                       and self.before.values.condition_default(old) is not False)
            return f"Condition {new} changed: {self.after.condition_words(new)}", dropped
        return f"Condition: {old} → {new}: {self.after.condition_words(new)}", True

    def _removal(self, name: str, renamed_to: str | None) -> Change:
        body = self.before.resources[name]
        fate = self._removal_fate(name, body)
        causes: list[str] = []
        notes = list(fate.notes)
        if renamed_to is not None:
            kind = self._kind(body)
            causes.append(f"renamed to {renamed_to}: CloudFormation deletes {name} and creates {renamed_to}, "
                          f"a new, empty {kind}")
            if fate.data != "none":
                notes = [f"To keep the data, keep the logical id {name}; or set DeletionPolicy: Retain on {name} and "
                         f"deploy, then remove it from the template and import the {kind} into the stack as "
                         f"{renamed_to} (resource import)"]
        else:
            causes.append("removed from the template")
        condition = body.get("Condition")
        conditional = isinstance(condition, str) and self.before.values.condition_default(condition) is not True
        if conditional:
            causes.append(f"only if it exists: Condition {condition} decides")
        return self._change(name, body, "remove", tuple(causes), fate, renamed_to=renamed_to, notes=tuple(notes),
                            conditional=conditional)

    def _addition(self, name: str, renamed_from: str | None) -> Change:
        body = self.after.resources[name]
        causes = [f"the new logical id of {renamed_from}: created new and empty"] if renamed_from else []
        condition = body.get("Condition")
        if isinstance(condition, str):
            causes.append(f"only in deploys where {condition} is true")
        return self._change(name, body, "add", tuple(causes), _Fate("none"), conditional=isinstance(condition, str))

    def _change(self, name: str, body: dict[str, Any], action: Action, causes: tuple[str, ...], fate: _Fate, *,
                replacement: Replacement | None = None, renamed_to: str | None = None, notes: tuple[str, ...] = (),
                conditional: bool = False, chain: tuple[str, ...] = ()) -> Change:
        stateful = self._stateful(body)
        return Change(
            resource=name, type=str(body["Type"]), action=action, replacement=replacement, causes=causes,
            data=fate.data, renamed_to=renamed_to, data_class=stateful.data_class.value if stateful else None,
            notes=tuple(dict.fromkeys(map(_sentence, notes))), data_reason=_sentence(fate.reason),
            conditional=conditional or replacement == "conditional" or fate.conditional, chain=chain,
        )

    # -- data --------------------------------------------------------------------------------
    def _stateful(self, body: dict[str, Any]) -> StatefulType | None:
        return self.profile.stateful_types.get(str(body["Type"]))

    def _kind(self, body: dict[str, Any]) -> str:
        stateful = self._stateful(body)
        return stateful.kind if stateful else "resource"

    def _default_policy(self, attribute: str, body: dict[str, Any]) -> str:
        stateful = self._stateful(body)
        if attribute == "UpdateReplacePolicy" or stateful is None:
            return REPLACE_POLICY_DEFAULT
        return stateful.deletion_default

    def _removal_fate(self, name: str, body: dict[str, Any], side: _Template | None = None) -> _Fate:
        """What removing ``name`` from the stack does to its data: its DeletionPolicy (OLD's,
        the one the stack has, unless ``side`` says otherwise)."""
        stateful = self._stateful(body)
        if stateful is None:
            return _Fate("none")
        if in_cluster(body):
            return _Fate("none", _CLUSTER_MEMBER)
        policy, when = _worst_policy(side or self.before, body.get("DeletionPolicy"), stateful.deletion_default)
        said = _said("DeletionPolicy", body.get("DeletionPolicy"), policy, when)
        kind = stateful.kind
        if policy == "Snapshot":
            return _Fate("snapshot", f"CloudFormation takes a final snapshot, then deletes the {kind} ({said}); "
                                     f"restoring the snapshot makes a new {kind}")
        if policy in ("Retain", "RetainExceptOnCreate"):
            return _Fate("retained", f"the {kind} and its data stay, but the stack no longer manages it ({said})")
        return _deleted(name, stateful, said, DELETION_POLICY_DOCS, "DeletionPolicy", on_removal=True,
                        conditional=bool(when))

    def _conditional_removal_fate(self, name: str, old_body: dict[str, Any], new_body: dict[str, Any]) -> _Fate:
        """What a deploy that no longer meets the resource's condition does to its data: the
        worse of OLD's and NEW's DeletionPolicy when this deploy changes it."""
        before = self._removal_fate(name, old_body)
        if _same(old_body.get("DeletionPolicy"), new_body.get("DeletionPolicy")):
            return before
        after = self._removal_fate(name, new_body, self.after)
        if after.data == before.data:
            return before
        worse = after if _WORST[after.data] > _WORST[before.data] else before
        note = _same_deploy_note("DeletionPolicy", old_body, new_body, better=worse is before)
        return replace(worse, notes=(note, *worse.notes))

    def _replacement_fate(self, name: str, old_body: dict[str, Any], new_body: dict[str, Any]) -> _Fate:
        """What replacing ``name`` does to the old resource's data: its UpdateReplacePolicy
        (NEW's; OLD's too when the two differ, as the worse of them is what to expect)."""
        stateful = self._stateful(old_body)
        if stateful is None:
            return _Fate("none")
        if in_cluster(old_body):
            return _Fate("none", _CLUSTER_MEMBER)
        kind = stateful.kind
        old_policy, new_policy = old_body.get("UpdateReplacePolicy"), new_body.get("UpdateReplacePolicy")
        policy, when = _worst_policy(self.after, new_policy, REPLACE_POLICY_DEFAULT)
        notes: tuple[str, ...] = ()
        if not _same(old_policy, new_policy):
            before = _worst_policy(self.before, old_policy, REPLACE_POLICY_DEFAULT)
            if _fate_of(before[0]) != _fate_of(policy):
                better = _WORST[_fate_of(before[0])] > _WORST[_fate_of(policy)]
                notes = (_same_deploy_note("UpdateReplacePolicy", old_body, new_body, better=better),)
                if better:
                    policy, when = before
        said = _said("UpdateReplacePolicy", new_policy, policy, when)
        pointed = f"the application now points at a new, empty {kind}"
        if policy == "Snapshot":
            return _Fate("snapshot", f"CloudFormation snapshots the old {kind}, then deletes it ({said}); {pointed}, "
                                     "and restoring the snapshot makes yet another one", notes)
        if policy == "Retain":
            return _Fate("retained", f"the old {kind} and its data stay, but the stack no longer manages it ({said}); "
                                     f"{pointed}", notes)
        fate = _deleted(name, stateful, said, UPDATE_REPLACE_POLICY_DOCS, "UpdateReplacePolicy", on_removal=False,
                        conditional=bool(when))
        return _Fate(fate.data, fate.reason, (*notes, *fate.notes), fate.conditional)



#: CloudFormation rejects a stack update that changes a resource's Type ("Update of resource type
#: is not permitted"): the change is deployed as a new logical id, a removal and an addition
_RETYPED = ("CloudFormation refuses to change the Type of {name} in place: deploying this means giving it a new "
            "logical id, which removes {name} by its DeletionPolicy")
_CLUSTER_MEMBER = "an instance of a cluster: the cluster holds the data"
_POLICY_FATE: dict[str, DataFate] = {"Delete": "lost", "Snapshot": "snapshot", "Retain": "retained",
                                     "RetainExceptOnCreate": "retained"}


def _same_deploy_note(attribute: str, old_body: dict[str, Any], new_body: dict[str, Any], *, better: bool) -> str:
    """Which of two policies CloudFormation applies when the deploy that changes the policy also
    removes or replaces the resource is not certain: the worse is counted, and said so."""
    change = f"{_policy_words(old_body.get(attribute))} → {_policy_words(new_body.get(attribute))}"
    advice = ("deploy the new policy on its own first, so that it applies" if better else
              "the new policy may apply already")
    return f"{attribute} changes in this same deploy ({change}), and the worse of the two is counted: {advice}"


def _fate_of(policy: str) -> DataFate:
    """What a policy value does to the data (a value CloudFormation does not know: the worst)."""
    return _POLICY_FATE.get(policy, "lost")


def _deleted(name: str, stateful: StatefulType, said: str, docs: str, attribute: str, *, on_removal: bool,
             conditional: bool) -> _Fate:
    """The fate of data that CloudFormation deletes, by what the service does on delete."""
    kind = stateful.kind
    pointed = "" if on_removal else f"; the application now points at a new, empty {kind}"
    remedy = (f"To keep the data, set {attribute}: Retain{' (or Snapshot)' if stateful.snapshot else ''} on {name} "
              f"and deploy that first, on its own ({docs})")
    if stateful.on_delete is OnDelete.ONLY_IF_EMPTY:
        reason = (f"CloudFormation deletes the {kind} only if it is empty: one that holds data stays behind, "
                  f"outside the stack, and the clean-up fails ({said}){pointed}")
        return _Fate("retained", reason, conditional=conditional)
    if stateful.on_delete is OnDelete.SCHEDULED:
        reason = (f"the {kind} is scheduled for deletion ({said}): once its waiting period ends, everything "
                  f"encrypted with it can never be decrypted{pointed}")
    elif stateful.on_delete is OnDelete.CASCADES:
        reason = f"{name} is deleted with every resource in it that its own template does not retain ({said})"
    else:
        reason = f"the {'old ' if not on_removal else ''}{kind} and its data are deleted ({said}){pointed}"
    return _Fate("lost", reason, (remedy,), conditional)


def _worst_policy(side: _Template, policy: Any, default: str) -> tuple[str, str]:
    """The policy value that keeps least, of all a deploy can give, and when ("" always)."""
    if policy is None:
        return default, ""
    if not is_intrinsic(policy):
        return str(policy), ""
    worst: tuple[str, str] | None = None
    for outcome in side.values.outcomes(policy):
        value = default if outcome.value is ABSENT else "Delete" if outcome.value is UNKNOWN else str(outcome.value)
        found = (value, outcome.when)
        if worst is None or _WORST[_fate_of(value)] > _WORST[_fate_of(worst[0])]:
            worst = found
    return worst or (default, "")


def _said(attribute: str, written: Any, policy: str, when: str) -> str:
    if written is None:
        return f"no {attribute}: CloudFormation's default, {policy}"
    return f"{attribute}: {policy}{f' {when}' if when else ''}"


def _policy_words(policy: Any) -> str:
    return "not set" if policy is None else policy if isinstance(policy, str) else _shown(policy)


def _sentence(text: str) -> str:
    """``the table is deleted`` -> ``The table is deleted.``"""
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _pair_verdict(entry: OverlayEntry | None, old: Any, new: Any) -> str:
    if entry is None:
        return "replace"
    if isinstance(old, str) and isinstance(new, str) and (old.lower(), new.lower()) in entry.in_place:
        return "in_place"
    if new is ABSENT and entry.unset == "conditional":
        return "maybe"
    return "replace"


def _renames(before: _Template, after: _Template, removed: list[str], added: list[str]) -> dict[str, str]:
    """Removed resource -> the added one of the same type with (nearly) the same properties."""
    candidates = []
    for old in removed:
        old_body = before.resources[old]
        for new in added:
            new_body = after.resources[new]
            if old_body["Type"] != new_body["Type"]:
                continue
            score = _similarity(tpl.properties(old_body), tpl.properties(new_body))
            if score >= RENAME_SIMILARITY:
                candidates.append((-score, -difflib.SequenceMatcher(None, old, new).ratio(), old, new))
    renames: dict[str, str] = {}
    taken: set[str] = set()
    for _, _, old, new in sorted(candidates):
        if old not in renames and new not in taken:
            renames[old] = new
            taken.add(new)
    return renames


def _similarity(old: Mapping[str, Any], new: Mapping[str, Any]) -> float:
    names = old.keys() | new.keys()
    if not names:
        return 1.0
    return sum(1 for name in names if name in old and name in new and _same(old[name], new[name])) / len(names)


_ACTION_ORDER: dict[str, int] = {"remove": 0, "replace": 1, "modify": 2, "add": 3}


def _order(change: Change) -> tuple[bool, bool, int, str]:
    """Data loss first (certain before conditional), then removals, replacements, updates, additions."""
    return not change.loses_data, change.loses_data and change.conditional, _ACTION_ORDER[change.action], \
        change.resource


def _located(change: Change, new: Document, after: _Template) -> Change:
    pointer = after.context.loops.source_pointer(tpl.resource_pointer(change.resource))
    where = new.locate(pointer)
    return replace(change, line=where.line, column=where.column)
