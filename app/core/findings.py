"""What analysis produces: findings, and the fixes they offer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

from app.core.edits import Edit

Source = Literal["cfn-doctor", "cfn-lint"]
Safety = Literal["safe", "unsafe"]


class Severity(IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            choices = ", ".join(level.label for level in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


@dataclass(frozen=True)
class Fix:
    """A titled batch of edits.  ``unsafe`` fixes would replace a resource or lose data
    on a deployed stack; ``note`` says how, in words."""

    title: str
    edits: tuple[Edit, ...]
    safety: Safety = "safe"
    note: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    severity: Severity
    message: str
    pointer: str
    resource: str | None = None
    source: Source = "cfn-doctor"
    line: int = 0
    column: int = 0
    fixes: tuple[Fix, ...] = field(default=(), compare=False)
    docs_url: str | None = field(default=None, compare=False)

    @property
    def fix(self) -> Fix | None:
        """The fix on offer (the first, when a rule offers alternatives)."""
        return self.fixes[0] if self.fixes else None


def in_line_order(findings: Iterable[Finding]) -> list[Finding]:
    """As a report reads: by line, the worst first on a line."""
    return sorted(findings, key=lambda finding: (finding.line, -finding.severity, finding.rule))


def worst_first(findings: Iterable[Finding]) -> list[Finding]:
    """As a to-do list reads: the worst first, then by line."""
    return sorted(findings, key=lambda finding: (-finding.severity, finding.line, finding.rule))
