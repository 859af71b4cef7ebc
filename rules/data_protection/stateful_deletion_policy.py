from __future__ import annotations

from app.core.findings import Severity
from rules.data_protection._policy_attribute import StatefulPolicyRule


class StatefulDeletionPolicy(StatefulPolicyRule):
    """## What it does
    Flags a stateful resource (a database, table, bucket, queue, key... — the catalog in
    `resources/stateful_types.yaml`, extensible per profile) whose `DeletionPolicy` is
    `Delete` (critical) or missing (high: CloudFormation's default is `Delete` for most
    types).

    ## Why is this bad?
    Deleting the stack — by mistake, from a pipeline, or to rename it — deletes the
    resource and every byte it holds, with no snapshot to restore from. cfn-lint's I3011
    only asks that a policy be present, so an explicit `Delete` passes it.

    An RDS instance that belongs to an Aurora cluster (`DBClusterIdentifier` set) holds
    no data of its own; the cluster carries the policy, so the instance is rated `info`.

    ## Example
    ```yaml
    LedgerCluster:
      Type: AWS::RDS::DBCluster
      DeletionPolicy: Delete
    ```

    ## Fix
    Sets `DeletionPolicy: Retain` (or `Snapshot`, offered where the type supports it).
    Changing a policy attribute never replaces the resource: the fix is safe.

    ## References
    - AWS: DeletionPolicy attribute
    - cfn-lint I3011
    """

    id = "CD1001"
    title = "Stateful resource deleted with the stack"
    severity = Severity.CRITICAL
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html"
    attribute = "DeletionPolicy"
    consequence = "deleting the stack deletes the {kind} and all its data"
