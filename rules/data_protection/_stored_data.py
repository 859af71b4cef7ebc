"""What one resource stores, read from its template: its type's catalog entry, refined by
what the resource itself says (a bucket that serves a website holds rebuildable data; one
whose objects all expire within days, or that receives access logs, holds transient data).
A refinement only ever lowers the class a type has (in the catalog or the profile).  The
policy rules (CD1001, CD1002) and the bucket versioning rule (CD1007) judge resources by it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from app.core.intrinsics import is_intrinsic, references
from rules import template as tpl
from rules.catalog import DataClass, OnDelete, StatefulType, in_cluster
from rules.context import Context

#: a bucket whose every object expires within this many days holds transient data
TRANSIENT_DAYS = 90
_WORTH = {DataClass.TRANSIENT: 0, DataClass.REBUILDABLE: 1, DataClass.RECORD: 2}


@dataclass(frozen=True)
class StoredData:
    """A resource's catalog entry, the class of its data, and why that class differs from
    its type's ("" when it does not)."""

    stateful: StatefulType
    data_class: DataClass
    reason: str = ""
    on_delete: OnDelete = OnDelete.DESTROYED

    def described(self) -> str:
        """``a system of record``, or ``rebuildable data: it serves a website``."""
        return f"{self.data_class.described}: {self.reason}" if self.reason else self.data_class.described

    def at_most(self, data_class: DataClass, reason: str) -> StoredData:
        """This, with ``data_class`` for ``reason`` if that is worth less than its own."""
        if _WORTH[data_class] >= _WORTH[self.data_class]:
            return self
        return replace(self, data_class=data_class, reason=reason)


def stored_data(context: Context, name: str, body: dict[str, Any]) -> StoredData | None:
    """What ``name`` stores, or None when its type is not stateful or it is an instance of
    a cluster (the cluster holds the data)."""
    stateful = context.stateful(body["Type"])
    if stateful is None or in_cluster(body):
        return None
    found = StoredData(stateful, stateful.data_class, on_delete=stateful.on_delete)
    props = tpl.properties(body)
    if body["Type"] == "AWS::S3::Bucket":
        return _bucket(context, name, props, found)
    if body["Type"] == "AWS::RDS::DBInstance" and props.get("SourceDBInstanceIdentifier") is not None:
        return found.at_most(DataClass.REBUILDABLE, "a read replica of another instance")
    if body["Type"] == "AWS::ECR::Repository" and tpl.literal_bool(props.get("EmptyOnDelete")) is True:
        return replace(found, on_delete=OnDelete.DESTROYED)
    return found


def _bucket(context: Context, name: str, props: dict[str, Any], found: StoredData) -> StoredData:
    if isinstance(props.get("WebsiteConfiguration"), dict) and not is_intrinsic(props["WebsiteConfiguration"]):
        return found.at_most(DataClass.REBUILDABLE, "it serves a website published from elsewhere")
    if name in _artifact_stores(context):
        return found.at_most(DataClass.REBUILDABLE, "CodePipeline's artifact store")
    if name in _access_log_buckets(context) or props.get("AccessControl") == "LogDeliveryWrite":
        return found.at_most(DataClass.TRANSIENT, "it receives access logs")
    days = _expiry_days(props)
    if days is not None and days <= TRANSIENT_DAYS:
        return found.at_most(DataClass.TRANSIENT, f"every object expires after {days} days")
    return found


def _artifact_stores(context: Context) -> set[str]:
    """Logical ids of the buckets CodePipeline pipelines keep their artifacts in."""
    stores: set[str] = set()
    for _, pipeline in context.of_type("AWS::CodePipeline::Pipeline"):
        props = tpl.properties(pipeline)
        regional = props.get("ArtifactStores")
        locations = [tpl.get_path(props, "ArtifactStore", "Location")]
        locations += [tpl.get_path(entry, "ArtifactStore", "Location") for entry in _items(regional)]
        stores |= {target for location in locations for target, _ in references(location)}
    return stores


def _access_log_buckets(context: Context) -> set[str]:
    """Logical ids of the buckets other buckets write their server access logs to."""
    destinations = [tpl.get_path(tpl.properties(bucket), "LoggingConfiguration", "DestinationBucketName")
                    for _, bucket in context.of_type("AWS::S3::Bucket")]
    return {target for destination in destinations for target, _ in references(destination)}


def _expiry_days(props: dict[str, Any]) -> int | None:
    """The days after which a lifecycle rule expires every object of the bucket (the
    shortest such rule), or None if no enabled rule covers the whole bucket."""
    days = [
        tpl.literal_int(rule.get("ExpirationInDays"))
        for rule in _items(tpl.get_path(props, "LifecycleConfiguration", "Rules"))
        if rule.get("Status") == "Enabled" and _whole_bucket(rule)
    ]
    known = [day for day in days if isinstance(day, int)]
    return min(known) if known else None


def _whole_bucket(rule: dict[str, Any]) -> bool:
    """Whether a lifecycle rule applies to every object (no prefix, tag, size or filter)."""
    return not any(rule.get(key) for key in ("Prefix", "Filter", "TagFilters", "ObjectSizeGreaterThan",
                                             "ObjectSizeLessThan"))


def _items(value: Any) -> Iterator[dict[str, Any]]:
    """The mappings of a list (an intrinsic item or a list only a deploy builds yields none)."""
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, dict) and not is_intrinsic(item))
