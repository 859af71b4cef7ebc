from __future__ import annotations

from typing import Any

from app.core.edits import Add, Set
from app.core.findings import Fix, Severity
from rules import template as tpl
from rules.base import Violation
from rules.context import Context
from rules.data_protection._table_settings import (
    SIMPLE_TABLE,
    TABLE,
    TableSetting,
    global_simple_table_sse,
    simple_table_as_table,
)


class DynamoDbDeletionProtection(TableSetting):
    """## What it does
    Flags a DynamoDB table without `DeletionProtectionEnabled: true`: an
    `AWS::DynamoDB::Table`, a SAM `AWS::Serverless::SimpleTable` (which cannot set it), or
    a replica of an `AWS::DynamoDB::GlobalTable`.

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
    Sets `DeletionProtectionEnabled: true` (on every replica of a global table that lacks
    it). A SimpleTable is declared as the `AWS::DynamoDB::Table` SAM makes of it — the same
    key, billing, encryption, name and tags, so the deployed table is only updated — with
    deletion protection on. An in-place update: safe.

    ## References
    - AWS: Using deletion protection (DynamoDB)
    """

    id = "CD1006"
    title = "DynamoDB table without deletion protection"
    severity = Severity.LOW
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection"
    path = ("DeletionProtectionEnabled",)
    replica_path = path
    fix_title = "Turn on DeletionProtectionEnabled"

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        if body["Type"] == SIMPLE_TABLE:
            return (f"{name} can be deleted by a single DeleteTable call: an AWS::Serverless::SimpleTable cannot "
                    "turn on DeletionProtectionEnabled")
        return f"{name} can be deleted by a single DeleteTable call: DeletionProtectionEnabled is not on"

    def replica_message(self, name: str, replicas: str) -> str:
        return (f"{name} can be deleted in {replicas} by a single DeleteTable call: DeletionProtectionEnabled is "
                "not on there")

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        name = violation.data
        body = context.resources[name]
        if body["Type"] != SIMPLE_TABLE:
            return super().fix(context, violation)
        table = simple_table_as_table(tpl.properties(body), global_simple_table_sse(context.data))
        if table is None:
            return []
        pointer = tpl.resource_pointer(name, "Properties")
        properties = {**table, "DeletionProtectionEnabled": True}
        edits = (Set(tpl.resource_pointer(name, "Type"), TABLE),
                 Set(pointer, properties) if "Properties" in body else Add(pointer, properties))
        return [Fix(f"Declare {name} as an AWS::DynamoDB::Table with DeletionProtectionEnabled", edits)]
