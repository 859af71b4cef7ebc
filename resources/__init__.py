"""Data files: the stateful-type catalog, profiles, example templates."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent
EXAMPLE = ROOT / "examples" / "transactions.json"
