from __future__ import annotations

from collections.abc import Iterator

from app.core.edits import Set
from app.core.findings import Fix, Severity
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.observability.dashboards import SERVICES, shows, widget, with_widget


class DashboardMissingService(Rule):
    """## What it does
    Flags a CloudWatch dashboard whose body shows no metric of a data service the
    template deploys: RDS, DynamoDB, Lambda, SQS, Kinesis, ElastiCache, DocumentDB,
    Neptune or Redshift.

    ## Why is this bad?
    The dashboard is where on-call looks first. A service missing from it — throttled
    DynamoDB reads, a backed-up queue — is invisible exactly when it matters.

    ## Example
    A dashboard with Lambda and RDS widgets in a stack that also has a DynamoDB table.

    ## Fix
    Appends a widget with the service's key metrics for every such resource, keeping
    the body valid JSON inside its `Fn::Sub`. Safe. No fix is offered for bodies built
    with `Fn::Join` or `Fn::ToJsonString`.

    ## References
    - AWS: CloudWatch dashboard body structure and syntax
    """

    id = "CD5001"
    title = "Dashboard blind to a data service"
    severity = Severity.MEDIUM
    tags = ("observability",)
    docs_url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html"

    def check(self, context: Context) -> Iterator[Violation]:
        dashboards = list(context.of_type("AWS::CloudWatch::Dashboard"))
        if not dashboards:
            return
        by_namespace: dict[str, list[tuple[str, str]]] = {}
        for name, body in context.resources.items():
            service = SERVICES.get(body["Type"])
            if service:
                by_namespace.setdefault(service.namespace, []).append((name, body["Type"]))
        for dashboard, body in dashboards:
            dashboard_body = tpl.properties(body).get("DashboardBody")
            if dashboard_body is None:
                continue
            for namespace, members in by_namespace.items():
                if shows(dashboard_body, namespace):
                    continue
                listed = ", ".join(name for name, _ in members[:3]) + (f" and {len(members) - 3} more" if len(members) > 3 else "")
                yield Violation(
                    tpl.resource_pointer(dashboard, "Properties", "DashboardBody"),
                    f"{dashboard} shows no {namespace} metrics, but the stack runs {listed}: "
                    "its errors and throttling would go unseen",
                    dashboard,
                    data=(namespace, members),
                )

    def fix(self, context: Context, violation: Violation) -> list[Fix]:
        namespace, members = violation.data  # type: ignore[misc]
        dashboard = violation.resource
        assert dashboard is not None
        body = tpl.properties(context.resources[dashboard]).get("DashboardBody")
        service = SERVICES[members[0][1]]
        names = [name for name, resource_type in members if SERVICES[resource_type] == service]
        edited = with_widget(body, widget(service, names))
        if edited is None:
            return []
        return [Fix(f"Add a {service.label} widget to {dashboard}", (Set(violation.pointer, edited),))]
