"""The one error type the core raises for input it cannot use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TemplateError(Exception):
    """A template that cannot be read, or an operation on it that cannot be done.

    ``line`` and ``column`` are 1-based; both are 0 when the problem has no place in the
    text (a missing file, a failed write).
    """

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class EditError(Exception):
    """An edit that does not fit the document (missing path, wrong container, ...)."""
