"""Findings as text, JSON or SARIF 2.1.0 for the ``check`` command."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from app.core.findings import Finding, Safety, Severity, Source
from rules.registry import RULES

TOOL_URI = "https://github.com/cfn-doctor/cfn-doctor"
SARIF_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
               Severity.LOW: "note", Severity.INFO: "note"}


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None


class FindingJson(TypedDict):
    """One finding in ``check --format json``."""

    rule: str
    title: str
    severity: str
    source: Source
    resource: str | None
    pointer: str
    line: int
    column: int
    message: str
    fix: str | None
    fix_safety: Safety | None


def finding_json(finding: Finding) -> FindingJson:
    fix = finding.fix
    return {
        "rule": finding.rule,
        "title": finding.title,
        "severity": finding.severity.label,
        "source": finding.source,
        "resource": finding.resource,
        "pointer": finding.pointer,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "fix": fix.title if fix else None,
        "fix_safety": fix.safety if fix else None,
    }


def as_json(results: Sequence[FileResult]) -> str:
    files = []
    for result in results:
        entry: dict[str, Any] = {"path": result.path, "findings": [finding_json(f) for f in result.findings]}
        if result.error:
            entry["error"] = result.error
        files.append(entry)
    return json.dumps({"files": files}, indent=2, ensure_ascii=False) + "\n"


def as_text(results: Sequence[FileResult]) -> str:
    lines = []
    total = 0
    fixable = 0
    for result in results:
        if result.error:
            lines.append(result.error)
            continue
        for finding in result.findings:
            total += 1
            fix = finding.fix
            suffix = ""
            if fix:
                fixable += fix.safety == "safe"
                suffix = f"  [fix{' (unsafe)' if fix.safety == 'unsafe' else ''}: {fix.title}]"
            source = "" if finding.source == "cfn-doctor" else " (cfn-lint)"
            lines.append(f"{result.path}:{finding.line}:{finding.column}: "
                         f"{finding.severity.label} {finding.rule}{source} {finding.message}{suffix}")
    if total:
        lines.append(f"{total} finding{'s' if total != 1 else ''}, {fixable} with a safe fix (run `cfn-doctor fix`).")
    else:
        lines.append("No findings.")
    return "\n".join(lines) + "\n"


def as_sarif(results: Sequence[FileResult]) -> str:
    rules = [
        {
            "id": rule.id,
            "name": rule.__name__,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.rationale() or rule.title},
            "helpUri": rule.docs_url,
            "help": {"text": rule.documentation(), "markdown": rule.documentation()},
            "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
            "properties": {"tags": list(rule.tags), "severity": rule.severity.label},
        }
        for rule in RULES
    ]
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    sarif_results = []
    for result in results:
        for finding in result.findings:
            entry: dict[str, Any] = {
                "ruleId": finding.rule,
                "level": SARIF_LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": result.path},
                        "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)},
                    },
                    "logicalLocations": [{"name": finding.resource, "kind": "resource"}] if finding.resource else [],
                }],
                "properties": {"severity": finding.severity.label, "source": finding.source,
                               "pointer": finding.pointer},
            }
            if finding.rule in index:
                entry["ruleIndex"] = index[finding.rule]
            if finding.fix:
                entry["properties"]["fix"] = finding.fix.title
                entry["properties"]["fixSafety"] = finding.fix.safety
            sarif_results.append(entry)
    notifications = [
        {"level": "error", "message": {"text": result.error},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": result.path}}}]}
        for result in results if result.error
    ]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "CFN Doctor", "informationUri": TOOL_URI, "version": _version(), "rules": rules}},
        "results": sarif_results,
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
    }
    document = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _version() -> str:
    # importlib.metadata costs ~20 ms to import: only SARIF output needs it.
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - slow import, see above

    try:
        return version("cfn-doctor")
    except PackageNotFoundError:
        return "0"


FORMATS = {"text": as_text, "json": as_json, "sarif": as_sarif}
