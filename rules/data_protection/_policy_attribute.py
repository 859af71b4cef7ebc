"""Shared logic of the DeletionPolicy and UpdateReplacePolicy rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from app.core.edits import Add, Set
from app.core.findings import Fix, Severity
from app.core.intrinsics import references
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context

SAFE_POLICIES = ("Retain", "RetainExceptOnCreate", "Snapshot")


class StatefulPolicyRule(Rule[str]):
    """Base class of the two; a violation's payload is the logical id of the resource."""

    attribute: ClassVar[str]
    consequence: ClassVar[str]  # what Delete does, after "with <attribute> Delete, "

    def check(self, context: Context) -> Iterator[Violation[str]]:
        for name, body in context.resources.items():
            stateful = context.stateful(body["Type"])
            if stateful is None:
                continue
            policy = body.get(self.attribute)
            if policy in SAFE_POLICIES or (policy is not None and policy != "Delete" and not isinstance(policy, str)):
                continue  # a safe literal, or an intrinsic only a deployment resolves
            pointer = tpl.resource_pointer(name, self.attribute) if policy is not None else tpl.resource_pointer(name)
            if tpl.is_aurora_member(body):
                cluster = _cluster_name(body)
                yield Violation(
                    pointer,
                    f"{name} is an instance of the Aurora cluster {cluster}, which holds the data: "
                    f"its {self.attribute} matters little; make sure {cluster}'s is Retain or Snapshot",
                    name,
                    Severity.INFO,
                    data=name,
                )
                continue
            if policy == "Delete":
                message = (f"{name} ({body['Type']}) has {self.attribute}: Delete: "
                           f"{self.consequence.format(name=name, kind=stateful.kind)}")
                yield Violation(pointer, message, name, Severity.CRITICAL, data=name)
            elif policy is None:
                message = (f"{name} ({body['Type']}) has no {self.attribute}, so CloudFormation uses Delete: "
                           f"{self.consequence.format(name=name, kind=stateful.kind)}")
                yield Violation(pointer, message, name, Severity.HIGH, data=name)
            else:
                message = f"{name} has {self.attribute}: {policy!r}, which is not a valid policy"
                yield Violation(pointer, message, name, data=name)

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        name = violation.data
        body = context.resources[name]
        stateful = context.stateful(body["Type"])
        snapshot = stateful is not None and stateful.snapshot and not tpl.is_aurora_member(body)
        choices = ["Retain", "Snapshot"] if snapshot else ["Retain"]
        return [Fix(f"Set {self.attribute} to {choice}", (self._edit(name, body, choice),)) for choice in choices]

    def _edit(self, name: str, body: dict[str, Any], value: str) -> Set | Add:
        pointer = tpl.resource_pointer(name, self.attribute)
        return Set(pointer, value) if self.attribute in body else Add(pointer, value)


def _cluster_name(body: dict[str, Any]) -> str:
    identifier = tpl.properties(body).get("DBClusterIdentifier")
    referenced = [name for name, _ in references(identifier)]
    return referenced[0] if referenced else str(identifier)
