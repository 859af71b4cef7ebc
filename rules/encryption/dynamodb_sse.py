from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules import template as tpl
from rules.context import Context
from rules.data_protection._table_settings import SIMPLE_TABLE, TableSetting, global_simple_table_sse


class DynamoDbServerSideEncryption(TableSetting):
    """## What it does
    Flags a DynamoDB table (`AWS::DynamoDB::Table`, `AWS::DynamoDB::GlobalTable`, a SAM
    `AWS::Serverless::SimpleTable`) without `SSESpecification: {SSEEnabled: true}`. A
    SimpleTable also takes it from `Globals: SimpleTable: SSESpecification`.

    ## Why is this bad?
    DynamoDB always encrypts at rest, but with an AWS-owned key you cannot audit or
    revoke. `SSEEnabled: true` uses a KMS key whose use shows in CloudTrail, as most
    financial-services controls require. A global table's setting covers all its replicas.

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
    path = ("SSESpecification", "SSEEnabled")
    fix_title = "Encrypt with a KMS key (SSEEnabled)"

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        if body["Type"] == SIMPLE_TABLE and "SSESpecification" not in tpl.properties(body):
            enabled = tpl.get_path(global_simple_table_sse(context.data), "SSEEnabled")
            return enabled is None or tpl.literal_bool(enabled) is False
        return True

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} is encrypted only with an AWS-owned key that cannot be audited: SSEEnabled is not on"
