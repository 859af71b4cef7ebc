"""CloudWatch dashboards: which metric namespaces a body shows, and adding a widget to
one while keeping the body valid JSON inside its ``Fn::Sub``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rules.template import strings


@dataclass(frozen=True)
class Service:
    namespace: str
    label: str
    dimension: str
    dimension_value: str  # a Fn::Sub expression; {name} is the logical id
    metrics: tuple[tuple[str, str], ...]  # (metric, statistic)


_RDS_CLUSTER = Service("AWS/RDS", "RDS", "DBClusterIdentifier", "${{{name}}}", (("CPUUtilization", "Average"), ("DatabaseConnections", "Average")))
SERVICES: dict[str, Service] = {
    "AWS::RDS::DBCluster": _RDS_CLUSTER,
    "AWS::RDS::DBInstance": Service("AWS/RDS", "RDS", "DBInstanceIdentifier", "${{{name}}}", _RDS_CLUSTER.metrics),
    "AWS::DynamoDB::Table": Service("AWS/DynamoDB", "DynamoDB", "TableName", "${{{name}}}", (("ConsumedReadCapacityUnits", "Sum"), ("ConsumedWriteCapacityUnits", "Sum"), ("ThrottledRequests", "Sum"))),
    "AWS::Lambda::Function": Service("AWS/Lambda", "Lambda", "FunctionName", "${{{name}}}", (("Invocations", "Sum"), ("Errors", "Sum"), ("Duration", "Average"))),
    "AWS::SQS::Queue": Service("AWS/SQS", "SQS", "QueueName", "${{{name}.QueueName}}", (("ApproximateNumberOfMessagesVisible", "Maximum"), ("ApproximateAgeOfOldestMessage", "Maximum"))),
    "AWS::Kinesis::Stream": Service("AWS/Kinesis", "Kinesis", "StreamName", "${{{name}}}", (("IncomingRecords", "Sum"), ("GetRecords.IteratorAgeMilliseconds", "Maximum"))),
    "AWS::ElastiCache::ReplicationGroup": Service("AWS/ElastiCache", "ElastiCache", "ReplicationGroupId", "${{{name}}}", (("CPUUtilization", "Average"), ("CurrConnections", "Average"))),
    "AWS::DocDB::DBCluster": Service("AWS/DocDB", "DocumentDB", "DBClusterIdentifier", "${{{name}}}", (("CPUUtilization", "Average"), ("DatabaseConnections", "Average"))),
    "AWS::Neptune::DBCluster": Service("AWS/Neptune", "Neptune", "DBClusterIdentifier", "${{{name}}}", (("CPUUtilization", "Average"), ("GremlinRequestsPerSec", "Average"))),
    "AWS::Redshift::Cluster": Service("AWS/Redshift", "Redshift", "ClusterIdentifier", "${{{name}}}", (("CPUUtilization", "Average"), ("DatabaseConnections", "Average"))),
}
MAX_METRICS_PER_WIDGET = 100


def shows(body: Any, namespace: str) -> bool:
    return any(namespace in text for text in strings(body))


def widget(service: Service, names: list[str], title: str | None = None) -> dict[str, Any]:
    metrics: list[list[Any]] = []
    for name in names:
        value = service.dimension_value.format(name=name)
        for metric, statistic in service.metrics:
            if len(metrics) < MAX_METRICS_PER_WIDGET:
                metrics.append([service.namespace, metric, service.dimension, value, {"stat": statistic, "label": f"{name} {metric}"}])
    return {
        "type": "metric",
        "width": 12,
        "height": 6,
        "properties": {
            "metrics": metrics,
            "view": "timeSeries",
            "region": "${AWS::Region}",
            "title": title or f"{service.label} Metrics",
            "period": 300,
        },
    }


def with_widget(body: Any, new_widget: dict[str, Any]) -> Any | None:
    """The dashboard body with ``new_widget`` appended, or None if the body is not JSON
    text we can edit (a ``Fn::Join``, a ``Fn::ToJsonString``, a ``Ref``)."""
    if isinstance(body, str):
        edited = _append(body.replace("${", "${!"), new_widget)
        return {"Fn::Sub": edited} if edited is not None else None
    argument = body.get("Fn::Sub") if isinstance(body, dict) and len(body) == 1 else None
    if isinstance(argument, str):
        edited = _append(argument, new_widget)
        return {"Fn::Sub": edited} if edited is not None else None
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
        edited = _append(argument[0], new_widget)
        return {"Fn::Sub": [edited, argument[1]]} if edited is not None else None
    return None


def _append(text: str, new_widget: dict[str, Any]) -> str | None:
    try:
        document = json.loads(text)
    except ValueError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("widgets", []), list):
        return None
    widgets = document.setdefault("widgets", [])
    placed = [w for w in widgets if isinstance(w, dict) and all(isinstance(w.get(k), int) for k in ("y", "height"))]
    if placed:
        new_widget = {**new_widget, "x": 0, "y": max(w["y"] + w["height"] for w in placed)}
    widgets.append(new_widget)
    if "\n" in text.strip():
        return json.dumps(document, indent=2, ensure_ascii=False) + ("\n" if text.endswith("\n") else "")
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)
