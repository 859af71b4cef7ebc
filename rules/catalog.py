"""The stateful-type catalog in ``resources/stateful_types.yaml``: what each type's data is
worth (its data class) and what CloudFormation does to it by default; and the severities
of an unprotected resource by data class and by what its template says."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import yaml

from app.core.findings import Severity
from resources import ROOT
from rules import template as tpl


class DataClass(enum.Enum):
    RECORD = "record"  #: a system of record: the only copy of the data
    REBUILDABLE = "rebuildable"  #: can be made again from a source of record
    TRANSIENT = "transient"  #: in flight or short-lived

    @property
    def described(self) -> str:
        return {"record": "a system of record", "rebuildable": "rebuildable data",
                "transient": "transient data"}[self.value]


class OnDelete(enum.Enum):
    """What a ``Delete`` policy does to the data."""

    DESTROYED = "destroyed"
    ONLY_IF_EMPTY = "only-if-empty"  #: the service refuses to delete it while it holds data
    SCHEDULED = "scheduled"  #: deleted after a waiting period (a KMS key)
    CASCADES = "cascades"  #: a nested stack: its resources go by their own policies


class PolicyState(enum.Enum):
    """What a template says about a resource's DeletionPolicy or UpdateReplacePolicy."""

    EXPLICIT_DELETE = "explicit-delete"
    ABSENT = "absent"  #: no policy, and the type's default is Delete
    ABSENT_SNAPSHOT = "absent-snapshot"  #: no policy, and the type's default is Snapshot
    DELETE_BY_DEFAULT = "delete-by-default"  #: a parameter or condition gives Delete to a default deploy
    DELETE_IN_SOME_DEPLOYS = "delete-in-some-deploys"  #: ... only to deploys that choose it
    #: not a state but a cap: the most a finding gets when the service only deletes an empty resource
    ONLY_IF_EMPTY = "only-if-empty"


#: A severity, or None: no finding.
Rating = Severity | None
SeverityTable = dict[DataClass, dict[PolicyState, Rating]]
_S = Severity
DEFAULT_SEVERITIES: Mapping[DataClass, Mapping[PolicyState, Rating]] = {
    DataClass.RECORD: {
        PolicyState.EXPLICIT_DELETE: _S.CRITICAL, PolicyState.ABSENT: _S.HIGH, PolicyState.ABSENT_SNAPSHOT: _S.LOW,
        PolicyState.DELETE_BY_DEFAULT: _S.HIGH, PolicyState.DELETE_IN_SOME_DEPLOYS: _S.LOW,
        PolicyState.ONLY_IF_EMPTY: _S.MEDIUM,
    },
    DataClass.REBUILDABLE: {
        PolicyState.EXPLICIT_DELETE: _S.INFO, PolicyState.ABSENT: _S.INFO, PolicyState.ABSENT_SNAPSHOT: None,
        PolicyState.DELETE_BY_DEFAULT: _S.INFO, PolicyState.DELETE_IN_SOME_DEPLOYS: None,
        PolicyState.ONLY_IF_EMPTY: _S.INFO,
    },
    DataClass.TRANSIENT: dict.fromkeys(PolicyState),
}


def default_severities() -> SeverityTable:
    return {data_class: dict(row) for data_class, row in DEFAULT_SEVERITIES.items()}


def rating(table: Mapping[DataClass, Mapping[PolicyState, Rating]], data_class: DataClass, state: PolicyState,
           on_delete: OnDelete) -> Rating:
    """The severity of ``state`` for data of ``data_class``; None for no finding.  A type the
    service deletes only when empty is capped by the class's ``only-if-empty`` severity."""
    row = table[data_class]
    found = row[state]
    if on_delete is not OnDelete.ONLY_IF_EMPTY or found is None:
        return found
    cap = row[PolicyState.ONLY_IF_EMPTY]
    return None if cap is None else min(found, cap)


@dataclass(frozen=True)
class StatefulType:
    kind: str
    data_class: DataClass = DataClass.RECORD
    snapshot: bool = False
    deletion_default: str = "Delete"  #: what CloudFormation does without a DeletionPolicy
    on_delete: OnDelete = OnDelete.DESTROYED
    replaceable: bool = True


#: an entry's keys: the fields of StatefulType, ``class`` standing for ``data_class``
KEYS = ("class", "deletion_default", "kind", "on_delete", "replaceable", "snapshot")
_CHOICES: dict[str, tuple[Any, ...]] = {
    "class": tuple(DataClass), "on_delete": tuple(OnDelete), "deletion_default": ("Delete", "Snapshot"),
    "snapshot": (True, False), "replaceable": (True, False),
}


def stateful_type(entry: Mapping[str, Any], base: StatefulType | None = None) -> StatefulType:
    """A catalog or profile entry read on top of ``base`` (the type's built-in entry, if
    any); ValueError names what is wrong."""
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (a stateful type takes {', '.join(KEYS)})")
    changes = {("data_class" if key == "class" else key): _field_value(key, value) for key, value in entry.items()}
    return replace(base, **changes) if base is not None else StatefulType(**{"kind": "resource", **changes})


def _field_value(key: str, value: Any) -> Any:
    if key == "kind":
        return str(value)
    for choice in _CHOICES[key]:
        if value is choice or value == getattr(choice, "value", None) or (isinstance(choice, str) and value == choice):
            return choice
    names = ", ".join(str(getattr(choice, "value", choice)).lower() for choice in _CHOICES[key])
    raise ValueError(f"{key} must be one of {names}, not {value!r}")


#: instance types that always belong to a cluster, which holds their data
MEMBER_TYPES = frozenset({"AWS::DocDB::DBInstance", "AWS::Neptune::DBInstance"})


def in_cluster(body: dict[str, Any]) -> bool:
    """An RDS (Aurora), DocumentDB or Neptune instance of a cluster: the cluster holds its
    data, and the cluster's policies, encryption and backups are the ones that count."""
    return body.get("Type") in MEMBER_TYPES or tpl.is_aurora_member(body)


#: The values each resource attribute takes for every type, and Snapshot where the type supports it.
_POLICIES = {
    "DeletionPolicy": ("Delete", "Retain", "RetainExceptOnCreate"),
    "UpdateReplacePolicy": ("Delete", "Retain"),
}


def policy_choices(attribute: str, stateful: StatefulType | None) -> list[str]:
    """The values ``DeletionPolicy`` or ``UpdateReplacePolicy`` may take on a resource of
    this kind (``Snapshot`` only where CloudFormation can snapshot it)."""
    return [*_POLICIES[attribute], *(["Snapshot"] if stateful is not None and stateful.snapshot else [])]


@lru_cache(maxsize=1)
def builtin_stateful_types() -> dict[str, StatefulType]:
    raw = yaml.safe_load((ROOT / "stateful_types.yaml").read_text(encoding="utf-8"))
    return {name: stateful_type(entry) for name, entry in raw.items()}
