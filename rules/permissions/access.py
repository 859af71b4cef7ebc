"""Which IAM actions a function needs on each kind of data resource it is handed, and
the least-privilege statement that grants them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.edits import Add, Edit
from app.core.intrinsics import is_intrinsic
from rules import template as tpl
from rules.context import Context


@dataclass(frozen=True)
class Access:
    service: str  # the IAM action prefix
    actions: tuple[str, ...]
    arn_attribute: str | None  # GetAtt attribute for the ARN; None: Ref gives the ARN
    sub_resources: tuple[str, ...] = ()  # ARN suffixes also needed ("/index/*")

    def resources(self, name: str) -> list[Any]:
        arn: Any = {"Fn::GetAtt": [name, self.arn_attribute]} if self.arn_attribute else {"Ref": name}
        suffixed = [{"Fn::Sub": f"${{{name}.{self.arn_attribute}}}{suffix}"} for suffix in self.sub_resources]
        return [arn, *suffixed]


def _actions(service: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{service}:{name}" for name in names)


_DYNAMODB = Access(
    "dynamodb", _actions("dynamodb", "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"), "Arn", ("/index/*",))
ACCESS: dict[str, Access] = {
    "AWS::DynamoDB::Table": _DYNAMODB,
    "AWS::DynamoDB::GlobalTable": _DYNAMODB,
    "AWS::S3::Bucket": Access("s3", _actions("s3", "GetObject", "PutObject", "ListBucket"), "Arn", ("/*",)),
    "AWS::SQS::Queue": Access(
        "sqs", _actions("sqs", "SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueAttributes"), "Arn"),
    "AWS::SNS::Topic": Access("sns", _actions("sns", "Publish"), None),
    "AWS::SecretsManager::Secret": Access("secretsmanager", _actions("secretsmanager", "GetSecretValue"), None),
    "AWS::Kinesis::Stream": Access("kinesis", _actions(
        "kinesis", "PutRecord", "PutRecords", "GetRecords", "GetShardIterator", "DescribeStream", "ListShards"), "Arn"),
}


def statement(resource_type: str, name: str) -> dict[str, Any]:
    access = ACCESS[resource_type]
    resources = access.resources(name)
    resource = resources if len(resources) > 1 else resources[0]
    return {"Effect": "Allow", "Action": list(access.actions), "Resource": resource}


def grant_edits(context: Context, role: str, target: str, resource_type: str) -> list[Edit] | None:
    """Edits that add an inline policy for ``target`` to ``role``; None if the role's
    policies are not a plain list the edit can extend."""
    body = context.resources.get(role)
    if body is None or body["Type"] != "AWS::IAM::Role":
        return None
    props = body.get("Properties")
    if props is not None and (not isinstance(props, dict) or is_intrinsic(props)):
        return None  # a condition chooses the properties: only a deployment knows which
    taken = _policy_names(body)
    policy_name = f"{target}Access"
    while policy_name in taken:
        policy_name += "2"
    document = {"Version": "2012-10-17", "Statement": [statement(resource_type, target)]}
    policy = {"PolicyName": policy_name, "PolicyDocument": document}
    if props is None:
        return [Add(tpl.resource_pointer(role, "Properties"), {"Policies": [policy]})]
    policies = props.get("Policies")
    if policies is None:
        return [Add(tpl.resource_pointer(role, "Properties", "Policies"), [policy])]
    if not isinstance(policies, list):
        return None
    return [Add(tpl.resource_pointer(role, "Properties", "Policies", "-"), policy)]


def _policy_names(role: dict[str, Any]) -> set[str]:
    """The names of the role's inline policies, but those an intrinsic function gives:
    only a deployment knows them."""
    policies = tpl.properties(role).get("Policies")
    if not isinstance(policies, list):
        return set()
    return {policy["PolicyName"] for policy in policies
            if isinstance(policy, dict) and isinstance(policy.get("PolicyName"), str)}
