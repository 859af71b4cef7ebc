from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules.context import Context
from rules.setting import RequiredSetting


class DynamoDbServerSideEncryption(RequiredSetting):
    """## What it does
    Flags a DynamoDB table without `SSESpecification: {SSEEnabled: true}`.

    ## Why is this bad?
    DynamoDB always encrypts at rest, but with an AWS-owned key you cannot audit or
    revoke. `SSEEnabled: true` uses a KMS key whose use shows in CloudTrail, as most
    financial-services controls require.

    ## Example
    ```yaml
    SessionTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
    ```

    ## Fix
    Sets `SSESpecification: {SSEEnabled: true}`. An in-place update: safe.

    ## References
    - AWS: DynamoDB encryption at rest
    """

    id = "CD2002"
    title = "DynamoDB table without KMS encryption"
    severity = Severity.LOW
    tags = ("encryption",)
    docs_url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html"
    types = ("AWS::DynamoDB::Table",)
    path = ("SSESpecification", "SSEEnabled")
    fix_title = "Encrypt with a KMS key (SSEEnabled)"

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} is encrypted only with an AWS-owned key that cannot be audited: SSEEnabled is not on"
