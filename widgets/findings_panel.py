"""The findings table: sortable, filterable, with navigation, fixes and suppression."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.findings import Finding, Severity
from app.suppressions import can_suppress
from widgets.style import severity_icon

COLUMNS = ("Severity", "Rule", "Resource", "Message", "Source", "Line")
SOURCE_LABELS = {"cfn-doctor": "CFN Doctor", "cfn-lint": "cfn-lint"}
FINDING_ROLE = Qt.ItemDataRole.UserRole + 10
SORT_ROLE = Qt.ItemDataRole.UserRole + 11
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


class FindingsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.findings: list[Finding] = []

    def set_findings(self, findings: list[Finding]) -> None:
        self.beginResetModel()
        self.findings = list(findings)
        self.endResetModel()

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 - Qt override
            self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        finding = self.findings[index.row()]
        column = index.column()
        if role == FINDING_ROLE:
            return finding
        if role == SORT_ROLE:
            return (int(finding.severity), finding.rule, finding.resource or "", finding.message, finding.source,
                    finding.line)[column]
        if role == Qt.ItemDataRole.DisplayRole:
            fix = "  ✚ fix" if finding.fix and column == 3 else ""
            return (finding.severity.label, finding.rule, finding.resource or "—", finding.message + fix,
                    SOURCE_LABELS[finding.source],
                    str(finding.line or ""))[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return severity_icon(finding.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{finding.title}\n{finding.message}"
            if finding.fix:
                tip += f"\nFix: {finding.fix.title}"
                if finding.fix.safety == "unsafe":
                    tip += f"\nUnsafe: {finding.fix.note}"
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class FindingsFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._text = ""
        self._minimum = Severity.INFO

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange()

    def set_minimum(self, severity: Severity) -> None:
        self.beginFilterChange()
        self._minimum = severity
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt override
        model = self.sourceModel()
        assert isinstance(model, FindingsModel)
        finding = model.findings[source_row]
        if finding.severity < self._minimum:
            return False
        # What the row shows is what the filter searches.
        haystack = f"{finding.rule} {finding.resource or ''} {finding.message} {SOURCE_LABELS[finding.source]}".lower()
        return not self._text or self._text in haystack


class FindingsPanel(QWidget):
    navigate = Signal(object)  # Finding
    fix_requested = Signal(object)  # Finding
    fix_rule_requested = Signal(str)  # rule id
    suppress_requested = Signal(object)  # Finding
    docs_requested = Signal(object)  # Finding

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QLineEdit(placeholderText="Filter findings (rule, resource, message)…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.severity_box = QComboBox()
        for severity in Severity:
            self.severity_box.addItem(severity_icon(severity), f"{severity.label} and above", severity)
        self.severity_box.currentIndexChanged.connect(lambda _: self.proxy.set_minimum(self.severity_box.currentData()))
        self.summary = QLabel()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((92, 70, 170, 0, 86, 52)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._emit(self.navigate, index))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.severity_box)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def set_findings(self, findings: list[Finding]) -> None:
        selected = self.current()
        self.model.set_findings(findings)
        counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
        summary = "  ".join(f"{counts[s]} {s.label}" for s in reversed(Severity) if counts[s])
        self.summary.setText(summary or "No findings")
        if selected is not None:
            for row, finding in enumerate(self.model.findings):
                if finding == selected:
                    self._select(self.proxy.mapFromSource(self.model.index(row, 0)))
                    break

    def current(self) -> Finding | None:
        index = self.table.currentIndex()
        return index.data(FINDING_ROLE) if index.isValid() else None

    def step(self, forward: bool) -> None:
        """F8 / Shift+F8: select the next or previous finding and go to it."""
        rows = self.proxy.rowCount()
        if not rows:
            return
        current = self.table.currentIndex()
        row = (current.row() + (1 if forward else -1)) % rows if current.isValid() else (0 if forward else rows - 1)
        index = self.proxy.index(row, 0)
        self._select(index)
        self._emit(self.navigate, index)

    def _select(self, index: QModelIndex) -> None:
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _emit(self, signal: SignalInstance, index: QModelIndex) -> None:
        finding = index.data(FINDING_ROLE)
        if finding is not None:
            signal.emit(finding)

    def _menu(self, position: Any) -> None:
        index = self.table.indexAt(position)
        finding: Finding | None = index.data(FINDING_ROLE) if index.isValid() else None
        if finding is None:
            return
        menu = QMenu(self)
        fix = QAction(f"Apply fix: {finding.fix.title}" if finding.fix else "No fix available", menu)
        fix.setEnabled(finding.fix is not None)
        fix.triggered.connect(lambda: self.fix_requested.emit(finding))
        everywhere = QAction(f"Apply {finding.rule}'s fix everywhere", menu)
        everywhere.setEnabled(finding.fix is not None)
        everywhere.triggered.connect(lambda: self.fix_rule_requested.emit(finding.rule))
        suppress = QAction(f"Suppress {finding.rule} for {finding.resource or 'the template'}", menu)
        suppress.setEnabled(can_suppress(finding))
        suppress.triggered.connect(lambda: self.suppress_requested.emit(finding))
        docs = QAction("Open rule documentation", menu)
        docs.setEnabled(bool(finding.docs_url))
        docs.triggered.connect(lambda: self.docs_requested.emit(finding))
        for action in (fix, everywhere, suppress, docs):
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))
