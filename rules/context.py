"""What a rule sees: the template data, the profile, and helpers over both."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from rules import template as tpl
from rules.catalog import StatefulType
from rules.values import Values

if TYPE_CHECKING:
    from rules.profiles import Profile


@dataclass
class Context:
    data: dict[str, Any]
    profile: Profile

    @cached_property
    def resources(self) -> dict[str, dict[str, Any]]:
        return dict(tpl.resources(self.data))

    @cached_property
    def values(self) -> Values:
        """What values can be once deployed (parameters, conditions, mappings)."""
        return Values(self.data)

    def of_type(self, *types: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for name, body in self.resources.items():
            if body["Type"] in types:
                yield name, body

    def stateful(self, resource_type: str) -> StatefulType | None:
        return self.profile.stateful_types.get(resource_type)

    @property
    def parameters(self) -> dict[str, Any]:
        return tpl.parameters(self.data)

    @property
    def outputs(self) -> dict[str, Any]:
        return tpl.outputs(self.data)

    def type_of(self, name: str) -> str | None:
        body = self.resources.get(name)
        return body["Type"] if body else None
