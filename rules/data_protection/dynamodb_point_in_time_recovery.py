from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules.context import Context
from rules.data_protection._table_settings import TableSetting


class DynamoDbPointInTimeRecovery(TableSetting):
    """## What it does
    Flags a DynamoDB table (`AWS::DynamoDB::Table`, a SAM `AWS::Serverless::SimpleTable`)
    without point-in-time recovery, and a global table with a replica without it.

    ## Why is this bad?
    Without it, an item overwritten or deleted by a bug is gone: DynamoDB keeps no
    history unless `PointInTimeRecoveryEnabled` is on, which restores the table to any
    second of the last 35 days. Each replica of a global table has its own setting: a
    restore happens in one region, from that region's replica.

    ## Example
    ```yaml
    SessionTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
    ```

    ## Fix
    Sets `PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}` on the
    table (a SimpleTable passes it on to the table SAM makes), or on every replica of a
    global table that lacks it. An in-place update: safe.

    ## References
    - AWS: Point-in-time recovery for DynamoDB
    """

    id = "CD1005"
    title = "DynamoDB table without point-in-time recovery"
    severity = Severity.MEDIUM
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html"
    path = ("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")
    replica_path = path
    fix_title = "Turn on point-in-time recovery"
    harm = "an item a bug overwrites or deletes cannot be restored"

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} has no point-in-time recovery: {self.harm}"

    def replica_message(self, name: str, replicas: str) -> str:
        return f"{name} has no point-in-time recovery in {replicas}: {self.harm} there"
