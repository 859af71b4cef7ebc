"""Which edits replace a resource on a deployed stack, in words.

A change to a create-only property (from the resource schemas cfn-lint ships) makes
CloudFormation create a new, empty resource and delete or keep the old one by its
``UpdateReplacePolicy``.  Fix safety (:func:`app.analysis.judge`) and the editor's warning
before such an edit both ask here, so they say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core import pointer as jp
from app.core.edits import Edit, Remove
from rules import template as tpl
from rules.catalog import StatefulType
from rules.schemas import create_only_properties


def replacement_note(resources: Mapping[str, dict[str, Any]], stateful_types: Mapping[str, StatefulType],
                     edit: Edit) -> str | None:
    """How ``edit`` replaces an existing resource, or None if it does not."""
    parts = jp.split(edit.pointer)
    if len(parts) < 3 or parts[0] != "Resources" or parts[2] != "Properties":
        return None
    name = parts[1]
    body = resources.get(name)
    if body is None:
        return None  # a resource the edit creates replaces nothing
    value: Any = None if isinstance(edit, Remove) else edit.value
    if len(parts) == 3:  # the whole Properties mapping: every key it changes counts
        old = tpl.properties(body)
        new = value if isinstance(value, dict) else {}
        keys = list(new) + [key for key in old if key not in new]
        changes = {key: new.get(key) for key in keys if old.get(key) != new.get(key)}
    else:
        changes = {parts[3]: value if len(parts) == 4 else None}
    replaced = [prop for prop in changes if prop in create_only_properties(str(body.get("Type")))]
    if not replaced:
        return None
    prop = replaced[0]
    stateful = stateful_types.get(str(body.get("Type")))
    verb = "turning on" if changes[prop] is True else "changing"
    note = f"{verb} {prop} replaces {name}: a new, empty {stateful.kind if stateful else 'resource'}"
    if stateful is None:
        return note
    policy = body.get("UpdateReplacePolicy")
    if policy in ("Retain", "Snapshot"):
        return note + f"; the old {stateful.kind} is kept (UpdateReplacePolicy {policy})"
    return note + f"; with UpdateReplacePolicy {policy or 'Delete'} the old {stateful.kind} and its data are deleted"
