"""What an IAM role defined in the template is allowed to do, as far as the template
says: its inline policies, the ``AWS::IAM::Policy``/``ManagedPolicy`` resources attached
to it, and AWS managed policies known to grant whole services."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.core.intrinsics import references
from rules import template as tpl
from rules.context import Context

#: AWS managed policies (by name) and the service prefixes they grant on every resource.
BROAD_MANAGED_POLICIES: dict[str, tuple[str, ...]] = {
    "AdministratorAccess": ("*",),
    "PowerUserAccess": ("*",),
    "AmazonDynamoDBFullAccess": ("dynamodb",),
    "AmazonDynamoDBReadOnlyAccess": ("dynamodb",),
    "AmazonS3FullAccess": ("s3",),
    "AmazonS3ReadOnlyAccess": ("s3",),
    "AmazonSQSFullAccess": ("sqs",),
    "AmazonSNSFullAccess": ("sns",),
    "SecretsManagerReadWrite": ("secretsmanager",),
    "AmazonKinesisFullAccess": ("kinesis",),
    "AWSLambdaKinesisExecutionRole": ("kinesis",),
    "AWSLambdaSQSQueueExecutionRole": ("sqs",),
    "AWSLambdaDynamoDBExecutionRole": ("dynamodb",),
}


@dataclass(frozen=True)
class Statement:
    actions: tuple[str, ...]  # lower-cased; ("*",) for NotAction statements (lenient)
    resources: tuple[Any, ...]  # literal strings or intrinsic functions


def role_of_function(body: dict[str, Any]) -> str | None:
    """The logical id of the template role a function's ``Role`` points at."""
    role = tpl.properties(body).get("Role")
    for name, attribute in references(role):
        if attribute in (None, "Arn"):
            return name
    return None


def _statements(document: Any) -> Iterator[Statement]:
    """Allow statements of a policy document, looking into both branches of an Fn::If."""
    if not isinstance(document, dict):
        return
    raw = document.get("Statement")
    for statement in _branches(raw):
        if not isinstance(statement, dict) or statement.get("Effect", "Allow") != "Allow":
            continue
        if "NotAction" in statement:
            actions: tuple[str, ...] = ("*",)
        else:
            actions = tuple(action.lower() for action in _branches(statement.get("Action")) if isinstance(action, str))
        resources = tuple(_branches(statement.get("Resource", statement.get("NotResource", "*"))))
        yield Statement(actions, resources)


def _branches(value: Any) -> Iterator[Any]:
    """Items of a list, a single value, or every branch of an Fn::If."""
    if isinstance(value, dict) and set(value) == {"Fn::If"} and isinstance(value["Fn::If"], list):
        for branch in value["Fn::If"][1:]:
            yield from _branches(branch)
    elif isinstance(value, list):
        for item in value:
            yield from _branches(item)
    elif value is not None:
        yield value


def role_statements(context: Context, role: str) -> Iterator[Statement]:
    body = context.resources.get(role, {})
    props = tpl.properties(body)
    for policy in _branches(props.get("Policies")):
        if isinstance(policy, dict):
            yield from _statements(policy.get("PolicyDocument"))
    for policy_name, policy_body in context.of_type("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        policy_props = tpl.properties(policy_body)
        attached = {name for name, _ in references(policy_props.get("Roles"))}
        attached |= {item for item in _branches(policy_props.get("Roles")) if isinstance(item, str)}
        attached_by_role = policy_name in {name for name, _ in references(props.get("ManagedPolicyArns"))}
        if role in attached or attached_by_role:
            yield from _statements(policy_props.get("PolicyDocument"))
    for arn in _branches(props.get("ManagedPolicyArns")):
        text = arn if isinstance(arn, str) else _sub_text(arn)
        policy_name = text.rsplit("/", 1)[-1] if text else ""
        for service in BROAD_MANAGED_POLICIES.get(policy_name, ()):
            yield Statement((f"{service}:*" if service != "*" else "*",), ("*",))


def _sub_text(value: Any) -> str:
    argument = value.get("Fn::Sub") if isinstance(value, dict) else None
    if isinstance(argument, list) and argument:
        argument = argument[0]
    return argument if isinstance(argument, str) else ""


def grants(statement: Statement, service: str, target: str) -> bool:
    """Whether a statement allows some ``service`` action on resource ``target``."""
    if not any(action.startswith(f"{service}:") or fnmatch.fnmatchcase(f"{service}:x", action)
               for action in statement.actions):
        return False
    for resource in statement.resources:
        if resource == "*":
            return True
        if isinstance(resource, str):
            # A literal ARN pattern of the service (arn:aws:dynamodb:*:*:table/*) may cover it.
            if f":{service}:" in resource and ("*" in resource or target in resource):
                return True
            continue
        if any(name == target for name, _ in references(resource)):
            return True
    return False
