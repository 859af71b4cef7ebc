"""Running the rules over a document: findings with lines, suppressions, severities
from the profile, and the safety of every fix judged the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from app.core.document import Document
from app.core.findings import Finding, Fix, Severity, in_line_order
from app.replacement import replacement_note
from app.suppressions import is_suppressed
from rules.base import Rule, Violation
from rules.context import Context
from rules.profiles import Profile
from rules.registry import RULES

ENGINE_ERROR = "CD0001"
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
        for violation in violations:
            if not is_suppressed(document.data, rule_class.id, violation.resource):
                findings.append(_finding(document, context, rule, violation))
    return in_line_order(findings)


def _finding(document: Document, context: Context, rule: Rule[Payload], violation: Violation[Payload]) -> Finding:
    profile = context.profile
    severity = violation.severity if violation.severity is not None else rule.severity
    if rule.id in profile.severities and severity is not Severity.INFO:
        severity = profile.severities[rule.id]
    try:
        fixes = tuple(judge(context, fix) for fix in rule.fix(context, violation))
    except Exception:  # noqa: BLE001 - a failed fix build still reports the finding
        fixes = ()
    where = document.locate(violation.pointer)
    return Finding(
        rule=rule.id, title=rule.title, severity=severity, message=violation.message,
        pointer=violation.pointer, resource=violation.resource, line=where.line, column=where.column,
        fixes=fixes, docs_url=rule.docs_url,
    )


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

        findings = in_line_order(findings + lint(document.text))
    return findings
