"""What a function of the template is allowed to do, read as IAM reads it.

Grants come from the function's role — its inline ``Policies``, the ``AWS::IAM::Policy``,
``ManagedPolicy`` and ``RolePolicy`` resources attached to it, its ``ManagedPolicyArns`` —
or, for a SAM function without a ``Role``, from the role SAM makes of its ``Policies``
(policy templates, AWS managed policy names and ARNs, inline statements) and of its event
sources. A statement inside an ``Fn::If`` exists only in the deploys that take its branch,
and an explicit ``Deny`` wins over every ``Allow``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.intrinsics import is_intrinsic, references
from rules import template as tpl
from rules.context import Context
from rules.functions import Function
from rules.permissions import policy_templates
from rules.permissions.conditions import ALWAYS, Circumstance, Conditions, Gap, choices, holds, joined

#: AWS managed policies and the actions they allow on every resource (of the data services
#: CD3001 knows; their other actions do not matter here).
AWS_MANAGED_POLICIES: dict[str, tuple[str, ...]] = {
    "AdministratorAccess": ("*",),
    "PowerUserAccess": ("*",),  # all but IAM, Organizations and Account: every data service
    "AmazonDynamoDBFullAccess": ("dynamodb:*",),
    "AmazonDynamoDBReadOnlyAccess": ("dynamodb:BatchGetItem", "dynamodb:Describe*", "dynamodb:List*",
                                     "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PartiQLSelect"),
    "AWSLambdaDynamoDBExecutionRole": ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                                       "dynamodb:ListStreams"),
    "AmazonS3FullAccess": ("s3:*",),
    "AmazonS3ReadOnlyAccess": ("s3:Get*", "s3:List*", "s3:Describe*"),
    "AWSLambdaExecute": ("s3:GetObject", "s3:PutObject"),
    "AmazonSQSFullAccess": ("sqs:*",),
    "AmazonSQSReadOnlyAccess": ("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:List*"),
    "AWSLambdaSQSQueueExecutionRole": ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
    "AmazonSNSFullAccess": ("sns:*",),
    "AmazonSNSReadOnlyAccess": ("sns:GetTopicAttributes", "sns:List*"),
    "SecretsManagerReadWrite": ("secretsmanager:*",),
    "AmazonKinesisFullAccess": ("kinesis:*",),
    "AmazonKinesisReadOnlyAccess": ("kinesis:Get*", "kinesis:List*", "kinesis:Describe*"),
    "AWSLambdaKinesisExecutionRole": ("kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                                      "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:ListStreams",
                                      "kinesis:SubscribeToShard"),
}
#: the managed policy SAM adds to the role it makes for each kind of poll-based event source
SAM_EVENT_POLICIES = {"SQS": "AWSLambdaSQSQueueExecutionRole", "Kinesis": "AWSLambdaKinesisExecutionRole",
                      "DynamoDB": "AWSLambdaDynamoDBExecutionRole"}
SAM_DEAD_LETTER_ACTIONS = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish"}
POLICY_ATTACHMENTS = {"AWS::IAM::Policy": "Roles", "AWS::IAM::ManagedPolicy": "Roles",
                      "AWS::IAM::RolePolicy": "RoleName"}
FEED_ATTRIBUTES = ("StreamArn", "ConsumerArn")  # a table's or stream's change feed, read with other actions


@dataclass(frozen=True)
class Target:
    """A resource of the template a grant may name: by logical id, or by its physical
    name (``TableName: !Sub '${AWS::StackName}-orders'`` written again in an ARN)."""

    name: str
    service: str
    physical_name: Any = None


@dataclass(frozen=True)
class Statement:
    allow: bool
    actions: tuple[str, ...]  # lower-cased patterns
    every_action_but: bool  # NotAction: the patterns are the actions left out
    resources: tuple[Any, ...]
    every_resource_but: bool  # NotResource
    conditional: bool  # carries an IAM Condition, which only a request can tell
    when: Circumstance = ALWAYS  # the Fn::If branches the statement is in

    def allows(self, action: str, target: Target) -> bool:
        return self.allow and self._matches(action) and self._covers(target, surely=False)

    def denies(self, action: str, target: Target) -> bool:
        """An unconditional Deny that surely names the target (a pattern that may not is not
        taken as denying: the finding would then be a guess)."""
        return not self.allow and not self.conditional and self._matches(action) and self._covers(target, surely=True)

    def _matches(self, action: str) -> bool:
        named = any(fnmatch.fnmatchcase(action, pattern) for pattern in self.actions)
        return named != self.every_action_but

    def _covers(self, target: Target, *, surely: bool) -> bool:
        if self.every_resource_but:
            return not any(_names(resource, target, surely=not surely) for resource in self.resources)
        return any(_names(resource, target, surely=surely) for resource in self.resources)


@dataclass(frozen=True)
class Permissions:
    """What one function may do, and who grants it (for messages and fixes)."""

    holder: str  # "its role HandlerRole", "the role SAM makes from its Policies"
    role: str | None  # the template role a fix extends; None: the function's own Policies
    statements: tuple[Statement, ...]


def role_of_function(body: dict[str, Any]) -> str | None:
    """The logical id of the template role a function's ``Role`` points at."""
    role = tpl.properties(body).get("Role")
    for name, attribute in references(role):
        if attribute in (None, "Arn"):
            return name
    return None


def function_permissions(context: Context, function: Function) -> Permissions | None:
    """What the function may do; None when the template cannot tell (a role from outside
    the template, or one whose properties a condition chooses)."""
    role_value = function.properties.get("Role")
    if function.sam and role_value is None:
        return Permissions("the role SAM makes from its Policies", None, tuple(sam_statements(context, function)))
    if isinstance(role_value, dict) and set(role_value) == {"Fn::If"}:
        return None  # only a deployment tells which role
    role = role_of_function(function.body)
    body = context.resources.get(role or "")
    if role is None or body is None or body["Type"] != "AWS::IAM::Role" or is_intrinsic(body.get("Properties")):
        return None
    statements = (*role_statements(context, role), *_assumable_statements(context, function, role))
    return Permissions(f"its role {role}", role, statements)


def _assumable_statements(context: Context, function: Function, role: str) -> Iterator[Statement]:
    """The grants of roles the function is handed in its environment and may assume: their
    trust policy names its role (as tenant-isolation designs do)."""
    handed = {name for variable in function.variables for name, _ in references(variable.value)}
    for name in sorted(handed - {role}):
        body = context.resources.get(name)
        if body is None or body["Type"] != "AWS::IAM::Role":
            continue
        trust = tpl.properties(body).get("AssumeRolePolicyDocument")
        if any(principal == role for principal, _ in references(trust)):
            yield from role_statements(context, name)


def missing(context: Context, permissions: Permissions, target: Target, uses: Sequence[str],
            needed: Circumstance = ALWAYS) -> Gap | None:
    """The deploys (where ``needed`` holds) in which no action of ``uses`` is allowed on
    ``target``: no Allow names it, or an explicit Deny takes it back."""
    allows = {action: [s.when for s in permissions.statements if s.allows(action, target)] for action in uses}
    denies = {action: [s.when for s in permissions.statements if s.denies(action, target)] for action in uses}
    names = {name for statement in permissions.statements for name, _ in statement.when}

    def met(valuation: Mapping[str, bool]) -> bool:
        return any(any(holds(when, valuation) for when in allows[action])
                   and not any(holds(when, valuation) for when in denies[action]) for action in uses)

    return Conditions(context.data).gap(needed, names, met)


def vending_roles(context: Context, target: Target, uses: Sequence[str], own_role: str | None) -> list[str]:
    """Other roles of the template that allow using the target and that a role of the
    template may assume: an application that hands out scoped credentials (tenant
    isolation) gives its functions those instead of their own role's."""
    found = []
    for name, body in context.of_type("AWS::IAM::Role"):
        trust = tpl.properties(body).get("AssumeRolePolicyDocument")
        if name == own_role or not any(context.type_of(principal) == "AWS::IAM::Role"
                                       for principal, _ in references(trust)):
            continue
        if any(statement.allows(action, target) for statement in role_statements(context, name) for action in uses):
            found.append(name)
    return found


def denied(permissions: Permissions, target: Target, uses: Sequence[str]) -> bool:
    """Whether an explicit Deny is why: some action is allowed, and denied."""
    return any(any(s.allows(action, target) for s in permissions.statements)
               and any(s.denies(action, target) for s in permissions.statements) for action in uses)


# -- the role's grants ------------------------------------------------------------------
def role_statements(context: Context, role: str) -> Iterator[Statement]:
    props = tpl.properties(context.resources.get(role, {}))
    for policy, when in choices(props.get("Policies")):
        if isinstance(policy, dict):
            yield from document_statements(policy.get("PolicyDocument"), when)
    yield from attached_statements(context, _role_names(context, role))
    for arn, when in choices(props.get("ManagedPolicyArns")):
        yield from managed_policy_statements(context, arn, when)


def _role_names(context: Context, role: str) -> list[Any]:
    """The values that name the role in an attachment: ``!Ref Role``, and its ``RoleName``."""
    names: list[Any] = [{"Ref": role}]
    role_name = tpl.properties(context.resources.get(role, {})).get("RoleName")
    if role_name is not None:
        names.append(role_name)
    return names


def attached_statements(context: Context, role_names: list[Any]) -> Iterator[Statement]:
    """Statements of the policy resources whose ``Roles``/``RoleName`` name the role."""
    for _name, body in context.of_type(*POLICY_ATTACHMENTS):
        props = tpl.properties(body)
        condition = body.get("Condition")
        exists = frozenset({(condition, True)}) if isinstance(condition, str) else ALWAYS
        for holder, holder_when in choices(props.get(POLICY_ATTACHMENTS[body["Type"]]), exists):
            if any(_same_name(holder, name) for name in role_names):
                yield from document_statements(props.get("PolicyDocument"), holder_when)


def _same_name(holder: Any, name: Any) -> bool:
    if holder == name:
        return True
    return isinstance(name, dict) and set(name) == {"Ref"} and (name["Ref"], None) in set(references(holder))


def managed_policy_statements(context: Context, arn: Any, when: Circumstance) -> Iterator[Statement]:
    """What a ``ManagedPolicyArns`` entry (or a SAM ``Policies`` name or ARN) grants: a
    policy of the template it refers to, or a known AWS managed policy."""
    for name, _attribute in references(arn):
        body = context.resources.get(name)
        if body is not None and body["Type"] == "AWS::IAM::ManagedPolicy":
            yield from document_statements(tpl.properties(body).get("PolicyDocument"), when)
    actions = AWS_MANAGED_POLICIES.get(aws_managed_policy_name(arn) or "")
    if actions:
        yield Statement(True, actions_of(actions), False, ("*",), False, False, when)


def aws_managed_policy_name(value: Any) -> str | None:
    """``AdministratorAccess`` of ``arn:aws:iam::aws:policy/AdministratorAccess``, of the same
    built with ``!Sub arn:${AWS::Partition}:...`` or ``!Join``, or of a SAM policy name."""
    text = literal_text(value)
    if text is None:
        return None
    if ":" not in text:
        return text or None
    marker = re.search(r":iam::aws:policy/(?:.*/)?([^/]+)$", text)
    return marker.group(1) if marker else None


def literal_text(value: Any) -> str | None:
    """The text of a string, an ``Fn::Sub`` without variables of its own, or an ``Fn::Join``
    whose parts are literals or pseudo parameters (shown as ``${AWS::...}``)."""
    if isinstance(value, str):
        return value
    if not is_intrinsic(value):
        return None
    ((function, argument),) = value.items()
    if function == "Fn::Sub":
        text = argument[0] if isinstance(argument, list) and argument else argument
        return text if isinstance(text, str) else None
    if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
        delimiter, parts = argument
        texts = [_join_part(part) for part in parts] if isinstance(parts, list) else [None]
        if isinstance(delimiter, str) and all(text is not None for text in texts):
            return delimiter.join(text for text in texts if text is not None)
    return None


def _join_part(part: Any) -> str | None:
    if isinstance(part, dict) and set(part) == {"Ref"} and str(part["Ref"]).startswith("AWS::"):
        return f"${{{part['Ref']}}}"
    return literal_text(part)


# -- SAM's role ---------------------------------------------------------------------------
def sam_statements(context: Context, function: Function) -> Iterator[Statement]:
    """The role SAM makes for a function without ``Role``: its ``Policies``, the managed
    policies of its poll-based event sources, its dead-letter target, and the policy
    resources attached to ``<Function>Role``, the name SAM gives the role."""
    props = function.properties
    for entry, when in choices(props.get("Policies")):
        yield from sam_policy_statements(context, entry, when)
    events = props.get("Events")
    for event in events.values() if isinstance(events, dict) else []:
        policy = SAM_EVENT_POLICIES.get(str(event.get("Type"))) if isinstance(event, dict) else None
        if policy:
            yield Statement(True, actions_of(AWS_MANAGED_POLICIES[policy]), False, ("*",), False, False)
    dead_letter = props.get("DeadLetterQueue")
    if isinstance(dead_letter, dict) and dead_letter.get("Type") in SAM_DEAD_LETTER_ACTIONS:
        action = SAM_DEAD_LETTER_ACTIONS[dead_letter["Type"]]
        yield Statement(True, actions_of((action,)), False, (dead_letter.get("TargetArn"),), False, False)
    yield from attached_statements(context, [{"Ref": f"{function.name}Role"}])


def sam_policy_statements(context: Context, entry: Any, when: Circumstance = ALWAYS) -> Iterator[Statement]:
    """What one entry of a SAM function's ``Policies`` grants."""
    if isinstance(entry, str) or is_intrinsic(entry):
        yield from managed_policy_statements(context, entry, when)
    elif isinstance(entry, dict) and "Statement" in entry:
        yield from document_statements(entry, when)
    else:
        call = policy_templates.template_call(entry)
        if call is not None:
            template, values = call
            yield from document_statements(template.document(values), when)


# -- policy documents ----------------------------------------------------------------------
def document_statements(document: Any, when: Circumstance = ALWAYS) -> Iterator[Statement]:
    """The statements of a policy document, an ``Fn::If`` anywhere in it read per branch."""
    if not isinstance(document, dict) or is_intrinsic(document):
        return
    for raw, inner in choices(document.get("Statement"), when):
        if isinstance(raw, dict) and raw.get("Effect", "Allow") in ("Allow", "Deny"):
            yield from _statements(raw, inner)


def _statements(raw: dict[str, Any], when: Circumstance) -> Iterator[Statement]:
    every_action_but = "NotAction" in raw and "Action" not in raw
    every_resource_but = "NotResource" in raw and "Resource" not in raw
    actions = _grouped(raw.get("NotAction" if every_action_but else "Action"), when)
    resources = _grouped(raw.get("NotResource" if every_resource_but else "Resource", "*"), when)
    for action_when, action_items in actions.items():
        for resource_when, resource_items in resources.items():
            both = joined(action_when, resource_when)
            if both is None:
                continue
            yield Statement(raw.get("Effect", "Allow") == "Allow",
                            actions_of(item for item in action_items if isinstance(item, str)), every_action_but,
                            tuple(resource_items), every_resource_but, "Condition" in raw, both)


def _grouped(value: Any, when: Circumstance) -> dict[Circumstance, list[Any]]:
    """The items of a list (an ``Fn::If`` item per branch), grouped by when they exist."""
    groups: dict[Circumstance, list[Any]] = {}
    for item, inner in choices(value, when):
        groups.setdefault(inner, []).append(item)
    return groups


def actions_of(actions: Any) -> tuple[str, ...]:
    return tuple(action.lower() for action in actions)


def _names(resource: Any, target: Target, *, surely: bool) -> bool:
    """Whether a statement's ``Resource`` entry names the target: ``*``, a reference to it,
    its physical name in an ARN, or (unless ``surely``) an ARN pattern of its service."""
    if resource == "*":
        return True
    if isinstance(resource, str):
        return _arn_names(resource, target, surely=surely)
    if any(name == target.name and attribute not in FEED_ATTRIBUTES for name, attribute in references(resource)):
        return True
    return _mentions_physical_name(resource, target.physical_name)


def _arn_names(arn: str, target: Target, *, surely: bool) -> bool:
    match = re.match(rf"arn:[^:]*:{re.escape(target.service)}:[^:]*:[^:]*:(.*)$", arn)
    if match is None:
        return False
    rest = match.group(1)
    if re.fullmatch(r"(?:[\w-]+[/:])?\*", rest):
        return True  # every table, bucket, queue... of the service
    name = target.physical_name
    if isinstance(name, str) and _names_component(rest, name):
        return True
    return not surely and "*" in rest


def _names_component(text: str, name: str) -> bool:
    """``name`` as a whole part of an ARN (``table/orders``, not ``table/orders-archive``)."""
    return re.search(rf"(?:^|[/:]){re.escape(name)}(?:$|[/:])", text) is not None


def _mentions_physical_name(resource: Any, name: Any) -> bool:
    """A value naming the resource as its ``Name`` property does: the same value, the
    same parameter, or the same ``Fn::Sub`` text."""
    if name is None:
        return False
    if _contains(resource, name):
        return True
    if isinstance(name, dict) and set(name) == {"Ref"}:
        return (name["Ref"], None) in set(references(resource))
    text = literal_text(name)
    return bool(text) and any(_names_component(part, text or "") for part in tpl.strings(resource))


def _contains(value: Any, part: Any) -> bool:
    if value == part:
        return True
    if isinstance(value, dict):
        return any(_contains(item, part) for item in value.values())
    if isinstance(value, list):
        return any(_contains(item, part) for item in value)
    return False
