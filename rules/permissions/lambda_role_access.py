from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.core.findings import Fix, Severity
from app.core.intrinsics import references
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.functions import Function, Variable, functions
from rules.permissions import iam
from rules.permissions.access import ACCESS, grant_edits, sam_grant_edits, sam_policy_title, target
from rules.permissions.conditions import ALWAYS, Circumstance, Gap, joined, leaves


@dataclass(frozen=True)
class MissingGrant:
    """The permission a violation lacks: ``function`` may not use ``target``. ``role`` is
    the template role to extend, None for a SAM function's own ``Policies``."""

    function: str
    role: str | None
    target: str
    target_type: str
    may_need: bool  # the function gets the resource only through SAM's Globals
    by_design: str = ""  # why the template may leave the grant out on purpose


@dataclass(frozen=True)
class Link:
    """A data resource a function is handed: through which variable, and when."""

    variable: Variable
    target: str
    target_type: str
    needed: Circumstance


def links(context: Context, function: Function) -> Iterator[Link]:
    """Each data resource the function's environment refers to, once: through its own
    variables rather than Globals', and in the fewest conditions."""
    found: dict[str, Link] = {}
    base = frozenset({(function.condition, True)}) if function.condition else ALWAYS
    for variable in function.variables:
        for part, when in leaves(variable.value):
            needed = joined(base, when)
            for name, attribute in references(part):
                target_type = context.type_of(name)
                if needed is None or target_type not in ACCESS or attribute in iam.FEED_ATTRIBUTES:
                    continue
                link = Link(variable, name, target_type or "", needed)
                if name not in found or _rank(link) < _rank(found[name]):
                    found[name] = link
    yield from found.values()


def _rank(link: Link) -> tuple[bool, int]:
    return link.variable.from_globals, len(link.needed)


class LambdaRoleAccess(Rule[MissingGrant]):
    """## What it does
    Flags a Lambda function — `AWS::Lambda::Function` or SAM's `AWS::Serverless::Function`
    — that is handed a data resource of the template (a DynamoDB table, S3 bucket, SQS
    queue, SNS topic, Secrets Manager secret or Kinesis stream) through an environment
    variable (`Ref`, `Fn::GetAtt` or `Fn::Sub`), while nothing lets it use that resource.

    Grants are read as IAM reads them: the role's inline `Policies`, the
    `AWS::IAM::Policy`, `ManagedPolicy` and `RolePolicy` resources attached to it, AWS
    managed policies in `ManagedPolicyArns`; for a SAM function without a `Role`, its
    `Policies` — SAM policy templates (`DynamoDBCrudPolicy: {TableName: !Ref Table}`, read
    from SAM's own table), AWS managed policy names and ARNs, inline statements — and the
    policies SAM adds for its event sources. An explicit `Deny` on the resource takes a grant
    back; a grant inside `Fn::If` counts in the deploys that take its branch, and the
    finding says in which deploys it is missing.

    A variable a SAM function gets only from `Globals` may be unused by that function: that
    is reported at low severity as a resource it *may* need. Where the template may leave
    the grant out on purpose — it grants it in other deploys, or another role of the
    template that other roles may assume allows it (scoped credentials for tenant
    isolation) — the finding is medium and says so.

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
    On a role: adds an inline policy with least-privilege actions on that resource
    (DynamoDB: Get/Put/Update/DeleteItem and Query on the table and its indexes). On a SAM
    function without a role: adds to its `Policies` the narrowest SAM policy template that
    allows those actions (`DynamoDBCrudPolicy`, `S3CrudPolicy`, `SNSPublishMessagePolicy`,
    `AWSSecretsManagerGetSecretValuePolicy`), or the inline statement where no template
    does (SQS send and receive, Kinesis). A grant on a resource that has a `Condition`
    carries it. Safe; offered as unsafe where the function only *may* need the resource (it
    widens its permissions on a guess) or the template may leave the grant out on purpose.

    ## References
    - AWS: Lambda execution role
    - AWS SAM: policy templates
    """

    id = "CD3001"
    title = "Lambda role cannot reach a resource the function uses"
    severity = Severity.HIGH
    tags = ("permissions",)
    docs_url = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"

    def check(self, context: Context) -> Iterator[Violation[MissingGrant]]:
        for function in functions(context):
            permissions = iam.function_permissions(context, function)
            if permissions is None:
                continue
            for link in links(context, function):
                grant_target = target(context, link.target)
                uses = iam.actions_of(ACCESS[link.target_type].uses)
                gap = iam.missing(context, permissions, grant_target, uses, link.needed)
                if gap is None:
                    continue
                denied = iam.denied(permissions, grant_target, uses)
                by_design = "" if denied else _by_design(context, permissions, grant_target, uses, gap)
                yield _violation(function, permissions, link, gap, denied, by_design)

    def fix(self, context: Context, violation: Violation[MissingGrant]) -> list[Fix]:
        grant = violation.data
        service = ACCESS[grant.target_type].service
        if grant.role is not None:
            edits = grant_edits(context, grant.role, grant.target, grant.target_type)
            title = f"Grant {grant.role} {service} access to {grant.target}"
        else:
            edits = sam_grant_edits(context, grant.function, grant.target, grant.target_type)
            title = f"Add {sam_policy_title(grant.target_type)} on {grant.target} to {grant.function}'s Policies"
        if not edits:
            return []
        if grant.may_need:
            note = (f"{grant.function} gets {grant.target} only from Globals and may not use it: grant access only if "
                    "its code does, or the function gets permissions it does not need")
            return [Fix(title, tuple(edits), "unsafe", note)]
        if grant.by_design:
            note = (f"{grant.by_design}: the template may leave this grant out on purpose, and granting it here "
                    "may defeat that design")
            return [Fix(title, tuple(edits), "unsafe", note)]
        return [Fix(title, tuple(edits))]


def _by_design(context: Context, permissions: iam.Permissions, grant_target: iam.Target, uses: tuple[str, ...],
               gap: Gap) -> str:
    """Why the template may leave the grant out on purpose: it grants it in other deploys,
    or scoped credentials for it are to be had from another role."""
    if not gap.always:
        return "the template grants it in the other deploys"
    vending = iam.vending_roles(context, grant_target, uses, permissions.role)
    if vending:
        return f"{vending[0]}, a role that other roles of the template may assume, allows it"
    return ""


def _violation(function: Function, permissions: iam.Permissions, link: Link, gap: Gap, denied: bool,
               by_design: str) -> Violation[MissingGrant]:
    variable = link.variable
    service = ACCESS[link.target_type].service
    grant = MissingGrant(function.name, permissions.role, link.target, link.target_type, variable.from_globals,
                         by_design)
    lacks = (f"an explicit Deny in {permissions.holder} takes back its {service} actions on {link.target}" if denied
             else f"{permissions.holder} grants no {service} actions on {link.target}")
    when = "" if gap.always else f" {gap.when}"
    if variable.from_globals:
        return Violation(
            tpl.resource_pointer(function.name),
            f"{function.name} gets {link.target} ({link.target_type}) through {variable.name} from Globals, and "
            f"{lacks}{when}: if the function uses {link.target}, it may need access (calls would fail with "
            "AccessDenied)",
            function.name, Severity.LOW, data=grant)
    uses = f"{function.name} uses {link.target} ({link.target_type}) through {variable.name}, but {lacks}{when}"
    if by_design:
        return Violation(
            variable.pointer,
            f"{uses}, while {by_design}: unless the function runs with other credentials"
            f"{'' if gap.always else ' then'}, calls will fail with AccessDenied",
            function.name, Severity.MEDIUM, data=grant)
    failure = "calls will fail with AccessDenied" + ("" if gap.always else " in those deploys")
    return Violation(variable.pointer, f"{uses}: {failure}", function.name, data=grant)
