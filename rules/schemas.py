"""Resource schemas that cfn-lint ships: which properties force a replacement.

The schema files are read straight from cfn-lint's data folder, without importing
cfn-lint itself, so judging a fix costs about a millisecond rather than cfn-lint's
half-second start-up.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache, lru_cache
from pathlib import Path

REGION = "us-east-1"
_REFERENCE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-{service}-{kind}.html"


@lru_cache(maxsize=1)
def _schema_folder() -> Path | None:
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "schemas"


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    folder = _schema_folder()
    if folder is None:
        return {}
    try:
        index: dict[str, str] = json.loads((folder / "providers" / f"{REGION}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return index


@cache
def create_only_properties(resource_type: str) -> frozenset[str]:
    """Top-level property names whose change replaces the resource (empty if unknown)."""
    digest = _index().get(resource_type)
    folder = _schema_folder()
    if digest is None or folder is None:
        return frozenset()
    try:
        schema = json.loads((folder / "resources" / f"{digest}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    names = set()
    for path in schema.get("createOnlyProperties", []):
        parts = path.split("/")
        if len(parts) >= 3 and parts[1] == "properties":
            names.add(parts[2])
    return frozenset(names)


def reference_url(resource_type: str) -> str | None:
    """The AWS reference page of a resource type (None for custom and third-party types)."""
    parts = resource_type.split("::")
    if len(parts) != 3 or parts[0] != "AWS":
        return None
    return _REFERENCE.format(service=parts[1].lower(), kind=parts[2].lower())
