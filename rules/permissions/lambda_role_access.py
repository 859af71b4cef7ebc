from __future__ import annotations

from collections.abc import Iterator

from app.core.findings import Fix, Severity
from app.core.intrinsics import references
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.permissions import iam
from rules.permissions.access import ACCESS, grant_edits


class LambdaRoleAccess(Rule):
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

    def check(self, context: Context) -> Iterator[Violation]:
        statements: dict[str, list[iam.Statement]] = {}
        for name, body in context.of_type("AWS::Lambda::Function"):
            role = iam.role_of_function(body)
            if role is None or context.type_of(role) != "AWS::IAM::Role":
                continue
            variables = tpl.get_path(tpl.properties(body), "Environment", "Variables")
            if not isinstance(variables, dict):
                continue
            if role not in statements:
                statements[role] = list(iam.role_statements(context, role))
            seen: set[str] = set()
            for variable, value in variables.items():
                for target, _attribute in references(value):
                    target_type = context.type_of(target)
                    if target_type not in ACCESS or target in seen:
                        continue
                    seen.add(target)
                    access = ACCESS[target_type]
                    if any(iam.grants(statement, access.service, target) for statement in statements[role]):
                        continue
                    yield Violation(
                        tpl.resource_pointer(name, "Properties", "Environment", "Variables", variable),
                        f"{name} uses {target} ({target_type}) through {variable}, but its role {role} grants "
                        f"no {access.service} actions on {target}: calls will fail with AccessDenied",
                        name,
                        data=(role, target, target_type),
                    )

    def fix(self, context: Context, violation: Violation) -> list[Fix]:
        role, target, target_type = violation.data  # type: ignore[misc]
        edits = grant_edits(context, role, target, target_type)
        if not edits:
            return []
        return [Fix(f"Grant {role} {ACCESS[target_type].service} access to {target}", tuple(edits))]
