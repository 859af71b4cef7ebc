from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.core.findings import Fix, Severity
from app.core.intrinsics import is_intrinsic, references
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.permissions import iam
from rules.permissions.access import ACCESS, grant_edits


@dataclass(frozen=True)
class MissingGrant:
    """The permission a violation lacks: ``role`` may not use ``target``."""

    role: str
    target: str
    target_type: str


def _readable_role(context: Context, role: str) -> bool:
    """A role of the template whose permissions the template tells: its properties are
    not chosen by a condition, which only a deployment resolves."""
    body = context.resources.get(role)
    return body is not None and body["Type"] == "AWS::IAM::Role" and not is_intrinsic(body.get("Properties"))


def _handed_resources(context: Context, function: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(variable, logical id, type) of each data resource of the template that the
    function's environment variables refer to, each resource once."""
    variables = tpl.get_path(tpl.properties(function), "Environment", "Variables")
    if not isinstance(variables, dict):
        return
    seen: set[str] = set()
    for variable, value in variables.items():
        for target, _attribute in references(value):
            target_type = context.type_of(target)
            if target_type is not None and target_type in ACCESS and target not in seen:
                seen.add(target)
                yield variable, target, target_type


class LambdaRoleAccess(Rule[MissingGrant]):
    """## What it does
    Flags a Lambda function that is handed a data resource of the template — a DynamoDB
    table, S3 bucket, SQS queue, SNS topic, Secrets Manager secret or Kinesis stream —
    through an environment variable (`Ref`, `Fn::GetAtt` or `Fn::Sub`), while its
    execution role grants no action of that service on that resource. The role's inline
    `Policies`, `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources attached to
    it, broad AWS managed policies and `Resource: "*"` all count as grants.

    ## Why is this bad?
    The stack deploys, and the first request fails with `AccessDenied` in production:
    the template wires the function to the resource but not the permission to use it.

    ## Example
    ```yaml
    Handler:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt HandlerRole.Arn
        Environment:
          Variables:
            SESSION_TABLE: !Ref SessionTable   # HandlerRole has no dynamodb:* on it
    ```

    ## Fix
    Adds an inline policy to the role with least-privilege actions on that resource
    (DynamoDB: Get/Put/Update/DeleteItem and Query on the table and its indexes). Safe.

    ## References
    - AWS: Lambda execution role
    """

    id = "CD3001"
    title = "Lambda role cannot reach a resource the function uses"
    severity = Severity.HIGH
    tags = ("permissions",)
    docs_url = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"

    def check(self, context: Context) -> Iterator[Violation[MissingGrant]]:
        statements: dict[str, list[iam.Statement]] = {}  # of each role, read once
        for name, body in context.of_type("AWS::Lambda::Function"):
            role = iam.role_of_function(body)
            if role is None or not _readable_role(context, role):
                continue
            for variable, target, target_type in _handed_resources(context, body):
                if role not in statements:
                    statements[role] = list(iam.role_statements(context, role))
                service = ACCESS[target_type].service
                if any(iam.grants(statement, service, target) for statement in statements[role]):
                    continue
                yield Violation(
                    tpl.resource_pointer(name, "Properties", "Environment", "Variables", variable),
                    f"{name} uses {target} ({target_type}) through {variable}, but its role {role} grants "
                    f"no {service} actions on {target}: calls will fail with AccessDenied",
                    name,
                    data=MissingGrant(role, target, target_type),
                )

    def fix(self, context: Context, violation: Violation[MissingGrant]) -> list[Fix]:
        grant = violation.data
        edits = grant_edits(context, grant.role, grant.target, grant.target_type)
        if not edits:
            return []
        service = ACCESS[grant.target_type].service
        return [Fix(f"Grant {grant.role} {service} access to {grant.target}", tuple(edits))]
