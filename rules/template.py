"""Reading a template's data the way rules need it: resources by type, references made
by intrinsic functions, and values that can be known without deploying."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any, Final

from app.core import pointer as jp
from app.core.edits import Add, Edit, Set, same_data
from app.core.intrinsics import is_intrinsic


class Unknown(Enum):
    """A value only a deployment can tell (an ``Fn::If``, a ``Ref``, ...)."""

    UNKNOWN = "unknown"


UNKNOWN: Final = Unknown.UNKNOWN


def resources(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(logical id, body) of each resource that has a literal string ``Type``."""
    section = data.get("Resources")
    if not isinstance(section, dict):
        return
    for name, body in section.items():
        if isinstance(body, dict) and isinstance(body.get("Type"), str):
            yield name, body


def properties(body: dict[str, Any]) -> dict[str, Any]:
    """The resource's properties; empty when absent or chosen by a condition
    (``Properties: !If [...]``), which only a deployment resolves."""
    value = body.get("Properties")
    return value if isinstance(value, dict) and not is_intrinsic(value) else {}


def resource_pointer(name: str, *rest: str | int) -> str:
    return jp.join(("Resources", name, *rest))


def literal_bool(value: Any) -> bool | Unknown:
    """True/False for a literal (``"true"`` strings too, as CloudFormation reads them),
    else UNKNOWN."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return UNKNOWN


def literal_int(value: Any) -> int | Unknown:
    if isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return UNKNOWN


def get_path(value: Any, *keys: str) -> Any:
    """``value[k1][k2]...`` or None where a step is missing or not a mapping."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def parameters(data: dict[str, Any]) -> dict[str, Any]:
    section = data.get("Parameters")
    return section if isinstance(section, dict) else {}


def outputs(data: dict[str, Any]) -> dict[str, Any]:
    section = data.get("Outputs")
    return section if isinstance(section, dict) else {}


def is_aurora_member(body: dict[str, Any]) -> bool:
    """An RDS instance inside an Aurora cluster: its data, backups and protection belong
    to the cluster.  An Aurora engine says so even before ``DBClusterIdentifier`` does."""
    if body.get("Type") != "AWS::RDS::DBInstance":
        return False
    props = properties(body)
    aurora_engine = any(text.startswith("aurora") for text in strings(props.get("Engine")))
    return props.get("DBClusterIdentifier") is not None or aurora_engine


def strings(value: Any) -> Iterator[str]:
    """Every string value in ``value``, at any depth (keys not included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def set_nested(body_pointer: str, body: dict[str, Any], path: tuple[str, ...], value: Any) -> list[Edit] | None:
    """Edits that make ``body["Properties"][path...] == value``, creating the mappings
    on the way; None if something on the way is not a mapping (an intrinsic function)."""
    return set_at(body_pointer, body, ("Properties", *path), value)


def set_at(pointer: str, node: Any, path: jp.Path, value: Any) -> list[Edit] | None:
    """Edits that write ``value`` at ``path`` below ``node`` (found at ``pointer``): the
    mappings missing on the way are created and an ``AWS::NoValue`` on the way is replaced,
    so that a path into an ``Fn::If`` branch (``(..., "Fn::If", 2, ...)``) edits that
    branch only.  None when the path passes through any other function, or through a list
    too short for it."""
    for depth, token in enumerate(path):
        if is_no_value(node):
            return [Set(pointer, nest(path[depth:], value))]
        if isinstance(node, dict) and token not in node:
            return None if is_intrinsic(node) else [Add(jp.child(pointer, token), nest(path[depth + 1 :], value))]
        if isinstance(node, dict) and (token == "Fn::If" or not is_intrinsic(node)):
            node = node[token]
        elif isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node):
            node = node[token]
        else:
            return None
        pointer = jp.child(pointer, token)
    if is_intrinsic(node) and not is_no_value(node):
        return None
    return [] if same_data(node, value) else [Set(pointer, value)]


def nest(keys: jp.Path, value: Any) -> Any:
    """``{k1: {k2: value}}`` for keys ``(k1, k2)``."""
    for key in reversed(keys):
        value = {key: value}
    return value


def is_no_value(value: Any) -> bool:
    """``Ref: AWS::NoValue``: the property is not set."""
    return isinstance(value, dict) and len(value) == 1 and value.get("Ref") == "AWS::NoValue"
