"""Shared logic of the DeletionPolicy and UpdateReplacePolicy rules: a resource's policy is
judged by every value a deploy can give it, and rated by what its data is worth (the
profile's severities by data class and policy state)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from app.core import pointer as jp
from app.core.edits import Add, Edit, Set, get
from app.core.findings import Fix, Severity
from app.core.intrinsics import is_intrinsic, reference_target, references
from rules import template as tpl
from rules.base import Rule, Violation
from rules.catalog import OnDelete, PolicyState, StatefulType, in_cluster
from rules.context import Context
from rules.data_protection._stored_data import StoredData, stored_data
from rules.values import ABSENT, NO_VALUE, Outcome

POLICY_ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy")
KMS_WAITING_DAYS = 30  # AWS::KMS::Key PendingWindowInDays when the template does not set it


@dataclass(frozen=True)
class Reading:
    """What the template says about a policy: its state, and those words for a message
    (``has no DeletionPolicy, so CloudFormation uses Delete (...)``)."""

    state: PolicyState
    said: str


class StatefulPolicyRule(Rule[str]):
    """Base class of the two; a violation's payload is the logical id of the resource."""

    attribute: ClassVar[str]

    def default_policy(self, stateful: StatefulType) -> str:
        """What CloudFormation does when the template sets no policy."""
        raise NotImplementedError

    def consequence(self, name: str, body: dict[str, Any], data: StoredData, state: PolicyState) -> str:
        """What the policy does to the resource's data, after "<name> has ...: "."""
        raise NotImplementedError

    def applies(self, stateful: StatefulType) -> bool:
        return True

    def check(self, context: Context) -> Iterator[Violation[str]]:
        for name, body in context.resources.items():
            stateful = context.stateful(body["Type"])
            if stateful is None or not self.applies(stateful):
                continue
            reading = self.read(context, body, stateful)
            if reading is None:
                continue
            pointer = tpl.resource_pointer(name, *([self.attribute] if self.attribute in body else []))
            if in_cluster(body):
                yield Violation(pointer, self._member_note(name, body), name, Severity.INFO, data=name)
                continue
            data = stored_data(context, name, body)
            if data is None:
                continue
            severity = context.profile.policy_rating(data.data_class, reading.state, data.on_delete)
            if severity is None:
                continue
            consequence = self.consequence(name, body, data, reading.state)
            message = f"{name} ({body['Type']}) {reading.said}: {consequence} ({data.described()})"
            yield Violation(pointer, message, name, severity, data=name)

    def _member_note(self, name: str, body: dict[str, Any]) -> str:
        identifier = tpl.properties(body).get("DBClusterIdentifier")
        named = [target for target, _ in references(identifier)]
        cluster = named[0] if named else identifier if isinstance(identifier, str) else "its cluster"
        return (f"{name} is an instance of the cluster {cluster}, which holds the data: its {self.attribute} "
                f"matters little; make sure {cluster}'s is Retain or Snapshot")

    def read(self, context: Context, body: dict[str, Any], stateful: StatefulType) -> Reading | None:
        """The state of the resource's policy, or None when no deploy gets Delete."""
        default = self.default_policy(stateful)
        policy = body.get(self.attribute)
        if policy is None:
            if default == "Snapshot":
                return Reading(PolicyState.ABSENT_SNAPSHOT,
                               f"has no {self.attribute}, so CloudFormation snapshots it before deleting it "
                               f"(its default for an RDS {stateful.kind})")
            return Reading(PolicyState.ABSENT, f"has no {self.attribute}, so CloudFormation uses Delete "
                                               f"({self.default_words(stateful)})")
        if not is_intrinsic(policy):
            return Reading(PolicyState.EXPLICIT_DELETE, f"has {self.attribute}: Delete") if policy == "Delete" else None
        deleting = [outcome for outcome in context.values.outcomes(policy) if _deletes(outcome.value, default)]
        if not deleting:
            return None
        by_default = any(outcome.default for outcome in deleting)
        state = PolicyState.DELETE_BY_DEFAULT if by_default else PolicyState.DELETE_IN_SOME_DEPLOYS
        return Reading(state, f"has {self.attribute} {', or '.join(_deleting_words(o) for o in deleting)}")

    def default_words(self, stateful: StatefulType) -> str:
        return "its default for every type"

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        if violation.severity is not None and violation.severity < Severity.LOW:
            return []  # for information: retaining rebuildable data, or a cluster's instance, is no fix
        name = violation.data
        body = context.resources[name]
        stateful = context.stateful(body["Type"])
        choices = ["Retain", "Snapshot"] if stateful is not None and stateful.snapshot else ["Retain"]
        pointer = tpl.resource_pointer(name, self.attribute)
        fixes = []
        for choice in choices:
            edits = self._edits(context, pointer, body, choice, stateful)
            if edits:
                fixes.append(Fix(self._title(body, choice), tuple(edits)))
        return fixes

    def _edits(self, context: Context, pointer: str, body: dict[str, Any], choice: str,
               stateful: StatefulType | None) -> list[Edit] | None:
        policy = body.get(self.attribute)
        if not is_intrinsic(policy):
            return [Set(pointer, choice) if self.attribute in body else Add(pointer, choice)]
        default = self.default_policy(stateful) if stateful is not None else "Delete"
        return _default_deploy_edits(context, pointer, policy, choice, default)

    def _title(self, body: dict[str, Any], choice: str) -> str:
        policy = body.get(self.attribute)
        if isinstance(policy, dict) and set(policy) == {"Ref"}:
            return f"Make {policy['Ref']} default to {choice}"
        where = " where a default deploy takes Delete" if is_intrinsic(policy) else ""
        return f"Set {self.attribute} to {choice}{where}"


def _deleting_words(outcome: Outcome) -> str:
    """``'Delete' by default (Policy defaults to 'Delete')``, ``not set (so Delete) when ...``."""
    described = outcome.described()
    return described if outcome.value == "Delete" else described.replace("not set", "not set (so Delete)", 1)


def _default_deploy_edits(context: Context, pointer: str, value: Any, choice: str, default: str) -> list[Edit] | None:
    """Edits that give a default deploy ``choice`` wherever ``value`` gives it Delete, inside
    the template's own logic: the ``Fn::If`` branch a default deploy takes, or the default of
    a parameter that only policies use.  None when that cannot be done safely; a Delete that
    only other deploys get is the template's choice, and stays."""
    edits: dict[str, Edit] = {}
    for outcome in context.values.all_outcomes(value):
        if not outcome.default or not _deletes(outcome.value, default):
            continue
        written = get(value, jp.join(outcome.path))
        target = reference_target(written)
        if target in context.parameters:
            more = _parameter_default_edits(context, str(target), choice)
        elif written == "Delete" or target == NO_VALUE:
            more = [Set(jp.join((*jp.split(pointer), *outcome.path)), choice)]
        else:
            more = None  # a mapping entry, or a function only a deploy resolves
        if more is None:
            return None
        edits.update((edit.pointer, edit) for edit in more)
    return list(edits.values()) or None


def _deletes(value: Any, default: str) -> bool:
    """Whether a deploy that gets this policy value deletes the resource."""
    return value == "Delete" or (value is ABSENT and default == "Delete")


def _parameter_default_edits(context: Context, parameter: str, choice: str) -> list[Edit] | None:
    """Set the parameter's default to ``choice`` (Retain only: every type takes it), when
    only policy attributes use the parameter and its allowed values include the choice."""
    declaration = context.parameters[parameter]
    if not isinstance(declaration, dict):
        return None
    allowed = declaration.get("AllowedValues")
    if choice != "Retain" or (isinstance(allowed, list) and choice not in allowed) or _used_elsewhere(context,
                                                                                                       parameter):
        return None
    return [Set(jp.join(("Parameters", parameter, "Default")), choice)]


def _used_elsewhere(context: Context, parameter: str) -> bool:
    """Whether anything but a DeletionPolicy or UpdateReplacePolicy refers to ``parameter``."""
    resources = context.data.get("Resources")
    without_policies = {
        name: {key: value for key, value in body.items() if key not in POLICY_ATTRIBUTES}
        if isinstance(body, dict) else body for name, body in resources.items()
    } if isinstance(resources, dict) else resources
    rest = {**{key: value for key, value in context.data.items() if key != "Parameters"}, "Resources": without_policies}
    return any(name == parameter for name, _ in references(rest))


def waiting_days(body: dict[str, Any]) -> str:
    """How long KMS waits before deleting a key CloudFormation removed, in words."""
    window = tpl.properties(body).get("PendingWindowInDays")
    if window is None:
        return f"{KMS_WAITING_DAYS} days, the default"
    days = tpl.literal_int(window)
    return f"{days} days" if isinstance(days, int) else "PendingWindowInDays"


def deletion_words(name: str, body: dict[str, Any], data: StoredData, state: PolicyState) -> str:
    """What deleting the stack does to the data under the policy ``state``."""
    kind = data.stateful.kind
    if state is PolicyState.ABSENT_SNAPSHOT:
        return f"the data survives only in that final snapshot, and restoring it makes a new {kind}"
    if data.on_delete is OnDelete.ONLY_IF_EMPTY:
        return (f"deleting the stack deletes the {kind} only if it is empty: one that still holds data makes the "
                "stack deletion fail rather than lose it")
    if data.on_delete is OnDelete.SCHEDULED:
        return (f"deleting the stack schedules the {kind} for deletion, and once the waiting period "
                f"({waiting_days(body)}) ends, everything encrypted with it can never be decrypted")
    if data.on_delete is OnDelete.CASCADES:
        return f"deleting the stack deletes {name} and every resource in it that its own template does not retain"
    return f"deleting the stack deletes the {kind} and all its data"
