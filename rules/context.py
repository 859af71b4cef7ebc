"""What a rule sees: the template data, the profile, and helpers over both."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from rules import foreach
from rules import template as tpl
from rules.catalog import StatefulType
from rules.foreach import Expansion
from rules.values import Values

if TYPE_CHECKING:
    from rules.profiles import Profile


@dataclass
class Context:
    data: dict[str, Any]
    profile: Profile

    @cached_property
    def resources(self) -> dict[str, dict[str, Any]]:
        """Every resource by logical id, those an ``Fn::ForEach`` loop makes included
        (their origin in :attr:`loops`)."""
        return dict(tpl.resources({"Resources": self.loops.items}))

    @cached_property
    def loops(self) -> Expansion:
        """The Resources section with its ``Fn::ForEach`` loops expanded, and the way from
        each resource a loop makes back to the loop body."""
        return foreach.expand(self.data, "Resources")

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

    @cached_property
    def outputs(self) -> dict[str, Any]:
        """Every output by name, those an ``Fn::ForEach`` loop makes included."""
        return foreach.expand(self.data, "Outputs").items

    def type_of(self, name: str) -> str | None:
        body = self.resources.get(name)
        return body["Type"] if body else None
