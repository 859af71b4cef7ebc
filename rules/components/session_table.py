from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core import pointer as jp
from app.core.edits import Add, Edit, Set
from app.core.findings import Fix, Severity
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.functions import functions
from rules.observability.dashboards import SERVICES, widget, with_widget
from rules.observability.exports import add_outputs_edits, export_outputs
from rules.permissions import iam
from rules.permissions.access import grant_edits, sam_grant_edits

COMPONENT = "session-table"
TABLE_TYPE = "AWS::DynamoDB::Table"
MAX_RESOURCES = 500


TABLE_TYPES = ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable")


def is_session_table(name: str, body: dict[str, Any]) -> bool:
    props = tpl.properties(body)
    named = any("session" in text.lower() for text in (name, *tpl.strings(props.get("TableName"))))
    keys = props.get("KeySchema")
    hash_keys = [key.get("AttributeName") for key in keys if isinstance(key, dict)] if isinstance(keys, list) else []
    hash_keys.append(tpl.get_path(props, "PrimaryKey", "Name"))  # a SAM SimpleTable's key
    keyed = any(str(key).lower() == "sessionid" for key in hash_keys if key is not None)
    return named or keyed


def session_table(context: Context) -> dict[str, Any]:
    """The table of the incident report's correction, named after the template's own
    environment parameters where it has them."""
    parameters = context.parameters
    suffixed = "EnvironmentSuffix" in parameters
    table_name = "session-table-${EnvironmentSuffix}" if suffixed else "${AWS::StackName}-sessions"
    tags: list[dict[str, Any]] = [{"Key": "Name", "Value": {"Fn::Sub": table_name}}]
    environment = next((p for p in ("EnvironmentName", "Environment") if p in parameters), None)
    if environment:
        tags.append({"Key": "Environment", "Value": {"Ref": environment}})
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "TableName": {"Fn::Sub": table_name},
            "AttributeDefinitions": [
                {"AttributeName": "sessionId", "AttributeType": "S"},
                {"AttributeName": "userId", "AttributeType": "S"},
            ],
            "KeySchema": [{"AttributeName": "sessionId", "KeyType": "HASH"}],
            "GlobalSecondaryIndexes": [{
                "IndexName": "UserIdIndex",
                "KeySchema": [{"AttributeName": "userId", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }],
            "BillingMode": "PAY_PER_REQUEST",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
            "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": True},
            "DeletionProtectionEnabled": True,
            "Tags": tags,
        },
    }


class RequiredSessionTable(Rule[None]):
    """## What it does
    When the active profile requires the `session-table` component (the
    `financial-services` profile does), flags a template with no DynamoDB table for user
    sessions — none whose logical id or `TableName` mentions sessions, or whose hash key
    is `sessionId`.

    ## Why is this bad?
    The architecture the stack implements keeps sessions in DynamoDB; without the table
    the application has nowhere to keep them, and the gap surfaces only at run time.

    ## Example
    The incident report's transactions stack: Aurora, Lambda, Secrets Manager, SNS and a
    dashboard, but no session table.

    ## Fix
    One step that adds everything the correction needs: the `SessionTable` (`sessionId`
    hash key, `UserIdIndex` on `userId`, on-demand billing, point-in-time recovery, KMS
    encryption, TTL on `ttl`, tags, `Retain` policies), DynamoDB permissions on the table
    and its indexes for each function's role (for a SAM function without a `Role`, a
    `DynamoDBCrudPolicy` in its `Policies`), a `SESSION_TABLE` environment variable on each
    function, exported `SessionTableName`/`SessionTableArn` outputs, and a DynamoDB widget
    on each dashboard. A SAM `SimpleTable` for sessions counts as the table. Safe: nothing
    existing is replaced.

    ## References
    - AWS: Best practices for designing and using partition keys in DynamoDB
    """

    id = "CD6001"
    title = "Required session table missing"
    severity = Severity.CRITICAL
    tags = ("architecture",)
    docs_url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"

    def check(self, context: Context) -> Iterator[Violation[None]]:
        if COMPONENT not in context.profile.required:
            return
        if any(is_session_table(name, body) for name, body in context.of_type(*TABLE_TYPES)):
            return
        yield Violation(
            "/Resources",
            f"The {context.profile.name} profile requires a DynamoDB session table, and the template has none: "
            "the application has nowhere to keep user sessions",
            data=None,
        )

    def fix(self, context: Context, violation: Violation[None]) -> list[Fix]:
        if len(context.resources) >= MAX_RESOURCES:
            return []
        table = "SessionTable"
        while table in context.resources:
            table = "App" + table
        outputs = export_outputs(table, "AWS::DynamoDB::Table", "the DynamoDB table for session management",
                                 set(context.outputs), (f"{table}Name", f"{table}Arn"))
        edits = [
            Add(jp.join(["Resources", table]), session_table(context)),
            *_function_edits(context, table),
            *add_outputs_edits(context.data, outputs),
            *_dashboard_edits(context, table),
        ]
        return [Fix(f"Add {table} with permissions, environment variable, outputs and dashboard metrics", tuple(edits))]


def _function_edits(context: Context, table: str) -> Iterator[Edit]:
    """Each function gets the table in ``SESSION_TABLE``, and the permissions: on its role,
    or for a SAM function without one, in its ``Policies``."""
    granted: set[str] = set()
    for function in functions(context):
        role = iam.role_of_function(function.body)
        if function.sam and "Role" not in function.properties:
            yield from sam_grant_edits(context, function.name, table, TABLE_TYPE) or []
        elif role and role not in granted:
            yield from grant_edits(context, role, table, TABLE_TYPE) or []
            granted.add(role)
        variable = ("Environment", "Variables", "SESSION_TABLE")
        yield from tpl.set_nested(tpl.resource_pointer(function.name), function.body, variable, {"Ref": table}) or []


def _dashboard_edits(context: Context, table: str) -> Iterator[Edit]:
    new_widget = widget(SERVICES["AWS::DynamoDB::Table"], [table], "Session Table (DynamoDB)")
    for dashboard, body in context.of_type("AWS::CloudWatch::Dashboard"):
        edited = with_widget(tpl.properties(body).get("DashboardBody"), new_widget)
        if edited is not None:
            yield Set(tpl.resource_pointer(dashboard, "Properties", "DashboardBody"), edited)
