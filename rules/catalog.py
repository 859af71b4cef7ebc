"""The stateful-type catalog in ``resources/stateful_types.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from resources import ROOT


@dataclass(frozen=True)
class StatefulType:
    kind: str
    snapshot: bool = False


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
    return {name: StatefulType(**fields) for name, fields in raw.items()}
