"""What a rule is: metadata, ``check()`` that yields violations, optional ``fix()``.

A rule declares the type of what its ``fix()`` needs to know about a violation — its
payload — as the parameter of :class:`Rule`: ``Rule[str]`` when that is a resource's
logical id, a small frozen dataclass when it is more, ``Rule[None]`` when it is nothing.
``check()`` yields :class:`Violation` objects carrying that payload, and ``fix()`` reads
it back with its type, so mypy checks both ends::

    class LambdaRoleAccess(Rule[MissingGrant]):
        def check(self, context: Context) -> Iterator[Violation[MissingGrant]]:
            yield Violation(pointer, message, function, data=MissingGrant(role, table, table_type))

        def fix(self, context: Context, violation: Violation[MissingGrant]) -> list[Fix]:
            grant = violation.data
            ...

Rules keep no state: the engine may run one instance's ``check()`` on many templates,
and everything ``fix()`` needs travels in the violation.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from app.core.findings import Fix, Severity

if TYPE_CHECKING:
    from rules.context import Context

Payload = TypeVar("Payload")


@dataclass(frozen=True)
class Violation(Generic[Payload]):
    """What ``check()`` yields: where, what, optionally a severity other than the rule's
    default (an Aurora member instance is rated lower than a standalone one), and ``data``,
    the payload ``fix()`` needs (keyword-only, so that no rule forgets to decide it)."""

    pointer: str
    message: str
    resource: str | None = None
    severity: Severity | None = None
    data: Payload = field(kw_only=True)


class Rule(Generic[Payload]):
    """Subclasses set the metadata and implement ``check``; ``fix`` is optional.

    The class docstring is the rule's documentation, in ruff's sections: *What it does*,
    *Why is this bad?*, *Example*, *Fix*, *References*.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    tags: ClassVar[tuple[str, ...]] = ()
    docs_url: ClassVar[str]

    def check(self, context: Context) -> Iterator[Violation[Payload]]:
        raise NotImplementedError

    def fix(self, context: Context, violation: Violation[Payload]) -> list[Fix]:
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
