"""Which IAM actions a function needs on each kind of data resource it is handed, and the
least-privilege grant that allows them: an inline policy on a role, or on a SAM function
the narrowest SAM policy template that covers them (an inline statement when none does)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from app.core.edits import Add, Edit, Set
from app.core.intrinsics import is_intrinsic
from rules import template as tpl
from rules.context import Context
from rules.permissions import iam, policy_templates

REF = "Ref"  # the value is the resource's Ref, not an attribute
NO_VALUE = {"Ref": "AWS::NoValue"}
VERSION = "2012-10-17"
WILDCARD_BREADTH = 1000  # an action pattern with "*" counts as that many actions when templates are compared


@dataclass(frozen=True)
class Access:
    service: str  # the IAM action prefix
    actions: tuple[str, ...]  # what a fix grants
    uses: tuple[str, ...]  # any of these allowed on the resource means the function can use it
    arn: str  # how to get the ARN: REF or a GetAtt attribute
    name: str | None  # how to get the name (REF or an attribute); None: no way
    name_property: str  # the property that names the resource
    sub_resources: tuple[str, ...] = ()  # ARN suffixes also needed ("/index/*")

    def arn_of(self, target: str) -> Any:
        return _value(target, self.arn)

    def name_of(self, target: str) -> Any:
        return _value(target, self.name) if self.name else None

    def resources(self, target: str) -> list[Any]:
        suffixed = [{"Fn::Sub": f"${{{target}.{self.arn}}}{suffix}"} for suffix in self.sub_resources]
        return [self.arn_of(target), *suffixed]

    def parameter_value(self, parameter: str, target: str) -> Any:
        """What a policy template's parameter takes for the target: ``...Arn`` its ARN,
        ``...Name`` its name; None for any other parameter."""
        if parameter.endswith("Arn"):
            return self.arn_of(target)
        if parameter.endswith("Name"):
            return self.name_of(target)
        return None


def _value(target: str, how: str) -> Any:
    return {"Ref": target} if how == REF else {"Fn::GetAtt": [target, how]}


def _actions(service: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{service}:{name}" for name in names)


_DYNAMODB = Access(
    "dynamodb", _actions("dynamodb", "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"),
    _actions("dynamodb", "GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem", "DeleteItem",
             "BatchWriteItem", "ConditionCheckItem", "PartiQLSelect", "PartiQLInsert", "PartiQLUpdate",
             "PartiQLDelete"),
    "Arn", REF, "TableName", ("/index/*",))
_KINESIS_USES = ("PutRecord", "PutRecords", "GetRecords", "GetShardIterator", "SubscribeToShard")
ACCESS: dict[str, Access] = {
    "AWS::DynamoDB::Table": _DYNAMODB,
    "AWS::DynamoDB::GlobalTable": _DYNAMODB,
    "AWS::Serverless::SimpleTable": _DYNAMODB,  # SAM makes it an AWS::DynamoDB::Table of the same logical id
    "AWS::S3::Bucket": Access(
        "s3", _actions("s3", "GetObject", "PutObject", "ListBucket"),
        _actions("s3", "GetObject", "GetObjectVersion", "PutObject", "DeleteObject", "DeleteObjectVersion",
                 "ListBucket", "ListBucketVersions", "RestoreObject", "AbortMultipartUpload"),
        "Arn", REF, "BucketName", ("/*",)),
    "AWS::SQS::Queue": Access(
        "sqs", _actions("sqs", "SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueAttributes"),
        _actions("sqs", "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "PurgeQueue"),
        "Arn", "QueueName", "QueueName"),
    "AWS::SNS::Topic": Access("sns", _actions("sns", "Publish"), _actions("sns", "Publish"), REF, "TopicName",
                              "TopicName"),
    "AWS::SecretsManager::Secret": Access(
        "secretsmanager", _actions("secretsmanager", "GetSecretValue"),
        _actions("secretsmanager", "GetSecretValue", "PutSecretValue"), REF, None, "Name"),
    "AWS::Kinesis::Stream": Access("kinesis", _actions(
        "kinesis", "PutRecord", "PutRecords", "GetRecords", "GetShardIterator", "DescribeStream", "ListShards"),
        _actions("kinesis", *_KINESIS_USES), "Arn", REF, "Name"),
}


def target(context: Context, name: str) -> iam.Target:
    """The grant target for a data resource of the template, with its physical name."""
    access = ACCESS[context.type_of(name) or ""]
    physical_name = tpl.properties(context.resources[name]).get(access.name_property)
    return iam.Target(name, access.service, physical_name)


def statement(resource_type: str, name: str) -> dict[str, Any]:
    access = ACCESS[resource_type]
    resources = access.resources(name)
    resource = resources if len(resources) > 1 else resources[0]
    return {"Effect": "Allow", "Action": list(access.actions), "Resource": resource}


# -- a role's inline policy ---------------------------------------------------------------
def grant_edits(context: Context, role: str, target_name: str, resource_type: str) -> list[Edit] | None:
    """Edits that add an inline policy for the target to ``role``; None if the role's
    policies are not a plain list the edit can extend."""
    body = context.resources.get(role)
    if body is None or body["Type"] != "AWS::IAM::Role":
        return None
    props = body.get("Properties")
    if props is not None and (not isinstance(props, dict) or is_intrinsic(props)):
        return None  # a condition chooses the properties: only a deployment knows which
    policy_name, taken = f"{target_name}Access", _policy_names(body)
    while policy_name in taken:
        policy_name += "2"
    document = {"Version": VERSION, "Statement": [statement(resource_type, target_name)]}
    policy = _as_conditional(context, target_name, {"PolicyName": policy_name, "PolicyDocument": document})
    return _appended(tpl.resource_pointer(role), body, "Policies", policy)


def _policy_names(role: dict[str, Any]) -> set[str]:
    """The names of the role's inline policies, but those an intrinsic function gives:
    only a deployment knows them."""
    policies = tpl.properties(role).get("Policies")
    if not isinstance(policies, list):
        return set()
    return {policy["PolicyName"] for policy in policies
            if isinstance(policy, dict) and isinstance(policy.get("PolicyName"), str)}


# -- a SAM function's Policies -------------------------------------------------------------
def sam_grant_edits(context: Context, function: str, target_name: str, resource_type: str) -> list[Edit] | None:
    """Edits that add the narrowest policy template for the target (or an inline statement)
    to a SAM function's ``Policies``; None if they cannot be extended."""
    body = context.resources.get(function)
    if body is None or is_intrinsic(body.get("Properties")):
        return None
    entry = _sam_policy(context, target_name, resource_type)
    return _appended(tpl.resource_pointer(function), body, "Policies", entry, sam=True)


def _sam_policy(context: Context, target_name: str, resource_type: str) -> Any:
    chosen = narrowest_template(resource_type)
    if chosen is None:
        entry: Any = {"Version": VERSION, "Statement": [statement(resource_type, target_name)]}
    else:
        template, parameter = chosen
        entry = {template: {parameter: ACCESS[resource_type].parameter_value(parameter, target_name)}}
    return _as_conditional(context, target_name, entry)


def sam_policy_title(resource_type: str) -> str:
    chosen = narrowest_template(resource_type)
    return chosen[0] if chosen else "an inline statement"


@cache
def narrowest_template(resource_type: str) -> tuple[str, str] | None:
    """(template, parameter) of the SAM policy template that allows every action a fix
    grants on a resource of this type while allowing the fewest actions, read from SAM's
    own table; None when no single-parameter template covers them."""
    access = ACCESS[resource_type]
    placeholder = iam.Target("Placeholder", access.service)
    ranked: list[tuple[int, str, str]] = []
    for template in policy_templates.templates().values():
        if len(template.parameters) != 1:
            continue
        (parameter,) = template.parameters
        value = access.parameter_value(parameter, placeholder.name)
        document = template.document({parameter: value}) if value is not None else None
        statements = list(iam.document_statements(document))
        if _covers(statements, placeholder, access):
            breadth = sum(len(s.actions) + WILDCARD_BREADTH * any("*" in a for a in s.actions) for s in statements)
            ranked.append((breadth, template.name, parameter))
    if not ranked:
        return None
    _breadth, name, parameter = min(ranked)
    return name, parameter


def _covers(statements: list[iam.Statement], placeholder: iam.Target, access: Access) -> bool:
    """Whether the statements allow every action a fix grants, on the resource and on each
    of its sub-resources (a table's indexes, a bucket's objects)."""
    actions = iam.actions_of(access.actions)
    if not all(any(s.allows(action, placeholder) for s in statements) for action in actions):
        return False
    texts = [iam.literal_text(resource) or "" for s in statements if s.allow for resource in s.resources]
    return all(any(text.endswith(suffix) for text in texts) for suffix in access.sub_resources)


# -- shared --------------------------------------------------------------------------------
def _as_conditional(context: Context, target_name: str, entry: Any) -> Any:
    """A grant on a resource that has a ``Condition`` exists only with it: the reference
    would not resolve in the other deploys."""
    condition = context.resources.get(target_name, {}).get("Condition")
    if isinstance(condition, str):
        return {"Fn::If": [condition, entry, NO_VALUE]}
    return entry


def _appended(body_pointer: str, body: dict[str, Any], key: str, entry: Any, *, sam: bool = False) -> list[Edit] | None:
    """Edits that add ``entry`` to the list ``Properties[key]``, creating it when absent.
    SAM reads a single entry as a list of one, so there it becomes a list of two."""
    props = body.get("Properties")
    if props is None:
        return [Add(f"{body_pointer}/Properties", {key: [entry]})]
    if not isinstance(props, dict) or is_intrinsic(props):
        return None
    current = props.get(key)
    pointer = f"{body_pointer}/Properties/{key}"
    if current is None:
        return [Add(pointer, [entry])]
    if isinstance(current, list):
        return [Add(f"{pointer}/-", entry)]
    if sam and not any(isinstance(branch, list) for branch in _if_branches(current)):
        return [Set(pointer, [current, entry])]
    return None


def _if_branches(value: Any) -> list[Any]:
    argument = value.get("Fn::If") if isinstance(value, dict) else None
    return argument[1:] if isinstance(argument, list) else []
