from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules.context import Context
from rules.setting import RequiredSetting


class DynamoDbPointInTimeRecovery(RequiredSetting):
    """## What it does
    Flags a DynamoDB table without point-in-time recovery.

    ## Why is this bad?
    Without it, an item overwritten or deleted by a bug is gone: DynamoDB keeps no
    history unless `PointInTimeRecoveryEnabled` is on, which restores the table to any
    second of the last 35 days.

    ## Example
    ```yaml
    SessionTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
    ```

    ## Fix
    Sets `PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}`. An
    in-place update: safe.

    ## References
    - AWS: Point-in-time recovery for DynamoDB
    """

    id = "CD1005"
    title = "DynamoDB table without point-in-time recovery"
    severity = Severity.MEDIUM
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html"
    types = ("AWS::DynamoDB::Table",)
    path = ("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")
    fix_title = "Turn on point-in-time recovery"

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} has no point-in-time recovery: an item a bug overwrites or deletes cannot be restored"
