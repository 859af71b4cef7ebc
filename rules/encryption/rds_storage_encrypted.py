from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules import template as tpl
from rules.catalog import in_cluster
from rules.context import Context
from rules.setting import RequiredSetting
from rules.values import ABSENT

#: properties of a database restored from a snapshot or copied from another, whose encryption it keeps
RESTORED_FROM = (
    "SnapshotIdentifier", "SourceDBClusterIdentifier", "DBSnapshotIdentifier", "SourceDBInstanceIdentifier",
)


class RdsStorageEncrypted(RequiredSetting):
    """## What it does
    Flags an RDS, DocumentDB or Neptune cluster, or a standalone RDS instance, whose
    storage is not encrypted (`StorageEncrypted` missing or false). Clusters restored
    from a snapshot inherit its encryption and are not flagged; Aurora Serverless v1 is
    always encrypted. The instances of a cluster are not flagged: the cluster's setting
    encrypts them.

    ## Why is this bad?
    Unencrypted storage, snapshots and replicas expose the data to anyone who obtains a
    copy, and fail most compliance regimes (PCI DSS, SOC 2).

    ## Example
    ```yaml
    LedgerCluster:
      Type: AWS::RDS::DBCluster
      Properties:
        Engine: aurora-mysql
    ```

    ## Fix
    Sets `StorageEncrypted: true`. **Unsafe**: encryption is a create-only property, so
    on a deployed stack CloudFormation replaces the database with a new, empty one.
    Migrate the data through an encrypted snapshot instead, then apply.

    ## References
    - AWS: Encrypting Amazon RDS resources
    """

    id = "CD2001"
    title = "Database storage not encrypted"
    severity = Severity.HIGH
    tags = ("encryption",)
    docs_url = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html"
    types = ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster")
    path = ("StorageEncrypted",)
    fix_title = "Turn on StorageEncrypted"

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        props = tpl.properties(body)
        # Restored from a snapshot (its encryption comes from there) only where a default deploy
        # restores: `SnapshotIdentifier: !If [HasSnapshot, !Ref Snapshot, !Ref AWS::NoValue]` does not.
        sources = (context.values.default(props[key]) for key in RESTORED_FROM if key in props)
        restored = any(source not in (None, "", ABSENT) for source in sources)
        return not (in_cluster(body) or restored or props.get("EngineMode") == "serverless")

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} stores its data, snapshots and replicas unencrypted: StorageEncrypted is not on"
