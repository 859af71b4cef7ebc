from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules import template as tpl
from rules.context import Context
from rules.setting import RequiredSetting

MINIMUM_DAYS = 7


class RdsBackupRetention(RequiredSetting):
    """## What it does
    Flags an RDS cluster or standalone instance (and DocumentDB or Neptune clusters) that
    keeps automated backups for fewer than 7 days; without `BackupRetentionPeriod` RDS
    keeps them for 1 day.

    ## Why is this bad?
    Point-in-time restore reaches back only as far as the retention period. Corruption
    found on a Monday that began on Friday cannot be undone with one day of backups.

    ## Example
    ```yaml
    LedgerCluster:
      Type: AWS::RDS::DBCluster
      Properties:
        BackupRetentionPeriod: 1
    ```

    ## Fix
    Sets `BackupRetentionPeriod: 7`. An in-place update: safe.

    ## References
    - AWS: Working with backups (Amazon RDS)
    """

    id = "CD1004"
    title = "Database backups kept under 7 days"
    severity = Severity.MEDIUM
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html"
    types = ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::DocDB::DBCluster", "AWS::Neptune::DBCluster")
    path = ("BackupRetentionPeriod",)
    wanted = MINIMUM_DAYS
    fix_title = f"Keep backups for {MINIMUM_DAYS} days"

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        return not tpl.is_aurora_member(body)

    def satisfied(self, value: Any) -> bool | tpl.Unknown:
        days = tpl.literal_int(value)
        return tpl.UNKNOWN if days is tpl.UNKNOWN else days >= MINIMUM_DAYS

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        days = 1 if value is None else tpl.literal_int(value)
        kept = f"{days} day{'s' if days != 1 else ''}" if isinstance(days, int) else f"{value!r} days"
        return (f"{name} keeps automated backups for {kept}: "
                f"a point-in-time restore cannot reach back {MINIMUM_DAYS} days")
