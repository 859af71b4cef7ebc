from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core.findings import Severity
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.permissions.iam import aws_managed_policy_name

#: resources with inline ``Policies`` of ``{PolicyName, PolicyDocument}`` and ``ManagedPolicyArns``
POLICY_HOLDERS = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")
#: resources that are one policy document
POLICY_RESOURCES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy",
                    "AWS::IAM::GroupPolicy")
#: SAM resources whose ``Policies`` mix managed policy names and ARNs, documents and policy templates
SAM_POLICY_HOLDERS = ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")
ADMIN_POLICY = "AdministratorAccess"

Path = tuple[str | int, ...]


class IamWildcardAdmin(Rule[None]):
    """## What it does
    Flags administrator access to the account: an IAM policy statement that allows
    `Action: "*"` on `Resource: "*"` (in a role's, user's or group's `Policies`, an
    `AWS::IAM::Policy`, `ManagedPolicy`, `RolePolicy`, `UserPolicy` or `GroupPolicy`, or a
    SAM function's `Policies`), and the AWS managed `AdministratorAccess` policy attached
    through `ManagedPolicyArns` or a SAM function's `Policies` — by name, by its literal
    ARN, or built with `!Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess`.
    Statements inside an `Fn::If` are read in both branches.

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
    ```yaml
    ManagedPolicyArns:
      - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess
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
            for path in _admin_attachments(body):
                yield Violation(
                    tpl.resource_pointer(name, *path),
                    f"{name} attaches the AWS managed policy {ADMIN_POLICY}: administrator access to the account",
                    name,
                    data=None,
                )


def _policy_documents(body: dict[str, Any]) -> Iterator[tuple[Path, Any]]:
    """(path in the resource, document) of each policy document the resource holds."""
    props = tpl.properties(body)
    if body["Type"] in POLICY_HOLDERS:
        for path, policy in _entries(props.get("Policies"), ("Properties", "Policies")):
            if isinstance(policy, dict):
                yield (*path, "PolicyDocument"), policy.get("PolicyDocument")
    elif body["Type"] in POLICY_RESOURCES:
        yield ("Properties", "PolicyDocument"), props.get("PolicyDocument")
    elif body["Type"] in SAM_POLICY_HOLDERS:
        for path, policy in _entries(props.get("Policies"), ("Properties", "Policies")):
            if isinstance(policy, dict) and "Statement" in policy:
                yield path, policy


def _admin_attachments(body: dict[str, Any]) -> Iterator[Path]:
    """The path of each ``AdministratorAccess`` the resource attaches."""
    props = tpl.properties(body)
    if body["Type"] in POLICY_HOLDERS:
        entries = _entries(props.get("ManagedPolicyArns"), ("Properties", "ManagedPolicyArns"))
    elif body["Type"] in SAM_POLICY_HOLDERS:
        entries = _entries(props.get("Policies"), ("Properties", "Policies"))
    else:
        return
    for path, entry in entries:
        if aws_managed_policy_name(entry) == ADMIN_POLICY:
            yield path


def _admin_statements(document: Any) -> Iterator[Path]:
    """The path in the document of each statement allowing every action on every resource."""
    statements = document.get("Statement") if isinstance(document, dict) else None
    for path, statement in _entries(statements, ("Statement",)):
        if not isinstance(statement, dict) or statement.get("Effect", "Allow") != "Allow":
            continue
        actions = [action for _, action in _entries(statement.get("Action"), ())]
        resources = [resource for _, resource in _entries(statement.get("Resource"), ())]
        if "*" in actions and "*" in resources:
            yield path


def _entries(value: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    """(path, item) of each item of a list or of a single value, through both branches of
    an ``Fn::If`` (an item in either branch is in some deploy)."""
    if isinstance(value, dict) and set(value) == {"Fn::If"} and isinstance(value["Fn::If"], list):
        for index, branch in enumerate(value["Fn::If"][1:3], start=1):
            yield from _entries(branch, (*path, "Fn::If", index))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _entries(item, (*path, index))
    elif value is not None:
        yield path, value
