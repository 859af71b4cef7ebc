from __future__ import annotations

from app.core.findings import Severity
from rules.data_protection._policy_attribute import StatefulPolicyRule


class StatefulUpdateReplacePolicy(StatefulPolicyRule):
    """## What it does
    Flags a stateful resource whose `UpdateReplacePolicy` is `Delete` (critical) or
    missing (high: the default is `Delete`).

    ## Why is this bad?
    An update that changes a create-only property (a database name, encryption, a table
    name) makes CloudFormation create a new, empty resource and delete the old one with
    its data. `UpdateReplacePolicy: Retain` or `Snapshot` keeps the old one.

    ## Example
    ```yaml
    LedgerCluster:
      Type: AWS::RDS::DBCluster
      UpdateReplacePolicy: Delete
    ```

    ## Fix
    Sets `UpdateReplacePolicy: Retain` (or `Snapshot` where supported). Safe: a policy
    attribute never replaces anything.

    ## References
    - AWS: UpdateReplacePolicy attribute
    """

    id = "CD1002"
    title = "Stateful resource deleted when replaced"
    severity = Severity.CRITICAL
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html"
    attribute = "UpdateReplacePolicy"
    consequence = "an update that replaces {name} deletes the old {kind} and its data"
