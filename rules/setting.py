"""A common kind of rule: a resource property must be set to a safe value.

The value is judged by every outcome a deploy can give it (rules/values.py): a literal, a
parameter's default and allowed values, each branch of an ``Fn::If``.  The finding names
the unsafe outcomes and when they happen; the fix writes the safe value where each unsafe
one is written — inside its ``Fn::If`` branch, keeping the template's logic.  A branch that
only a deliberate choice reaches (not a default deploy) is the template's own decision:
its fix is unsafe, with a note, after a safe fix of what a default deploy needs.  A value
that comes from a parameter is not fixed: the choice belongs to whoever deploys.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from app.core import pointer as jp
from app.core.edits import Edit, apply_edits, copy_data
from app.core.findings import Fix, Severity
from app.core.intrinsics import is_intrinsic
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.values import ABSENT, UNKNOWN, Outcome, circumstances


class RequiredSetting(Rule[str]):
    """Base class; subclasses document themselves.  A violation's payload is the logical
    id of the resource to set the property on."""

    types: ClassVar[tuple[str, ...]]
    path: ClassVar[tuple[str, ...]]
    wanted: ClassVar[Any] = True
    fix_title: ClassVar[str]

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        return True

    def satisfied(self, value: Any) -> bool | tpl.Unknown:
        """True, False, or tpl.UNKNOWN when only a deployment can tell."""
        flag = tpl.literal_bool(value)
        return flag if flag is tpl.UNKNOWN else flag is True

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        """What is wrong, for the unsafe ``value`` (None when the property is not set); the
        circumstances are added after it."""
        raise NotImplementedError

    def shortfalls(self, context: Context, body: dict[str, Any]) -> list[Outcome]:
        """The outcomes of the setting that are not safe — not set, or a value
        ``satisfied`` rejects — those a default deploy gets first.  Each one's ``path``
        starts at the resource's ``Properties``."""
        found = [
            outcome for outcome in context.values.all_outcomes(tpl.properties(body), *self.path)
            if outcome.value is ABSENT or (outcome.value is not UNKNOWN and self.satisfied(outcome.value) is False)
        ]
        return sorted(found, key=lambda outcome: not outcome.default)

    def wanted_at(self, path: jp.Path) -> Any:
        """The safe value to write where an unsafe outcome is written."""
        return self.wanted

    def describe(self, context: Context, name: str, body: dict[str, Any], shortfalls: Sequence[Outcome]) -> str:
        value = shortfalls[0].value
        message = self.message(context, name, body, None if value is ABSENT else value)
        when = circumstances(shortfalls)
        return f"{message} — {when}" if when else message

    def deliberate_note(self, name: str, shortfalls: Sequence[Outcome]) -> str:
        """Why editing a branch that only a deliberate choice reaches is unsafe."""
        cases = "; ".join(outcome.when for outcome in shortfalls)
        setting = ".".join(self.path)
        return (f"also sets {name}'s {setting} {cases}: a case the template configures on purpose, "
                "which a default deploy does not reach; check that nothing there depends on the old value")

    def check(self, context: Context) -> Iterator[Violation[str]]:
        for name, body in context.of_type(*self.types):
            if is_intrinsic(body.get("Properties")) or not self.applies(context, name, body):
                continue
            shortfalls = self.shortfalls(context, body)
            if not shortfalls:
                continue
            yield Violation(
                self._pointer(name, body, shortfalls[0].path), self.describe(context, name, body, shortfalls), name,
                severity=None if shortfalls[0].default else milder(self.severity), data=name,
            )

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        name = violation.data
        body = context.resources[name]
        shortfalls = self.shortfalls(context, body)
        edits = self._edits(name, body, shortfalls)
        if not edits:
            return []
        deliberate = [outcome for outcome in shortfalls if _deliberate(outcome)]
        if not deliberate:
            return [Fix(self.fix_title, edits)]
        # What a default deploy needs is fixed safely first; the deliberate cases only on request.
        needed = self._edits(name, body, [outcome for outcome in shortfalls if not _deliberate(outcome)])
        first = [Fix(f"{self.fix_title} (where a default deploy needs it)", needed)] if needed else []
        return [*first, Fix(self.fix_title, edits, "unsafe", self.deliberate_note(name, deliberate))]

    def _edits(self, name: str, body: dict[str, Any], shortfalls: Sequence[Outcome]) -> tuple[Edit, ...]:
        """The safe value written where each unsafe outcome is written; nothing when one of
        them comes from a parameter or another function (only a deploy can change it)."""
        pointer = tpl.resource_pointer(name)
        scratch = {"Resources": {name: copy_data(body)}}
        edits: list[Edit] = []
        for outcome in shortfalls:
            path = ("Properties", *outcome.path)
            more = tpl.set_at(pointer, scratch["Resources"][name], path, self.wanted_at(outcome.path))
            if more is None:
                return ()
            apply_edits(scratch, more)  # the next outcome's edits see this one's (a mapping it created)
            edits.extend(more)
        return tuple(edits)

    def _pointer(self, name: str, body: dict[str, Any], path: jp.Path) -> str:
        """The deepest part of the unsafe outcome's path that the template has."""
        pointer = tpl.resource_pointer(name)
        node: Any = body
        for key in ("Properties", *path):
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                node = node[key]
            else:
                break
            pointer = jp.child(pointer, key)
        return pointer


def _deliberate(outcome: Outcome) -> bool:
    """Reached only by a choice of parameters or conditions that a default deploy does not make."""
    return outcome.conditional and not outcome.default


def milder(severity: Severity) -> Severity:
    """One step below ``severity`` (never below low): for what only a deliberate choice of
    parameters or conditions makes unsafe."""
    return Severity(max(Severity.LOW, severity - 1)) if severity > Severity.LOW else severity
