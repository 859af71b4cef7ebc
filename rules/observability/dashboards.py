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
    metrics: tuple[tuple[str, str], ...]  # (metric, statistic)
    dimension_value: str = "${{{name}}}"  # a Fn::Sub expression; {name} is the logical id


_DATABASE = (("CPUUtilization", "Average"), ("DatabaseConnections", "Average"))
_DYNAMODB = (("ConsumedReadCapacityUnits", "Sum"), ("ConsumedWriteCapacityUnits", "Sum"), ("ThrottledRequests", "Sum"))
_SQS = (("ApproximateNumberOfMessagesVisible", "Maximum"), ("ApproximateAgeOfOldestMessage", "Maximum"))
_KINESIS = (("IncomingRecords", "Sum"), ("GetRecords.IteratorAgeMilliseconds", "Maximum"))
_CACHE = (("CPUUtilization", "Average"), ("CurrConnections", "Average"))
_GRAPH = (("CPUUtilization", "Average"), ("GremlinRequestsPerSec", "Average"))
_DYNAMODB_SERVICE = Service("AWS/DynamoDB", "DynamoDB", "TableName", _DYNAMODB)
#: The data services: those that store or carry the application's data — databases, tables,
#: queues, streams, caches — whose throttling, backlog or load a dashboard must show.  Compute
#: (Lambda functions, containers) is not one: a custom resource's helper function is no part of
#: the application, and a function's errors show in its own service's metrics.
SERVICES: dict[str, Service] = {
    "AWS::RDS::DBCluster": Service("AWS/RDS", "RDS", "DBClusterIdentifier", _DATABASE),
    "AWS::RDS::DBInstance": Service("AWS/RDS", "RDS", "DBInstanceIdentifier", _DATABASE),
    "AWS::DynamoDB::Table": _DYNAMODB_SERVICE,
    "AWS::DynamoDB::GlobalTable": _DYNAMODB_SERVICE,
    "AWS::Serverless::SimpleTable": _DYNAMODB_SERVICE,
    "AWS::SQS::Queue": Service("AWS/SQS", "SQS", "QueueName", _SQS, "${{{name}.QueueName}}"),
    "AWS::Kinesis::Stream": Service("AWS/Kinesis", "Kinesis", "StreamName", _KINESIS),
    "AWS::ElastiCache::ReplicationGroup": Service("AWS/ElastiCache", "ElastiCache", "ReplicationGroupId", _CACHE),
    "AWS::ElastiCache::CacheCluster": Service("AWS/ElastiCache", "ElastiCache", "CacheClusterId", _CACHE),
    "AWS::DocDB::DBCluster": Service("AWS/DocDB", "DocumentDB", "DBClusterIdentifier", _DATABASE),
    "AWS::Neptune::DBCluster": Service("AWS/Neptune", "Neptune", "DBClusterIdentifier", _GRAPH),
    "AWS::Redshift::Cluster": Service("AWS/Redshift", "Redshift", "ClusterIdentifier", _DATABASE),
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
                options = {"stat": statistic, "label": f"{name} {metric}"}
                metrics.append([service.namespace, metric, service.dimension, value, options])
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
