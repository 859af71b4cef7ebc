from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules import template as tpl
from rules.context import Context
from rules.setting import RequiredSetting


class RdsDeletionProtection(RequiredSetting):
    """## What it does
    Flags an RDS, DocumentDB or Neptune cluster, or a standalone RDS instance, without
    `DeletionProtection: true`.

    ## Why is this bad?
    Deletion protection makes the database refuse deletion by anyone — a console click,
    an API call, a stack operation — until it is turned off. It is the last guard when a
    `DeletionPolicy` is wrong or a stack is deleted by mistake.

    ## Example
    ```yaml
    LedgerCluster:
      Type: AWS::RDS::DBCluster
      Properties:
        Engine: aurora-mysql
    ```

    ## Fix
    Sets `DeletionProtection: true`. An in-place update: safe.

    ## References
    - AWS: Deleting a DB instance — deletion protection
    """

    id = "CD1003"
    title = "Database without deletion protection"
    severity = Severity.MEDIUM
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection"
    types = ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster")
    path = ("DeletionProtection",)
    fix_title = "Turn on DeletionProtection"

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        return not tpl.is_aurora_member(body)

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} can be deleted by any stack operation or API call: DeletionProtection is not on"
