"""Running the rules over a document: findings with lines, suppressions, severities
from the profile, and the safety of every fix judged the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.core import pointer as jp
from app.core.document import Document
from app.core.edits import Edit, Remove
from app.core.findings import Finding, Fix, Severity
from rules.profiles import Profile
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.registry import RULES
from rules.schemas import create_only_properties

ENGINE_ERROR = "CD0001"


def analyse(document: Document, profile: Profile, rules: Iterable[type[Rule]] = RULES) -> list[Finding]:
    """CFN Doctor's own findings for the document's current data, sorted by line."""
    context = Context(document.data, profile)
    top_ignores = tpl.metadata_ignores(document.data)
    findings: list[Finding] = []
    for rule_class in rules:
        if not profile.enabled(rule_class.id) or rule_class.id in top_ignores:
            continue
        rule = rule_class()
        try:
            violations = list(rule.check(context))
        except Exception as error:  # noqa: BLE001 - a broken rule becomes one finding
            findings.append(_engine_error(document, rule_class, error))
            continue
        for violation in violations:
            if violation.resource and rule_class.id in tpl.metadata_ignores(context.resources.get(violation.resource, {})):
                continue
            findings.append(_finding(document, context, rule, violation))
    findings.sort(key=lambda finding: (finding.line, -finding.severity, finding.rule))
    return findings


def _finding(document: Document, context: Context, rule: Rule, violation: Violation) -> Finding:
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


def _engine_error(document: Document, rule: type[Rule], error: Exception) -> Finding:
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
        note = _replacement(context, edit)
        if note:
            return Fix(fix.title, fix.edits, "unsafe", note)
    return fix


def _replacement(context: Context, edit: Edit) -> str | None:
    parts = jp.split(edit.pointer)
    if len(parts) < 3 or parts[0] != "Resources" or parts[2] != "Properties":
        return None
    name = parts[1]
    body = context.resources.get(name)
    if body is None:
        return None  # a resource the fix creates replaces nothing
    value: Any = None if isinstance(edit, Remove) else edit.value
    if len(parts) == 3:  # the whole Properties mapping: judge every key it changes
        old = tpl.properties(body)
        new = value if isinstance(value, dict) else {}
        keys = list(new) + [key for key in old if key not in new]
        changes = {key: new.get(key) for key in keys if old.get(key) != new.get(key)}
    else:
        changes = {parts[3]: value if len(parts) == 4 else None}
    replaced = [prop for prop in changes if prop in create_only_properties(body["Type"])]
    if not replaced:
        return None
    prop, value = replaced[0], changes[replaced[0]]
    stateful = context.stateful(body["Type"])
    kind = stateful.kind if stateful else "resource"
    verb = "turning on" if value is True else "changing"
    note = f"{verb} {prop} replaces {name}: a new, empty {kind}"
    if stateful and body.get("UpdateReplacePolicy") not in ("Retain", "Snapshot"):
        note += "; with UpdateReplacePolicy Delete the old one and its data are deleted"
    return note


def analyse_all(document: Document, profile: Profile, *, cfn_lint: bool = True) -> list[Finding]:
    """Own findings, with cfn-lint's beside them when asked (run in this thread)."""
    findings = analyse(document, profile)
    if cfn_lint:
        from app.cfn_lint import lint  # noqa: PLC0415 - keeps `check --no-cfn-lint` light

        findings.extend(lint(document.text))
        findings.sort(key=lambda finding: (finding.line, -finding.severity, finding.rule))
    return findings
