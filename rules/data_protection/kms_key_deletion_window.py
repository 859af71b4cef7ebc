from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core.edits import Set
from app.core.findings import Fix, Severity
from app.core.intrinsics import is_intrinsic
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.data_protection.stateful_deletion_policy import StatefulDeletionPolicy

LONGEST_WINDOW = 30  # days: KMS's maximum, and its default


class KmsKeyDeletionWindow(Rule[str]):
    """## What it does
    Flags a KMS key that CloudFormation may delete (its `DeletionPolicy` is not `Retain`
    for every deploy) with a `PendingWindowInDays` shorter than 30 days, the longest
    waiting period KMS allows and its default — by every value a deploy can give it.

    ## Why is this bad?
    When a stack deletion or an update removes a KMS key, KMS schedules its deletion and
    waits `PendingWindowInDays` (7 to 30) before destroying it; after that, everything
    encrypted with the key can never be decrypted. The waiting period is the only time to
    notice a mistake and cancel the deletion (from the console or `CancelKeyDeletion`,
    never from CloudFormation). A key the stack retains is never scheduled, so its window
    does not matter.

    ## Example
    ```yaml
    DataKey:
      Type: AWS::KMS::Key
      Properties:
        PendingWindowInDays: 7
    ```

    ## Fix
    Sets `PendingWindowInDays: 30`. An in-place update: safe. A window from a parameter
    or condition is left to the template's logic.

    ## References
    - AWS: AWS::KMS::Key PendingWindowInDays; Deleting AWS KMS keys
    """

    id = "CD1008"
    title = "KMS key with a short deletion window"
    severity = Severity.MEDIUM
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html#cfn-kms-key-pendingwindowindays"

    def check(self, context: Context) -> Iterator[Violation[str]]:
        policy = StatefulDeletionPolicy()
        for name, body in context.of_type("AWS::KMS::Key"):
            window = tpl.properties(body).get("PendingWindowInDays")
            short = [outcome for outcome in context.values.outcomes(window) if _short(outcome.value)]
            stateful = context.stateful(body["Type"])
            deletable = stateful is None or policy.read(context, body, stateful) is not None
            if not short or not deletable:
                continue
            said = ", or ".join(outcome.described() for outcome in short)
            message = (f"{name}'s PendingWindowInDays is {said}: once CloudFormation removes the key, that is all "
                       f"the time (not {LONGEST_WINDOW} days) there is to cancel its deletion before everything "
                       "encrypted with it is lost")
            yield Violation(tpl.resource_pointer(name, "Properties", "PendingWindowInDays"), message, name, data=name)

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        if is_intrinsic(tpl.properties(context.resources[violation.data]).get("PendingWindowInDays")):
            return []
        return [Fix(f"Wait {LONGEST_WINDOW} days before deleting the key", (Set(violation.pointer, LONGEST_WINDOW),))]


def _short(days: Any) -> bool:
    count = tpl.literal_int(days)
    return isinstance(count, int) and count < LONGEST_WINDOW
