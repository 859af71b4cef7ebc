from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules.context import Context
from rules.setting import RequiredSetting


class DynamoDbDeletionProtection(RequiredSetting):
    """## What it does
    Flags a DynamoDB table without `DeletionProtectionEnabled: true`.

    ## Why is this bad?
    A table without deletion protection is deleted by one `DeleteTable` call or by its
    stack; with it, the call fails until protection is turned off.

    ## Example
    ```yaml
    SessionTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
    ```

    ## Fix
    Sets `DeletionProtectionEnabled: true`. An in-place update: safe.

    ## References
    - AWS: Using deletion protection (DynamoDB)
    """

    id = "CD1006"
    title = "DynamoDB table without deletion protection"
    severity = Severity.LOW
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection"
    types = ("AWS::DynamoDB::Table",)
    path = ("DeletionProtectionEnabled",)
    fix_title = "Turn on DeletionProtectionEnabled"

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} can be deleted by a single DeleteTable call: DeletionProtectionEnabled is not on"
