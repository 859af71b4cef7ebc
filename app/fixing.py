"""Applying fixes in bulk: the CLI's ``fix`` and the GUI's Fix all share this loop."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app import pointer as jp
from app.document import Document
from app.edits import Edit
from app.errors import EditError
from app.findings import Finding, Fix
from app.profiles import Profile

MAX_PASSES = 5
Analyse = Callable[[Document, Profile], list[Finding]]


@dataclass
class FixReport:
    applied: list[tuple[Finding, Fix]] = field(default_factory=list)
    passes: int = 0


def eligible(findings: Iterable[Finding], *, rules: set[str] | None = None, unsafe: bool = False) -> list[tuple[Finding, Fix]]:
    chosen = []
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.edits or (rules and finding.rule not in rules):
            continue
        if fix.safety == "unsafe" and not unsafe:
            continue
        chosen.append((finding, fix))
    return chosen


def _overlaps(edit: Edit, touched: list[str]) -> bool:
    target = jp.parent(edit.pointer) if edit.pointer.endswith("/-") else edit.pointer
    return any(jp.is_within(target, other) or jp.is_within(other, target) for other in touched)


def fix_all(document: Document, profile: Profile, analyse: Analyse, *, rules: set[str] | None = None,
            unsafe: bool = False) -> FixReport:
    """Apply every eligible fix, one batch each; a fix whose edits overlap one applied in
    the same pass waits for the next pass, after the rules ran again.  Stops when a pass
    applies nothing, or after MAX_PASSES."""
    report = FixReport()
    for _ in range(MAX_PASSES):
        report.passes += 1
        touched: list[str] = []
        applied_this_pass = 0
        for finding, fix in eligible(analyse(document, profile), rules=rules, unsafe=unsafe):
            if any(_overlaps(edit, touched) for edit in fix.edits):
                continue
            try:
                document.apply(fix.edits)
            except EditError:
                continue
            touched.extend(jp.parent(e.pointer) if e.pointer.endswith("/-") else e.pointer for e in fix.edits)
            report.applied.append((finding, fix))
            applied_this_pass += 1
        if not applied_this_pass:
            break
    return report
