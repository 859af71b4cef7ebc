"""What a rule is: metadata, ``check()`` that yields violations, optional ``fix()``."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from app.core.findings import Fix, Severity

if TYPE_CHECKING:
    from rules.context import Context


@dataclass(frozen=True)
class Violation:
    """What ``check()`` yields: where, what, and optionally a severity other than the
    rule's default (an Aurora member instance is rated lower than a standalone one)."""

    pointer: str
    message: str
    resource: str | None = None
    severity: Severity | None = None
    data: object = None  # whatever ``fix()`` needs to know about this violation


class Rule:
    """Subclasses set the metadata and implement ``check``; ``fix`` is optional.

    The class docstring is the rule's documentation, in ruff's sections: *What it does*,
    *Why is this bad?*, *Example*, *Fix*, *References*.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    tags: ClassVar[tuple[str, ...]] = ()
    docs_url: ClassVar[str]

    def check(self, context: Context) -> Iterator[Violation]:
        raise NotImplementedError

    def fix(self, context: Context, violation: Violation) -> list[Fix]:
        """The fixes for one violation, best first; empty when none is safe to offer."""
        return []

    @classmethod
    def can_fix(cls) -> bool:
        return cls.fix is not Rule.fix

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def rationale(cls) -> str:
        """The *Why is this bad?* section, as one paragraph."""
        text = cls.documentation()
        marker = "## Why is this bad?"
        if marker not in text:
            return ""
        section = text.split(marker, 1)[1].split("\n## ", 1)[0]
        return " ".join(section.split())
