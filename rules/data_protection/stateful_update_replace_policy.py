from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules.catalog import OnDelete, PolicyState, StatefulType
from rules.data_protection._policy_attribute import StatefulPolicyRule
from rules.data_protection._stored_data import StoredData


class StatefulUpdateReplacePolicy(StatefulPolicyRule):
    """## What it does
    Flags a stateful resource whose `UpdateReplacePolicy` is `Delete`, missing (the
    default is `Delete` for every type), or given Delete by a parameter or condition. It
    is rated like CD1001, by the data class and what the template says. Types that an
    update never replaces (KMS keys, nested stacks) are not flagged.

    ## Why is this bad?
    An update that changes a create-only property (a database name, encryption, a table
    name) makes CloudFormation create a new, empty resource and delete the old one with
    its data. `UpdateReplacePolicy: Retain` or `Snapshot` keeps the old one. A replaced
    bucket that still holds objects cannot be deleted: it is left behind, outside the
    stack, while the stack uses a new, empty one.

    ## Example
    ```yaml
    LedgerCluster:
      Type: AWS::RDS::DBCluster
      UpdateReplacePolicy: Delete
    ```

    ## Fix
    Sets `UpdateReplacePolicy: Retain` (or `Snapshot` where supported), in the template's
    own logic as CD1001 does. Safe: a policy attribute never replaces anything.

    ## References
    - AWS: UpdateReplacePolicy attribute
    """

    id = "CD1002"
    title = "Stateful resource deleted when replaced"
    severity = Severity.CRITICAL
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html"
    attribute = "UpdateReplacePolicy"

    def applies(self, stateful: StatefulType) -> bool:
        return stateful.replaceable

    def default_policy(self, stateful: StatefulType) -> str:
        return "Delete"

    def consequence(self, name: str, body: dict[str, Any], data: StoredData, state: PolicyState) -> str:
        kind = data.stateful.kind
        if data.on_delete is OnDelete.ONLY_IF_EMPTY:
            return (f"an update that replaces {name} moves the stack to a new, empty {kind}, and leaves the old one "
                    "behind, outside the stack, while it holds data")
        return f"an update that replaces {name} deletes the old {kind} and its data"
