"""cfn-lint, run in-process on the document's text, its matches turned into findings.

It runs through cfn-lint's own API on a snapshot of the text (never the live document).
The desktop editor runs it in a worker process (:func:`lint_to_pipe`), where cancelling a
run is ending the process.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from multiprocessing.connection import Connection
from typing import Protocol

from app.core import pointer as jp
from app.core.findings import Finding, Severity

#: cfn-lint rules that CFN Doctor's own rules report more precisely.
SUPERSEDED = frozenset({"I3011", "W3011"})
SEVERITY = {"E": Severity.HIGH, "W": Severity.MEDIUM, "I": Severity.INFO}
CRASH_RULE = "cfn-lint"
DOCS = "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md"


class _LintRule(Protocol):
    """What is read of a cfn-lint rule (``cfnlint.rules.CloudFormationLintRule``)."""

    id: str
    shortdesc: str
    source_url: str


class _LintMatch(Protocol):
    """What is read of a cfn-lint match (``cfnlint.match.Match``); its ``path`` is
    optional, set only when the rule's match carried one."""

    rule: _LintRule
    message: str
    linenumber: int
    columnnumber: int


def lint(text: str, regions: Iterable[str] = ("us-east-1",)) -> list[Finding]:
    """cfn-lint's findings for ``text``; a crash inside cfn-lint is one finding."""
    try:
        return [finding for finding in _run(text, list(regions)) if finding.rule not in SUPERSEDED]
    except Exception as error:  # noqa: BLE001 - cfn-lint's failures must not end the analysis
        return [crash_finding(f"cfn-lint stopped with {type(error).__name__}: {error}")]


def crash_finding(reason: str) -> Finding:
    """The one finding that stands for a cfn-lint run that ended without results."""
    return Finding(CRASH_RULE, "cfn-lint failed", Severity.MEDIUM, f"{reason}; its checks are incomplete", "",
                   source="cfn-lint", line=1, column=1)


def _run(text: str, regions: list[str]) -> list[Finding]:
    # cfn-lint costs ~0.5 s to import: only when it runs, so that `check --no-cfn-lint` stays light.
    from cfnlint.api import ManualArgs  # noqa: PLC0415 - cfn-lint's slow import, see above
    from cfnlint.config import ConfigMixIn  # noqa: PLC0415 - cfn-lint's slow import, see above
    from cfnlint.decode.decode import decode_str  # noqa: PLC0415 - cfn-lint's slow import, see above
    from cfnlint.runner import Runner  # noqa: PLC0415 - cfn-lint's slow import, see above

    template, errors = decode_str(text)
    matches = list(errors or [])
    if template is not None and not errors:
        runner = Runner(ConfigMixIn(**ManualArgs(regions=regions)))
        matches.extend(runner.validate_template(template))
    return [_finding(match) for match in matches]


def _finding(match: _LintMatch) -> Finding:
    rule = match.rule
    rule_id = str(rule.id)
    path: Sequence[str | int] = getattr(match, "path", None) or []
    resource = str(path[1]) if len(path) > 1 and path[0] == "Resources" else None
    return Finding(
        rule=rule_id,
        title=str(rule.shortdesc or rule_id),
        severity=SEVERITY.get(rule_id[:1], Severity.MEDIUM),
        message=str(match.message),
        pointer=jp.join(path),
        resource=resource,
        source="cfn-lint",
        line=int(match.linenumber or 1),
        column=int(match.columnnumber or 1),
        docs_url=str(rule.source_url or DOCS),
    )


def lint_to_pipe(text: str, connection: Connection[list[Finding], object]) -> None:
    """Entry point of a worker process: lint ``text``, send the findings back.

    The desktop editor runs cfn-lint this way so that its pure-Python work never holds
    the GUI process's interpreter lock, and cancelling is ending the process.
    """
    findings = lint(text)
    connection.send(findings)
    connection.close()
