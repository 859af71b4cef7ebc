"""Which IAM actions a function needs on each kind of data resource it is handed, and
the least-privilege statement that grants them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.edits import Add, Edit
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


_DYNAMODB = Access("dynamodb", tuple(f"dynamodb:{a}" for a in ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query")), "Arn", ("/index/*",))
ACCESS: dict[str, Access] = {
    "AWS::DynamoDB::Table": _DYNAMODB,
    "AWS::DynamoDB::GlobalTable": _DYNAMODB,
    "AWS::S3::Bucket": Access("s3", ("s3:GetObject", "s3:PutObject", "s3:ListBucket"), "Arn", ("/*",)),
    "AWS::SQS::Queue": Access("sqs", tuple(f"sqs:{a}" for a in ("SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueAttributes")), "Arn"),
    "AWS::SNS::Topic": Access("sns", ("sns:Publish",), None),
    "AWS::SecretsManager::Secret": Access("secretsmanager", ("secretsmanager:GetSecretValue",), None),
    "AWS::Kinesis::Stream": Access("kinesis", tuple(f"kinesis:{a}" for a in ("PutRecord", "PutRecords", "GetRecords", "GetShardIterator", "DescribeStream", "ListShards")), "Arn"),
}


def statement(resource_type: str, name: str) -> dict[str, Any]:
    access = ACCESS[resource_type]
    resources = access.resources(name)
    return {"Effect": "Allow", "Action": list(access.actions), "Resource": resources if len(resources) > 1 else resources[0]}


def grant_edits(context: Context, role: str, target: str, resource_type: str) -> list[Edit] | None:
    """Edits that add an inline policy for ``target`` to ``role``; None if the role's
    policies are not a plain list the edit can extend."""
    body = context.resources.get(role)
    if body is None or body["Type"] != "AWS::IAM::Role":
        return None
    taken = {p.get("PolicyName") for p in tpl.properties(body).get("Policies", []) if isinstance(p, dict)} \
        if isinstance(tpl.properties(body).get("Policies", []), list) else set()
    policy_name = f"{target}Access"
    while policy_name in taken:
        policy_name += "2"
    policy = {"PolicyName": policy_name, "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement(resource_type, target)]}}
    props = body.get("Properties")
    if props is None:
        return [Add(tpl.resource_pointer(role, "Properties"), {"Policies": [policy]})]
    if not isinstance(props, dict):
        return None
    policies = props.get("Policies")
    if policies is None:
        return [Add(tpl.resource_pointer(role, "Properties", "Policies"), [policy])]
    if not isinstance(policies, list):
        return None
    return [Add(tpl.resource_pointer(role, "Properties", "Policies", "-"), policy)]
