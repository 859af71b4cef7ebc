from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules.catalog import PolicyState, StatefulType
from rules.data_protection._policy_attribute import StatefulPolicyRule, deletion_words
from rules.data_protection._stored_data import StoredData


class StatefulDeletionPolicy(StatefulPolicyRule):
    """## What it does
    Flags a stateful resource (a database, table, bucket, file system, key... — the catalog
    in `resources/stateful_types.yaml`, extensible per profile) that deleting the stack
    would delete: `DeletionPolicy: Delete`, no policy where CloudFormation's default is
    Delete, or a parameter or condition that gives Delete. The severity comes from what the
    data is worth and what the template says (the profile's `data_classes` table):

    | data class | explicit Delete | absent (Delete) | absent (Snapshot) | Delete by default | in some deploys |
    |---|---|---|---|---|---|
    | record | critical | high | low | high | low |
    | rebuildable | info | info | — | info | — |
    | transient | — | — | — | — | — |

    A system of record (databases, tables, buckets, file systems, ledgers, backup vaults,
    KMS keys) holds the only copy of its data; rebuildable data (search domains, image
    repositories, generated secrets, nested stacks, whose resources carry their own
    policies) can be made again; transient data (queues, streams, caches, log groups) is
    short-lived. A bucket that serves a website or holds CodePipeline's artifacts is
    rebuildable; one whose objects all expire within 90 days, or that receives access
    logs, is transient; a read replica is rebuildable.

    Without a `DeletionPolicy`, CloudFormation deletes a resource, except an RDS cluster
    and a stand-alone RDS instance, which it snapshots first. A service that refuses to
    delete what holds data (S3 buckets, backup vaults, image repositories without
    `EmptyOnDelete`) makes the stack deletion fail rather than lose it: such findings are
    at most medium. An instance of an Aurora, DocumentDB or Neptune cluster holds no data
    of its own: it is rated info, with no fix, and the finding points at its cluster.

    ## Why is this bad?
    Deleting the stack — by mistake, from a pipeline, or to rename it — deletes the
    resource and every byte it holds, with no snapshot to restore from. Deleting a KMS key
    makes everything encrypted with it unreadable once its waiting period ends. cfn-lint's
    I3011 only asks that a policy be present, so an explicit `Delete` passes it.

    ## Example
    ```yaml
    LedgerCluster:
      Type: AWS::RDS::DBCluster
      DeletionPolicy: Delete
    ```

    ## Fix
    Sets `DeletionPolicy: Retain` (or `Snapshot`, offered where the type supports it). A
    policy from a parameter or an `Fn::If` is fixed where a default deploy gets Delete: the
    parameter's default (when only policies use it) or the branch the default deploy takes;
    a Delete that only some deploys choose is left to the template's logic. Changing a
    policy attribute never replaces the resource: the fix is safe. Findings rated info
    offer no fix: retaining rebuildable data is a choice.

    ## References
    - AWS: DeletionPolicy attribute
    - cfn-lint I3011
    """

    id = "CD1001"
    title = "Stateful resource deleted with the stack"
    severity = Severity.CRITICAL
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html"
    attribute = "DeletionPolicy"

    def default_policy(self, stateful: StatefulType) -> str:
        return stateful.deletion_default

    def default_words(self, stateful: StatefulType) -> str:
        return f"its default for a {stateful.kind}"

    def consequence(self, name: str, body: dict[str, Any], data: StoredData, state: PolicyState) -> str:
        return deletion_words(name, body, data, state)
