from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.core.findings import Fix, Severity
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.observability.exports import (
    ARN_ATTRIBUTE,
    MAX_OUTPUTS,
    add_outputs_edits,
    export_outputs,
    exported_names,
    resource_condition,
)

# Two spare outputs for another fix of the same pass (the session table adds two).
_SPARE = 2


@dataclass(frozen=True)
class Unexported:
    """A data store no export refers to; ``fits`` when its outputs fit under the output
    limit together with those of the stores flagged before it (all may be fixed at once)."""

    name: str
    fits: bool


class DataStoreNotExported(Rule[Unexported]):
    """## What it does
    Flags a data store — DynamoDB table, RDS cluster or standalone instance, S3 bucket,
    Kinesis stream, DocumentDB, Neptune or Redshift cluster — that no exported stack
    output refers to.

    ## Why is this bad?
    Other stacks (reporting, backups, a second service) then find the store by a
    hard-coded name, which breaks on the next rename or in the next environment. An
    export makes the dependency explicit, and CloudFormation refuses to delete a store
    another stack still imports.

    ## Example
    A `SessionTable` with no `Outputs` entry whose `Export` refers to it.

    ## Fix
    Adds outputs `<Name>` (its `Ref`) and `<Name>Arn`, exported as
    `${AWS::StackName}-<Name>` and `${AWS::StackName}-<Name>Arn`; for a store created
    under a `Condition`, the outputs carry the same condition. Safe. None is offered
    when the template would pass CloudFormation's 200-output limit.

    ## References
    - AWS: Exporting stack output values
    """

    id = "CD5003"
    title = "Data store not exported"
    severity = Severity.LOW
    tags = ("interfaces",)
    docs_url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html"

    def check(self, context: Context) -> Iterator[Violation[Unexported]]:
        exported = exported_names(context.outputs)
        room = MAX_OUTPUTS - _SPARE - len(context.outputs)
        for name, body in context.of_type(*ARN_ATTRIBUTE):
            if name in exported or tpl.is_aurora_member(body):
                continue
            needed = 2 if ARN_ATTRIBUTE[body["Type"]] else 1
            fits = room >= needed
            room -= needed if fits else 0
            limit = "" if fits else f" (no room for more: the template is near the {MAX_OUTPUTS}-output limit)"
            yield Violation(
                tpl.resource_pointer(name),
                f"{name} is not exported: other stacks can only find it by a hard-coded name{limit}",
                name,
                data=Unexported(name, fits),
            )

    def fix(self, context: Context, violation: Violation[Unexported]) -> list[Fix]:
        store = violation.data
        if not store.fits:
            return []
        body = context.resources[store.name]
        resource_type = body["Type"]
        outputs = export_outputs(store.name, resource_type, store.name, set(context.outputs),
                                 condition=resource_condition(body))
        exported = "name and ARN" if ARN_ATTRIBUTE[resource_type] else "name"
        return [Fix(f"Export {store.name}'s {exported}", tuple(add_outputs_edits(context.data, outputs)))]
