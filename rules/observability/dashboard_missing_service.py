from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.core.edits import Set
from app.core.findings import Fix, Severity
from rules import template as tpl
from rules.base import Rule, Violation
from rules.catalog import in_cluster
from rules.context import Context
from rules.observability.dashboards import SERVICES, Service, shows, widget, with_widget


@dataclass(frozen=True)
class BlindSpot:
    """A dashboard and the ``(logical id, type)`` of the resources of one metric
    namespace it does not show."""

    dashboard: str
    unseen: tuple[tuple[str, str], ...]


class DashboardMissingService(Rule[BlindSpot]):
    """## What it does
    Flags a CloudWatch dashboard whose body shows no metric of a data service the
    template deploys: RDS, DynamoDB (tables, global tables, SAM SimpleTables), SQS,
    Kinesis, ElastiCache, DocumentDB, Neptune or Redshift. A data service stores or
    carries the application's data; compute is not one — a Lambda function (often only a
    custom resource's helper) does not make a dashboard blind to the data.

    ## Why is this bad?
    The dashboard is where on-call looks first. A service missing from it — throttled
    DynamoDB reads, a backed-up queue — is invisible exactly when it matters.

    ## Example
    A dashboard with Lambda and RDS widgets in a stack that also has a DynamoDB table.

    ## Fix
    Appends a widget with the service's key metrics of every such resource (RDS clusters
    and standalone instances get one each; an instance of a cluster is measured by its
    cluster), keeping the body valid JSON inside its
    `Fn::Sub`. Safe. No fix is offered for bodies built with `Fn::Join` or
    `Fn::ToJsonString`.

    ## References
    - AWS: CloudWatch dashboard body structure and syntax
    """

    id = "CD5001"
    title = "Dashboard blind to a data service"
    severity = Severity.MEDIUM
    tags = ("observability",)
    docs_url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html"

    def check(self, context: Context) -> Iterator[Violation[BlindSpot]]:
        dashboards = list(context.of_type("AWS::CloudWatch::Dashboard"))
        if not dashboards:
            return
        by_namespace: dict[str, list[tuple[str, str]]] = {}
        for name, body in context.resources.items():
            service = SERVICES.get(body["Type"])
            if service and not in_cluster(body):
                by_namespace.setdefault(service.namespace, []).append((name, body["Type"]))
        for dashboard, body in dashboards:
            dashboard_body = tpl.properties(body).get("DashboardBody")
            if dashboard_body is None:
                continue
            for namespace, members in by_namespace.items():
                if shows(dashboard_body, namespace):
                    continue
                listed = ", ".join(name for name, _ in members[:3])
                more = f" and {len(members) - 3} more" if len(members) > 3 else ""
                yield Violation(
                    tpl.resource_pointer(dashboard, "Properties", "DashboardBody"),
                    f"{dashboard} shows no {namespace} metrics, but the stack runs {listed}{more}: "
                    "its errors and throttling would go unseen",
                    dashboard,
                    data=BlindSpot(dashboard, tuple(members)),
                )

    def fix(self, context: Context, violation: Violation[BlindSpot]) -> list[Fix]:
        blind = violation.data
        body = tpl.properties(context.resources[blind.dashboard]).get("DashboardBody")
        for service, names in _by_service(blind.unseen).items():
            body = with_widget(body, widget(service, names))
            if body is None:
                return []
        label = SERVICES[blind.unseen[0][1]].label
        return [Fix(f"Add {label} metrics to {blind.dashboard}", (Set(violation.pointer, body),))]


def _by_service(resources: tuple[tuple[str, str], ...]) -> dict[Service, list[str]]:
    """The logical ids of ``(logical id, type)`` pairs, by the widget that shows them (an
    RDS cluster and an RDS instance are measured by different dimensions)."""
    grouped: dict[Service, list[str]] = {}
    for name, resource_type in resources:
        grouped.setdefault(SERVICES[resource_type], []).append(name)
    return grouped
