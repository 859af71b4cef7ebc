"""Settings every DynamoDB table needs, on each way a template declares one: a table, a SAM
``SimpleTable`` (which becomes one), and a global table, whose replicas each carry their
own point-in-time recovery and deletion protection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from app.core import pointer as jp
from app.core.edits import Add, Edit, Set
from app.core.findings import Fix
from app.core.intrinsics import is_intrinsic, reference_target
from rules import template as tpl
from rules.base import Violation
from rules.context import Context
from rules.setting import RequiredSetting

TABLE = "AWS::DynamoDB::Table"
SIMPLE_TABLE = "AWS::Serverless::SimpleTable"
GLOBAL_TABLE = "AWS::DynamoDB::GlobalTable"
TABLE_TYPES = (TABLE, SIMPLE_TABLE, GLOBAL_TABLE)


class TableSetting(RequiredSetting):
    """A setting at ``path`` of a table or SimpleTable; on a global table at ``path`` too,
    or, when ``replica_path`` is given, at that path of every replica."""

    types = TABLE_TYPES
    replica_path: ClassVar[tuple[str, ...] | None] = None

    def replica_message(self, name: str, replicas: str) -> str:
        """The message for a global table whose ``replicas`` ("its replica in eu-west-2")
        lack the setting."""
        raise NotImplementedError

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        return body["Type"] != GLOBAL_TABLE or self.replica_path is None

    def check(self, context: Context) -> Iterator[Violation[str]]:
        yield from super().check(context)
        if self.replica_path is None:
            return
        for name, body in context.of_type(GLOBAL_TABLE):
            unset = self._unset_replicas(body, self.replica_path)
            if unset:
                regions = [region for _, region in unset]
                listed = ", ".join(regions[:-1]) + f" and {regions[-1]}" if len(regions) > 1 else regions[0]
                replicas = f"its replica{'s' if len(regions) > 1 else ''} in {listed}"
                pointer = tpl.resource_pointer(name, "Properties", "Replicas", unset[0][0])
                yield Violation(pointer, self.replica_message(name, replicas), name, data=name)

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        name = violation.data
        body = context.resources[name]
        if body["Type"] != GLOBAL_TABLE or self.replica_path is None:
            return super().fix(context, violation)
        edits: list[Edit] = []
        for index, _ in self._unset_replicas(body, self.replica_path):
            replica = tpl.properties(body)["Replicas"][index]
            edits += nested_edits(tpl.resource_pointer(name, "Properties", "Replicas", index), replica,
                                  self.replica_path, self.wanted)
        return [Fix(f"{self.fix_title} on every replica", tuple(edits))] if edits else []

    def _unset_replicas(self, body: dict[str, Any], path: tuple[str, ...]) -> list[tuple[int, str]]:
        """(index, region in words) of each literal replica without the setting at ``path``."""
        replicas = tpl.properties(body).get("Replicas")
        unset = []
        for index, replica in enumerate(replicas if isinstance(replicas, list) else []):
            if not isinstance(replica, dict) or is_intrinsic(replica):
                continue
            value = tpl.get_path(replica, *path)
            if value is None or self.satisfied(value) is False:
                unset.append((index, _region(replica.get("Region"), index)))
        return unset


def nested_edits(pointer: str, node: dict[str, Any], path: tuple[str, ...], value: Any) -> list[Edit]:
    """Edits that make ``node[path...] == value`` at ``pointer``, creating mappings on the
    way (none when something on the way is not a literal mapping)."""
    for depth, key in enumerate(path):
        if not isinstance(node, dict) or is_intrinsic(node):
            return []
        pointer = jp.child(pointer, key)
        if key not in node:
            nested: Any = value
            for outer in reversed(path[depth + 1:]):
                nested = {outer: nested}
            return [Add(pointer, nested)]
        node = node[key]
    return [] if node == value else [Set(pointer, value)]


def _region(value: Any, index: int) -> str:
    if isinstance(value, str):
        return value
    if reference_target(value) == "AWS::Region":
        return "the stack's region"
    return f"replica {index}"


def simple_table_as_table(properties: dict[str, Any], global_sse: Any) -> dict[str, Any] | None:
    """The ``AWS::DynamoDB::Table`` properties SAM makes of a SimpleTable's (as SAM's
    translator writes them, so that deploying them changes nothing), or None when they are
    not all literal enough to tell."""
    key = properties.get("PrimaryKey", {"Name": "id", "Type": "String"})
    types = {"String": "S", "Number": "N", "Binary": "B"}
    if not isinstance(key, dict) or key.get("Type") not in types or not isinstance(key.get("Name"), (str, dict)):
        return None
    attribute = {"AttributeName": key["Name"], "AttributeType": types[key["Type"]]}
    table: dict[str, Any] = {"AttributeDefinitions": [attribute],
                             "KeySchema": [{"AttributeName": key["Name"], "KeyType": "HASH"}]}
    for name in ("PointInTimeRecoverySpecification", "ProvisionedThroughput"):
        if name in properties:
            table[name] = properties[name]
    if "ProvisionedThroughput" not in properties:
        table["BillingMode"] = "PAY_PER_REQUEST"
    sse = properties.get("SSESpecification", global_sse)
    if sse is not None:
        table["SSESpecification"] = sse
    if "TableName" in properties:
        table["TableName"] = properties["TableName"]
    tags = properties.get("Tags")
    if tags:
        if not isinstance(tags, dict) or is_intrinsic(tags):
            return None
        table["Tags"] = [{"Key": tag, "Value": value} for tag, value in tags.items()]
    return table


def global_simple_table_sse(data: dict[str, Any]) -> Any:
    """``Globals: SimpleTable: SSESpecification``, which SAM gives every SimpleTable that
    sets none of its own (None when absent)."""
    return tpl.get_path(data, "Globals", "SimpleTable", "SSESpecification")
