from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.core import pointer as jp
from app.core.findings import Severity
from app.core.intrinsics import reference_target, references
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.setting import milder
from rules.values import UNKNOWN, Outcome

DATABASE_PORTS = {
    1433: "SQL Server", 1521: "Oracle", 3306: "MySQL", 5432: "PostgreSQL", 5439: "Redshift",
    6379: "Redis", 8182: "Neptune", 9042: "Cassandra", 11211: "Memcached", 27017: "MongoDB/DocumentDB",
}
WORLD = ("0.0.0.0/0", "::/0")
SOURCES = ("CidrIp", "CidrIpv6")
GROUP = "AWS::EC2::SecurityGroup"
INGRESS = "AWS::EC2::SecurityGroupIngress"
#: resources that define a group's rules rather than use it
GROUP_RULES = (GROUP, INGRESS, "AWS::EC2::SecurityGroupEgress")
#: what accepts no inbound connection: a group only they use opens no database port
NOT_LISTENING = ("AWS::Lambda::Function", "AWS::Serverless::Function")


@dataclass(frozen=True)
class IngressRule:
    """One ingress rule as one outcome of the template's conditions gives it."""

    group: str
    rule: dict[str, Any]
    path: jp.Path  #: from the resource that holds it
    branch: Outcome  #: when this rule exists (from Fn::If around the list or the item)


class DatabasePortOpenToWorld(Rule[None]):
    """## What it does
    Flags a security-group ingress rule that opens a database port (MySQL 3306,
    PostgreSQL 5432, SQL Server 1433, Redis 6379, ...) to `0.0.0.0/0` or `::/0` — also
    when the address comes from a parameter's default or allowed values, or from an
    `Fn::If` branch (the finding says when). A group that only Lambda functions use is
    not flagged: a function accepts no inbound connection. Nor is a group nothing in the
    template uses that other groups admit as a source: it is a client's group.

    ## Why is this bad?
    The database answers anyone on the internet; its password is all that stands
    between scanners and the data.

    ## Example
    ```yaml
    SecurityGroupIngress:
      - IpProtocol: tcp
        FromPort: 3306
        ToPort: 3306
        CidrIp: 0.0.0.0/0
    ```

    ## Fix
    None automatic: allow the application's security group (`SourceSecurityGroupId`)
    or a private CIDR instead.

    ## References
    - AWS: Controlling access with security groups (Amazon RDS)
    """

    id = "CD4002"
    title = "Database port open to the internet"
    severity = Severity.HIGH
    tags = ("network",)
    docs_url = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html"

    def check(self, context: Context) -> Iterator[Violation[None]]:
        listening = _listening_groups(context)
        for name, ingress in _ingress_rules(context):
            if ingress.group in listening or ingress.group not in context.resources:
                yield from self._check_rule(context, name, ingress)

    def _check_rule(self, context: Context, name: str, ingress: IngressRule) -> Iterator[Violation[None]]:
        ports = _open_ports(context, ingress.rule)
        if not ports:
            return
        services = ", ".join(f"{DATABASE_PORTS[port]} {port}" for port in ports[:3])
        more = "..." if len(ports) > 3 else ""
        for key in SOURCES:
            for source in context.values.outcomes(ingress.rule, key):
                if source.value not in WORLD:
                    continue
                when = ", ".join(part for part in (ingress.branch.when, source.when) if part)
                default = ingress.branch.default and source.default
                opened = Outcome(source.value, when, default)
                message = f"{name} lets anyone on the internet ({source.value}) reach {services}{more}"
                if when:
                    message += f" — {key} is {opened.described()}"
                pointer = tpl.resource_pointer(name, *ingress.path)
                yield Violation(pointer, message, name, severity=None if default else milder(self.severity), data=None)


def _ingress_rules(context: Context) -> Iterator[tuple[str, IngressRule]]:
    """Every ingress rule of every group and standalone ingress resource, each branch of
    an ``Fn::If`` around the list or an item apart."""
    values = context.values
    for name, body in context.of_type(GROUP, INGRESS):
        props = tpl.properties(body)
        if body["Type"] == INGRESS:
            group = reference_target(props.get("GroupId")) or ""
            yield name, IngressRule(group, props, ("Properties",), Outcome(props))
            continue
        for listed in values.branches(props, "SecurityGroupIngress"):
            for index, item in enumerate(listed.value if isinstance(listed.value, list) else []):
                for branch in values.branches(item):
                    if isinstance(branch.value, dict):
                        when = ", ".join(part for part in (listed.when, branch.when) if part)
                        taken = Outcome(branch.value, when, listed.default and branch.default)
                        path = ("Properties", *listed.path, index, *branch.path)
                        yield name, IngressRule(name, branch.value, path, taken)


def _listening_groups(context: Context) -> set[str]:
    """Groups that something able to listen may use: any user but a Lambda function, or
    no user at all in the template unless other groups admit the group as a source (a
    client's group)."""
    users: dict[str, set[str]] = {}
    for body in context.resources.values():
        if body["Type"] not in GROUP_RULES:
            for target, _ in references(body.get("Properties")):
                users.setdefault(target, set()).add(body["Type"])
    globals_section = context.data.get("Globals")
    function_globals = globals_section.get("Function") if isinstance(globals_section, dict) else None
    for target, _ in references(function_globals):
        users.setdefault(target, set()).add("AWS::Serverless::Function")
    sources = _admitted_as_source(context)
    listening = set()
    for name, _ in context.of_type(GROUP):
        types = users.get(name)
        if (types is None and name not in sources) or (types and not types <= set(NOT_LISTENING)):
            listening.add(name)
    return listening


def _admitted_as_source(context: Context) -> set[str]:
    """Groups that some ingress rule admits as its source."""
    admitted = set()
    for _, ingress in _ingress_rules(context):
        target = reference_target(ingress.rule.get("SourceSecurityGroupId"))
        if target:
            admitted.add(target)
    return admitted


def _open_ports(context: Context, rule: dict[str, Any]) -> list[int]:
    """The database ports a rule opens, its protocol and ports read as a default deploy
    gives them."""
    protocol = str(_deployed(context, rule.get("IpProtocol", ""))).lower()
    if protocol in ("-1", "all"):
        return sorted(DATABASE_PORTS)
    if protocol not in ("tcp", "6"):
        return []
    low = tpl.literal_int(_deployed(context, rule.get("FromPort")))
    high = tpl.literal_int(_deployed(context, rule.get("ToPort")))
    if low is tpl.UNKNOWN or high is tpl.UNKNOWN:
        return []
    if low == -1 and high == -1:
        return sorted(DATABASE_PORTS)
    return [port for port in DATABASE_PORTS if low <= port <= high]


def _deployed(context: Context, value: Any) -> Any:
    deployed = context.values.default(value)
    return None if deployed is UNKNOWN else deployed
