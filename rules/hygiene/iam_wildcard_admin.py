from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core.findings import Severity
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context

POLICY_HOLDERS = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")
POLICY_RESOURCES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class IamWildcardAdmin(Rule[None]):
    """## What it does
    Flags an IAM policy statement that allows `Action: "*"` on `Resource: "*"`.

    ## Why is this bad?
    That is administrator access to the whole account: whoever holds the role — a
    function with a code-injection bug, a compromised CI job — can read every database,
    delete every backup and create new credentials.

    ## Example
    ```yaml
    Statement:
      - Effect: Allow
        Action: "*"
        Resource: "*"
    ```

    ## Fix
    None automatic: list the actions and resources the principal really needs.

    ## References
    - AWS: Security best practices in IAM — grant least privilege
    """

    id = "CD4001"
    title = "IAM policy allows every action on every resource"
    severity = Severity.HIGH
    tags = ("iam",)
    docs_url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"

    def check(self, context: Context) -> Iterator[Violation[None]]:
        for name, body in context.resources.items():
            for path, document in _policy_documents(body):
                for statement_path in _admin_statements(document):
                    yield Violation(
                        tpl.resource_pointer(name, *path, *statement_path),
                        f"{name} allows every action on every resource: administrator access to the account",
                        name,
                        data=None,
                    )


def _policy_documents(body: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path in the resource, document) of each policy document the resource holds."""
    props = tpl.properties(body)
    if body["Type"] in POLICY_HOLDERS and isinstance(props.get("Policies"), list):
        for index, policy in enumerate(props["Policies"]):
            if isinstance(policy, dict):
                yield ("Properties", "Policies", index, "PolicyDocument"), policy.get("PolicyDocument")
    elif body["Type"] in POLICY_RESOURCES:
        yield ("Properties", "PolicyDocument"), props.get("PolicyDocument")


def _admin_statements(document: Any) -> Iterator[tuple[str | int, ...]]:
    """The path in the document of each statement allowing every action on every resource."""
    statements = document.get("Statement") if isinstance(document, dict) else None
    for index, statement in enumerate(_as_list(statements)):
        if not isinstance(statement, dict) or statement.get("Effect", "Allow") != "Allow":
            continue
        if "*" in _as_list(statement.get("Action")) and "*" in _as_list(statement.get("Resource")):
            yield ("Statement", index) if isinstance(statements, list) else ("Statement",)
