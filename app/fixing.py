"""Planning fixes in bulk: one plan that the CLI's ``fix``, the editor's Fix All (and its
preview) and the tests share.

A plan runs on a copy of the document in passes.  Each pass applies every wanted fix whose
edits do not overlap one already taken in that pass; an overlapping fix waits for the next
pass, where the rules run again on the edited copy and its finding — if it is still there —
offers a fix computed against the new text.  Nothing is dropped silently: a fix that no
longer applies is reported with the reason.  The plan's edits, applied in order as one
batch to the original document, give exactly the planned result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from app.core import pointer as jp
from app.core.document import Document
from app.core.edits import Edit, apply_edits, copy_data
from app.core.errors import EditError
from app.core.findings import Finding, Fix
from rules.profiles import Profile

MAX_PASSES = 5
Analyse = Callable[[Document, Profile], list[Finding]]
FindingKey = tuple[str, str]
#: a finding and the fix of it to apply
Candidate = tuple[Finding, Fix]


@dataclass
class FixPlan:
    applied: list[Candidate] = field(default_factory=list)
    #: fixes that were wanted but not applied, and why
    skipped: list[tuple[Finding, Fix, str]] = field(default_factory=list)
    #: every applied edit in order: one batch that turns the original into the result
    edits: tuple[Edit, ...] = ()
    passes: int = 0
    #: a copy of the document with ``edits`` applied (the preview's text)
    result: Document | None = None


def eligible(findings: Iterable[Finding], *, rules: set[str] | None = None, unsafe: bool = False) -> list[Candidate]:
    """The findings whose first fix may be applied in bulk."""
    chosen: list[Candidate] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.edits or (rules and finding.rule not in rules):
            continue
        if fix.safety == "unsafe" and not unsafe:
            continue
        chosen.append((finding, fix))
    return chosen


def key(finding: Finding) -> FindingKey:
    """What identifies a finding across passes: its rule and resource (its message and
    pointer may change as fixes apply: adding ``Properties`` moves a finding into it)."""
    return finding.rule, finding.resource if finding.resource is not None else finding.pointer


def plan(document: Document, profile: Profile, analyse: Analyse, *, chosen: Sequence[Candidate] | None = None,
         rules: set[str] | None = None, unsafe: bool = False, preview: bool = True) -> FixPlan:
    """Plan the fixes of ``chosen`` (the editor's ticked fixes), or else of every eligible
    finding (``rules`` and ``unsafe`` filter them), pass after pass on a copy.  With
    ``preview``, :attr:`FixPlan.result` holds the document the plan's edits make."""
    report = FixPlan()
    work = document.copy()
    edits: list[Edit] = []
    candidates = list(chosen) if chosen is not None else eligible(analyse(work, profile), rules=rules, unsafe=unsafe)
    for _ in range(MAX_PASSES):
        if not candidates:
            break
        report.passes += 1
        taken, waiting = _one_pass(work, candidates, report)
        edits.extend(edit for _, fix in taken for edit in fix.edits)
        if not taken and not waiting:
            break
        findings = analyse(work, profile)
        if chosen is None:
            candidates = eligible(findings, rules=rules, unsafe=unsafe)
        else:
            candidates = _still_wanted(waiting, findings, report)
    for finding, fix in candidates:
        reason = f"still overlaps another fix after {MAX_PASSES} passes; run Fix All again"
        report.skipped.append((finding, fix, reason))
    report.edits = tuple(edits)
    if preview:
        # The one batch, applied as the editor and the CLI will apply it: the preview
        # shows exactly the text that Apply produces.
        report.result = document.copy()
        report.result.apply(report.edits)
    return report


def _one_pass(work: Document, candidates: list[Candidate], report: FixPlan) -> tuple[list[Candidate], list[Candidate]]:
    """Apply the candidates that fit and do not overlap each other as one batch; return
    those taken and those that wait for the next pass."""
    touched: list[str] = []
    taken: list[Candidate] = []
    waiting: list[Candidate] = []
    scratch = copy_data(work.data)
    for finding, fix in candidates:
        if any(_overlaps(edit, touched) for edit in fix.edits):
            waiting.append((finding, fix))
            continue
        try:
            apply_edits(scratch, fix.edits)
        except EditError as error:
            report.skipped.append((finding, fix, f"does not fit the template: {error}"))
            continue
        touched.extend(_target(edit) for edit in fix.edits)
        taken.append((finding, fix))
    try:
        work.apply([edit for _, fix in taken for edit in fix.edits])
    except EditError:
        taken = _one_by_one(work, taken, report)
    report.applied.extend(taken)
    return taken, waiting


def _one_by_one(work: Document, taken: list[Candidate], report: FixPlan) -> list[Candidate]:
    """The batch could not be written: find the fixes that can."""
    applied: list[Candidate] = []
    for finding, fix in taken:
        try:
            work.apply(fix.edits)
        except EditError as error:
            report.skipped.append((finding, fix, str(error)))
            continue
        applied.append((finding, fix))
    return applied


def _still_wanted(waiting: list[Candidate], findings: list[Finding], report: FixPlan) -> list[Candidate]:
    """The fixes the re-analysis offers for the findings that waited; a waiting finding
    that is gone was resolved by the fixes before it."""
    wanted = Counter(key(finding) for finding, _ in waiting)
    safe_only = {key(finding) for finding, fix in waiting if fix.safety == "safe"}
    offered: list[Candidate] = []
    for finding in findings:
        fix = finding.fix
        if not wanted[key(finding)] or fix is None or not fix.edits:
            continue
        wanted[key(finding)] -= 1
        if fix.safety == "unsafe" and key(finding) in safe_only:
            report.skipped.append((finding, fix, f"after the fixes before it, this fix is unsafe: {fix.note}"))
            continue
        offered.append((finding, fix))
    for finding, fix in waiting:
        if wanted[key(finding)]:
            wanted[key(finding)] -= 1
            report.skipped.append((finding, fix, "no longer needed: the fixes applied before it resolved it"))
    return offered


def _target(edit: Edit) -> str:
    return jp.parent(edit.pointer) if edit.pointer.endswith("/-") else edit.pointer


def _overlaps(edit: Edit, touched: list[str]) -> bool:
    target = _target(edit)
    return any(jp.is_within(target, other) or jp.is_within(other, target) for other in touched)


def fix_all(document: Document, profile: Profile, analyse: Analyse, *, rules: set[str] | None = None,
            unsafe: bool = False) -> FixPlan:
    """Plan every eligible fix and apply the plan to ``document`` as one batch."""
    report = plan(document, profile, analyse, rules=rules, unsafe=unsafe, preview=False)
    document.apply(report.edits)
    return report
