"""Running the rules over a document: findings with lines, suppressions, severities
from the profile, and the safety of every fix judged the same way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from app.core import pointer as jp
from app.core.document import Document
from app.core.edits import exists, get
from app.core.findings import Finding, Fix, Severity, in_line_order
from app.core.intrinsics import references
from app.replacement import replacement_note
from app.suppressions import ignored, is_suppressed
from rules.base import Rule, Violation
from rules.context import Context
from rules.profiles import Profile
from rules.registry import RULES

ENGINE_ERROR = "CD0001"
#: cfn-lint rules that report a problem one of CFN Doctor's rules reports too, and that rule:
#: a password written in the template or taken from a parameter without NoEcho is CD2005's,
#: W2501's (at the property, or at the parameter) and W1011's (a parameter used for a secret)
SAME_PROBLEM: Mapping[str, str] = {"W2501": "CD2005", "W1011": "CD2005"}
#: what a rule's check() hands its fix() (each rule has its own; the engine only passes it on)
Payload = TypeVar("Payload")


def analyse(document: Document, profile: Profile, rules: Iterable[type[Rule[Any]]] = RULES) -> list[Finding]:
    """CFN Doctor's own findings for the document's current data, sorted by line."""
    context = Context(document.data, profile)
    findings: list[Finding] = []
    for rule_class in rules:
        if not profile.enabled(rule_class.id) or is_suppressed(document.data, rule_class.id, None):
            continue
        rule = rule_class()
        try:
            violations = list(rule.check(context))
        except Exception as error:  # noqa: BLE001 - a broken rule becomes one finding
            findings.append(_engine_error(rule_class, error))
            continue
        found = [_finding(document, context, rule, violation) for violation in violations
                 if not _suppressed(document, context, rule_class.id, violation.resource)]
        findings.extend(_loop_fixes_for_every_element(context, found))
    return in_line_order(findings)


def _suppressed(document: Document, context: Context, rule: str, resource: str | None) -> bool:
    """Suppressed in the template, on the resource, or on the loop body that makes it."""
    if is_suppressed(document.data, rule, resource):
        return True
    return resource is not None and resource in context.loops.origins and rule in ignored(context.resources[resource])


def _finding(document: Document, context: Context, rule: Rule[Payload], violation: Violation[Payload]) -> Finding:
    profile = context.profile
    severity = violation.severity if violation.severity is not None else rule.severity
    if rule.id in profile.severities and severity is not Severity.INFO:
        severity = profile.severities[rule.id]
    try:
        judged = (judge(context, fix) for fix in rule.fix(context, violation))
        fixes = tuple(fix for fix in (_in_document(context, violation, fix) for fix in judged) if fix)
    except Exception:  # noqa: BLE001 - a failed fix build still reports the finding
        fixes = ()
    pointer = context.loops.source_pointer(violation.pointer)
    where = document.locate(pointer)
    return Finding(
        rule=rule.id, title=rule.title, severity=severity, message=violation.message,
        pointer=pointer, resource=violation.resource, line=where.line, column=where.column,
        fixes=fixes, docs_url=rule.docs_url,
    )


def _in_document(context: Context, violation: Violation[Payload], fix: Fix) -> Fix | None:
    """The fix as the document takes it: edits to a resource an ``Fn::ForEach`` loop makes
    are written into the loop body (see :func:`_loop_fixes_for_every_element`), and a fix
    that cannot be, or that edits such a resource for a finding about another, is
    dropped."""
    origin = context.loops.origins.get(violation.resource) if violation.resource else None
    if origin is None:
        return None if any(context.loops.origin(edit.pointer) for edit in fix.edits) else fix
    edits = context.loops.body_edits(fix.edits, origin)
    if edits is None:
        return None
    made = ", ".join(context.loops.elements(origin))
    note = f"written into the loop body of {origin.loop}, so it changes every resource the loop makes ({made})"
    return Fix(fix.title, edits, fix.safety, f"{fix.note}; {note}" if fix.note else note)


def _loop_fixes_for_every_element(context: Context, findings: list[Finding]) -> list[Finding]:
    """A fix written into a loop body changes every element: it stays only when every
    element has the finding with the same edits, else the elements' findings lose it."""
    by_body: dict[str, list[Finding]] = {}
    for finding in findings:
        origin = context.loops.origins.get(finding.resource or "")
        if origin is not None and finding.fixes:
            by_body.setdefault(origin.pointer, []).append(finding)
    unfixable: set[int] = set()
    for members in by_body.values():
        elements = context.loops.elements(context.loops.origins[members[0].resource or ""])
        plans = [[(fix.edits, fix.safety) for fix in finding.fixes] for finding in members]
        every = sorted(finding.resource or "" for finding in members) == sorted(elements)
        if not every or any(plan != plans[0] for plan in plans):
            unfixable |= {id(finding) for finding in members}
    return [replace(finding, fixes=()) if id(finding) in unfixable else finding for finding in findings]


def _engine_error(rule: type[Rule[Any]], error: Exception) -> Finding:
    return Finding(
        rule=ENGINE_ERROR, title="Rule failed", severity=Severity.MEDIUM,
        message=f"rule {rule.id} failed on this template ({type(error).__name__}: {error}); its checks did not run",
        pointer="", line=1, column=1,
    )


def judge(context: Context, fix: Fix) -> Fix:
    """The fix, marked unsafe if an edit changes a create-only property of a resource
    that exists: on a deployed stack that replaces the resource with a new, empty one."""
    if fix.safety == "unsafe":
        return fix
    for edit in fix.edits:
        note = replacement_note(context.resources, context.profile.stateful_types, edit)
        if note:
            return Fix(fix.title, fix.edits, "unsafe", note)
    return fix


def analyse_all(document: Document, profile: Profile, *, cfn_lint: bool = True) -> list[Finding]:
    """Own findings, with cfn-lint's beside them when asked (run in this thread)."""
    findings = analyse(document, profile)
    if cfn_lint:
        from app.cfn_lint import lint  # noqa: PLC0415 - keeps `check --no-cfn-lint` light

        findings = in_line_order(merge_same_problems(document.data, findings, lint(document.text)))
    return findings


def merge_same_problems(data: dict[str, Any], own: Sequence[Finding], lint: Sequence[Finding]) -> list[Finding]:
    """CFN Doctor's and cfn-lint's findings, each problem once: a cfn-lint finding that
    reports what one of ours reports (:data:`SAME_PROBLEM`, at the same property or at the
    parameter that property takes) is left out, and our finding names it and takes the
    worse severity of the two.  The CLI and the editor both show findings through this."""
    echoes: dict[int, list[Finding]] = {}
    rest: list[Finding] = []
    for theirs in lint:
        matches = [index for index, ours in enumerate(own) if _same_problem(data, ours, theirs)]
        for index in matches:
            echoes.setdefault(index, []).append(theirs)
        if not matches:
            rest.append(theirs)
    return [_naming(ours, echoes[index]) if index in echoes else ours for index, ours in enumerate(own)] + rest


def _same_problem(data: dict[str, Any], ours: Finding, theirs: Finding) -> bool:
    if SAME_PROBLEM.get(theirs.rule) != ours.rule or ours.source != "cfn-doctor":
        return False
    prop = _property_pointer(ours.pointer)
    if prop is None:
        return False
    if jp.is_within(theirs.pointer, prop):
        return True
    parts = jp.split(theirs.pointer)
    if len(parts) != 2 or parts[0] != "Parameters" or not exists(data, prop):
        return False
    return any(name == parts[1] for name, _ in references(get(data, prop)))


def _property_pointer(pointer: str) -> str | None:
    """``/Resources/R/Properties/P`` of a pointer at or inside a resource property."""
    parts = jp.split(pointer)
    if len(parts) < 4 or parts[0] != "Resources" or parts[2] != "Properties":
        return None
    return jp.join(parts[:4])


def _naming(ours: Finding, echoes: Sequence[Finding]) -> Finding:
    """Our finding, naming the cfn-lint rules that report the same problem."""
    rules = sorted({theirs.rule for theirs in echoes})
    verb = "reports" if len(rules) == 1 else "report"
    message = f"{ours.message} (cfn-lint {' and '.join(rules)} {verb} the same)"
    return replace(ours, message=message, severity=max([ours.severity, *(theirs.severity for theirs in echoes)]))
