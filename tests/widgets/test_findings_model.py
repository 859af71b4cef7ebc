"""The findings table's model and its filter proxy: Qt's model tester through every change
the panel makes, and what a user sees of the filter (text, minimum severity) and the sort."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from app.core.findings import Finding, Fix, Severity, Source
from widgets.findings_panel import COLUMNS, FINDING_ROLE, FindingsFilter, FindingsModel


def finding(rule: str, severity: Severity, resource: str | None, message: str, line: int, *,
            source: Source = "cfn-doctor", fixes: tuple[Fix, ...] = ()) -> Finding:
    pointer = f"/Resources/{resource}" if resource else ""
    return Finding(rule, f"{rule} title", severity, message, pointer, resource, source, line, 1, fixes)


#: One finding of each severity, in no sorted order (of severity, or of line).
FINDINGS = [
    finding("CD5001", Severity.LOW, "Queue", "The queue has no dead-letter queue", 40),
    finding("CD1001", Severity.CRITICAL, "Ledger", "DeletionPolicy Delete on a table", 12,
            fixes=(Fix("Retain the table", (), "unsafe", "replaces the table on a deployed stack"),)),
    finding("I3042", Severity.INFO, None, "A hard-coded partition", 3, source="cfn-lint"),
    finding("E3002", Severity.HIGH, "Uploads", "Additional properties are not allowed ('Nope' was unexpected)", 9,
            source="cfn-lint"),
    finding("CD2001", Severity.MEDIUM, "Handler", "The role cannot reach table Ledger", 30,
            fixes=(Fix("Grant access", ()),)),
]
#: More findings than FINDINGS: a refill that grows the table.
MORE = FINDINGS + [
    finding("W3005", Severity.MEDIUM, "Handler", "Obsolete DependsOn on Ledger", 31, source="cfn-lint"),
    finding("CD6001", Severity.LOW, None, "No dashboard watches Ledger", 0),
]


def build(findings: list[Finding]) -> tuple[FindingsModel, FindingsFilter]:
    model = FindingsModel()
    model.set_findings(findings)
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    return model, proxy


def on_show(findings: list[Finding]) -> tuple[FindingsModel, FindingsFilter]:
    """The model and proxy once a view has shown every finding: a filter set from now on
    must re-filter rows the proxy has already mapped."""
    model, proxy = build(findings)
    assert shown(proxy) == findings
    return model, proxy


def shown(proxy: FindingsFilter) -> list[Finding]:
    """The findings the proxy shows, top to bottom."""
    return [proxy.index(row, 0).data(FINDING_ROLE) for row in range(proxy.rowCount())]


def rules(proxy: FindingsFilter) -> set[str]:
    return {finding.rule for finding in shown(proxy)}


REFILLS = [FINDINGS, FINDINGS[:2], MORE, []]


@pytest.mark.parametrize("through_proxy", [False, True], ids=["model", "proxy"])
def test_the_model_tester_passes_empty_filled_and_refilled(qtmodeltester: ModelTester, through_proxy: bool) -> None:
    model, proxy = build([])
    tested = proxy if through_proxy else model
    qtmodeltester.check(tested)
    for findings in REFILLS:
        model.set_findings(findings)
        qtmodeltester.check(tested)
    assert tested.rowCount() == 0 and tested.columnCount() == len(COLUMNS)


def test_the_model_tester_passes_on_the_proxy_while_filtering_sorting_and_refilling(qtmodeltester: ModelTester) -> None:
    model, proxy = build(FINDINGS)
    changes: list[Callable[[], None]] = [
        lambda: proxy.sort(0, Qt.SortOrder.DescendingOrder),
        lambda: proxy.set_text("ledger"),
        lambda: proxy.set_minimum(Severity.HIGH),
        lambda: model.set_findings(FINDINGS[:2]),
        lambda: model.set_findings(MORE),
        lambda: proxy.set_text("no match anywhere"),
        lambda: proxy.set_text(""),
        lambda: proxy.set_minimum(Severity.INFO),
    ]
    qtmodeltester.check(proxy)
    for change in changes:
        change()
        qtmodeltester.check(proxy)
    assert rules(proxy) == {finding.rule for finding in MORE}


@pytest.mark.parametrize(("text", "expected"), [
    ("LEDGER", {"CD1001", "CD2001"}),  # a resource, or a message that names it; any case
    ("  e3002 ", {"E3002"}),  # a rule, the blanks around it ignored
    ("dead-letter", {"CD5001"}),
    ("cfn-lint", {"E3002", "I3042"}),  # the source
    ("CFN Doctor", {"CD1001", "CD2001", "CD5001"}),  # the source as the column shows it
    ("no match anywhere", set()),
    ("", {finding.rule for finding in FINDINGS}),
])
def test_the_text_filter_shows_the_findings_that_contain_it(text: str, expected: set[str]) -> None:
    _, proxy = on_show(FINDINGS)
    proxy.set_text(text)
    assert rules(proxy) == expected


@pytest.mark.parametrize("minimum", list(Severity), ids=lambda severity: severity.label)
def test_the_minimum_severity_shows_that_severity_and_worse(minimum: Severity) -> None:
    _, proxy = on_show(FINDINGS)
    proxy.set_minimum(minimum)
    assert sorted(finding.severity for finding in shown(proxy)) == [s for s in Severity if s >= minimum]


def test_text_and_severity_filter_together_and_keep_filtering_a_refill() -> None:
    model, proxy = on_show(FINDINGS)
    proxy.set_text("cfn-lint")
    proxy.set_minimum(Severity.HIGH)
    assert rules(proxy) == {"E3002"}
    model.set_findings(MORE)
    proxy.set_minimum(Severity.MEDIUM)
    assert rules(proxy) == {"E3002", "W3005"}
    proxy.set_text("")
    proxy.set_minimum(Severity.INFO)
    assert rules(proxy) == {finding.rule for finding in MORE}


@pytest.mark.parametrize("order", [Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder], ids=["worst", "least"])
def test_the_severity_column_sorts_by_severity_not_by_its_label(order: Qt.SortOrder) -> None:
    model, proxy = build(FINDINGS)
    proxy.sort(COLUMNS.index("Severity"), order)
    worst_first = sorted(Severity, reverse=True)
    expected = worst_first if order == Qt.SortOrder.DescendingOrder else worst_first[::-1]
    assert [finding.severity for finding in shown(proxy)] == expected
    model.set_findings(list(reversed(FINDINGS)))  # the table keeps its sort when the findings change
    assert [finding.severity for finding in shown(proxy)] == expected


def test_the_line_column_sorts_by_number() -> None:
    _, proxy = build(FINDINGS)
    proxy.sort(COLUMNS.index("Line"), Qt.SortOrder.AscendingOrder)
    assert [finding.line for finding in shown(proxy)] == [3, 9, 12, 30, 40]
