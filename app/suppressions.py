"""Silencing a rule in the template itself: ``Metadata: {cfn-doctor: {ignore: [...]}}`` on
a resource, or at the top of the template for all of it."""

from __future__ import annotations

from typing import Any

from app.core import pointer as jp
from app.core.edits import Add, Edit, Set
from app.core.findings import Finding

SECTION = "cfn-doctor"


def ignored(container: Any) -> set[str]:
    """Rule ids that ``container`` (a resource, or the template) silences."""
    metadata = container.get("Metadata") if isinstance(container, dict) else None
    section = metadata.get(SECTION) if isinstance(metadata, dict) else None
    ignore = section.get("ignore") if isinstance(section, dict) else None
    if isinstance(ignore, str):
        return {ignore}
    return {item for item in ignore if isinstance(item, str)} if isinstance(ignore, list) else set()


def _resource_in_text(pointer: str) -> list[str]:
    """The path of the resource (a loop body's, through nested loops) that ``pointer`` is in."""
    tokens = jp.split(pointer)
    if len(tokens) < 2 or tokens[0] != "Resources" or not tokens[1].startswith("Fn::ForEach::"):
        return []
    at = 1
    while at < len(tokens) and tokens[at].startswith("Fn::ForEach::"):
        at += 2  # the loop's name, then index 2: the template of what it makes
    return list(tokens[: at + 1]) if at < len(tokens) else []


def can_suppress(finding: Finding) -> bool:
    """Whether ``Metadata: cfn-doctor: ignore`` can silence the finding (CFN Doctor's own;
    cfn-lint's findings follow cfn-lint's own configuration)."""
    return finding.source == "cfn-doctor"


def is_suppressed(data: dict[str, Any], rule: str, resource: str | None) -> bool:
    if rule in ignored(data):
        return True
    resources = data.get("Resources")
    return resource is not None and isinstance(resources, dict) and rule in ignored(resources.get(resource))


def suppress_edits(data: dict[str, Any], rule: str, resource: str | None, pointer: str = "") -> list[Edit]:
    """Edits that add ``rule`` to the ignore list of ``resource`` (of the template when
    None), creating the Metadata entries on the way.  A resource that an ``Fn::ForEach``
    makes is silenced in the loop's body, where ``pointer`` (its finding's) leads."""
    base = _resource_in_text(pointer) or (["Resources", resource] if resource else [])
    container: object = data
    for token in base:
        container = container.get(token) if isinstance(container, dict) else None
    metadata = container.get("Metadata") if isinstance(container, dict) else None
    pointer = jp.join([*base, "Metadata"])
    if not isinstance(metadata, dict):
        return [Add(pointer, {SECTION: {"ignore": [rule]}})]
    section = metadata.get(SECTION)
    if not isinstance(section, dict):
        return [Add(jp.child(pointer, SECTION), {"ignore": [rule]})]
    ignore = section.get("ignore")
    target = jp.join([*base, "Metadata", SECTION, "ignore"])
    if isinstance(ignore, list):
        return [Add(jp.child(target, "-"), rule)]
    if isinstance(ignore, str):
        return [Set(target, [ignore, rule])]
    return [Add(target, [rule])]
