from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules import template as tpl
from rules.context import Context
from rules.setting import RequiredSetting

#: properties of a database restored from a snapshot or copied from another, whose encryption it keeps
RESTORED_FROM = (
    "SnapshotIdentifier", "SourceDBClusterIdentifier", "DBSnapshotIdentifier", "SourceDBInstanceIdentifier",
)


class RdsStorageEncrypted(RequiredSetting):
    """## What it does
    Flags an RDS or DocumentDB cluster, or a standalone RDS instance, whose storage is
    not encrypted (`StorageEncrypted` missing or false). Clusters restored from a
    snapshot inherit its encryption and are not flagged; Aurora Serverless v1 is always
    encrypted.

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
    types = ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::DocDB::DBCluster")
    path = ("StorageEncrypted",)
    fix_title = "Turn on StorageEncrypted"

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        props = tpl.properties(body)
        restored = any(key in props for key in RESTORED_FROM)
        return not (tpl.is_aurora_member(body) or restored or props.get("EngineMode") == "serverless")

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} stores its data, snapshots and replicas unencrypted: StorageEncrypted is not on"
