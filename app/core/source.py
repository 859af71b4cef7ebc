"""Where a node of a template stands in its source text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, order=True)
class Location:
    """1-based line and column of a node (of its key, for a mapping member)."""

    line: int
    column: int


class PositionIndex(Protocol):
    def locate(self, pointer: str) -> Location | None:
        """The node's location, or None if the pointer names no node in the text."""
        ...


def nearest(index: PositionIndex, pointer: str) -> Location:
    """The location of ``pointer`` or of its deepest ancestor that exists in the text."""
    while True:
        location = index.locate(pointer)
        if location is not None:
            return location
        if pointer == "":
            return Location(1, 1)
        pointer = pointer[: pointer.rfind("/")]
