"""SAM policy templates (``DynamoDBCrudPolicy: {TableName: !Ref Table}``), read from the
table SAM itself ships (``resources/sam/policy_templates.json``, vendored verbatim)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from resources import ROOT

DATA = ROOT / "sam" / "policy_templates.json"


@dataclass(frozen=True)
class PolicyTemplate:
    name: str
    parameters: tuple[str, ...]
    definition: dict[str, Any]  # a policy document whose ``Ref: <parameter>`` SAM replaces

    def document(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """The policy document SAM makes of the template with these parameter values;
        None when one is missing (SAM rejects the template then)."""
        if any(parameter not in values for parameter in self.parameters):
            return None
        resolved: dict[str, Any] = _substituted(self.definition, values, self.parameters)
        return resolved


@lru_cache(maxsize=1)
def templates() -> dict[str, PolicyTemplate]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))["Templates"]
    return {name: PolicyTemplate(name, tuple(entry.get("Parameters", {})), entry["Definition"])
            for name, entry in raw.items()}


def template_call(entry: Any) -> tuple[PolicyTemplate, Mapping[str, Any]] | None:
    """(template, parameter values) of a ``Policies`` entry that names a policy template."""
    if not (isinstance(entry, dict) and len(entry) == 1):
        return None
    ((name, values),) = entry.items()
    template = templates().get(name)
    if template is None:
        return None
    return template, values if isinstance(values, dict) else {}


def _substituted(value: Any, values: Mapping[str, Any], parameters: tuple[str, ...]) -> Any:
    """``value`` with each ``Ref`` to a template parameter replaced by its value, as SAM
    does (only ``Ref``: a ``${Name}`` in an ``Fn::Sub`` string is left to CloudFormation)."""
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in parameters:
            return values[value["Ref"]]
        return {key: _substituted(item, values, parameters) for key, item in value.items()}
    if isinstance(value, list):
        return [_substituted(item, values, parameters) for item in value]
    return value
