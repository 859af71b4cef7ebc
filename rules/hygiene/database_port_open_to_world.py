from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core.findings import Severity
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context

DATABASE_PORTS = {
    1433: "SQL Server", 1521: "Oracle", 3306: "MySQL", 5432: "PostgreSQL", 5439: "Redshift",
    6379: "Redis", 8182: "Neptune", 9042: "Cassandra", 11211: "Memcached", 27017: "MongoDB/DocumentDB",
}
WORLD = ("0.0.0.0/0", "::/0")


def _open_ports(rule: dict[str, Any]) -> list[int]:
    protocol = str(rule.get("IpProtocol", "")).lower()
    if protocol in ("-1", "all"):
        return sorted(DATABASE_PORTS)
    if protocol not in ("tcp", "6"):
        return []
    low, high = tpl.literal_int(rule.get("FromPort")), tpl.literal_int(rule.get("ToPort"))
    if low is tpl.UNKNOWN or high is tpl.UNKNOWN:
        return []
    if low == -1 and high == -1:
        return sorted(DATABASE_PORTS)
    return [port for port in DATABASE_PORTS if low <= port <= high]


class DatabasePortOpenToWorld(Rule[None]):
    """## What it does
    Flags a security-group ingress rule that opens a database port (MySQL 3306,
    PostgreSQL 5432, SQL Server 1433, Redis 6379, ...) to `0.0.0.0/0` or `::/0`.

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
        for name, body in context.resources.items():
            props = tpl.properties(body)
            if body["Type"] == "AWS::EC2::SecurityGroup" and isinstance(props.get("SecurityGroupIngress"), list):
                for index, rule in enumerate(props["SecurityGroupIngress"]):
                    if isinstance(rule, dict):
                        yield from self._check_rule(name, rule, ("Properties", "SecurityGroupIngress", index))
            elif body["Type"] == "AWS::EC2::SecurityGroupIngress":
                yield from self._check_rule(name, props, ("Properties",))

    def _check_rule(self, name: str, rule: dict[str, Any], path: tuple[Any, ...]) -> Iterator[Violation[None]]:
        source = rule.get("CidrIp", rule.get("CidrIpv6"))
        if source not in WORLD:
            return
        ports = _open_ports(rule)
        if ports:
            services = ", ".join(f"{DATABASE_PORTS[port]} {port}" for port in ports[:3])
            more = "..." if len(ports) > 3 else ""
            message = f"{name} lets anyone on the internet ({source}) reach {services}{more}"
            yield Violation(tpl.resource_pointer(name, *path), message, name, data=None)
