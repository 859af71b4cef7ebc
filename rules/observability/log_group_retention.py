from __future__ import annotations

from typing import Any

from app.core.findings import Fix, Severity
from rules.base import Violation
from rules.context import Context
from rules.setting import RequiredSetting

RETENTION_DAYS = 365


class LogGroupRetention(RequiredSetting):
    """## What it does
    Flags a CloudWatch Logs log group without `RetentionInDays`.

    ## Why is this bad?
    Without retention, logs are kept forever: storage costs grow without bound, and
    personal data in logs outlives every data-retention policy the business has.

    ## Example
    ```yaml
    HandlerLogs:
      Type: AWS::Logs::LogGroup
    ```

    ## Fix
    Sets `RetentionInDays: 365`. **Unsafe**: on a deployed stack, CloudWatch deletes
    the log events older than that at once.

    ## References
    - AWS: Change log data retention in CloudWatch Logs
    """

    id = "CD5002"
    title = "Log group kept forever"
    severity = Severity.LOW
    tags = ("observability", "cost")
    docs_url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention"
    types = ("AWS::Logs::LogGroup",)
    path = ("RetentionInDays",)
    wanted = RETENTION_DAYS
    fix_title = f"Keep logs for {RETENTION_DAYS} days"

    def satisfied(self, value: Any) -> bool:
        return True

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} keeps its logs forever: no RetentionInDays"

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        note = f"log events in {violation.data} older than {RETENTION_DAYS} days are deleted"
        return [Fix(fix.title, fix.edits, "unsafe", note) for fix in super().fix(context, violation)]
