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


@lru_cache(maxsize=1)
def builtin_stateful_types() -> dict[str, StatefulType]:
    raw = yaml.safe_load((ROOT / "stateful_types.yaml").read_text(encoding="utf-8"))
    return {name: StatefulType(**fields) for name, fields in raw.items()}
