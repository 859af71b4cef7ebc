"""The Changes panel: what deploying the working copy over a stack made from the file on
disk (or from git HEAD) does, a row a changed resource, data loss red and first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.impact import Change
from app.impact_report import action_words, data_label, summary
from widgets.changes import Baseline, Comparison
from widgets.style import resource_icon

COLUMNS = ("Action", "Resource", "Type", "Replacement", "Data", "Causes", "Renamed to")
RESOURCE_COLUMN = 1
CAUSES_COLUMN = 5
CHANGE_ROLE = Qt.ItemDataRole.UserRole + 30
LOSS_TEXT = "#b71c1c"
LOSS_BACKGROUND = "#fdecea"
QUIET_TEXT = "#607d8b"
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


class ChangesModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.changes: list[Change] = []

    def set_changes(self, changes: tuple[Change, ...]) -> None:
        """Show ``changes``, those that lose data first (each group in the engine's order)."""
        self.beginResetModel()
        self.changes = sorted(changes, key=lambda change: not change.loses_data)
        self.endResetModel()

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.changes)

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
        change = self.changes[index.row()]
        if role == CHANGE_ROLE:
            return change
        if role == Qt.ItemDataRole.DisplayRole:
            return _cells(change)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(change)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == RESOURCE_COLUMN:
            return resource_icon(change.type)
        if change.loses_data:
            return _loss_style(role, index.column())
        return None


def _cells(change: Change) -> tuple[str, ...]:
    return (change.action, change.resource, change.type, change.replacement or "", data_label(change),
            "; ".join(change.causes), change.renamed_to or "")


def _tooltip(change: Change) -> str:
    lines = [f"{change.resource} ({change.type}): {action_words(change)}"]
    lines += [f"• {cause}" for cause in change.causes]
    if len(change.chain) > 1:
        lines.append(f"Replaced in a chain: {' → '.join(change.chain)}")
    lines += [text for text in (change.data_reason, *change.notes) if text]
    return "\n".join(lines)


def _loss_style(role: int, column: int) -> Any:
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(QColor(LOSS_TEXT))
    if role == Qt.ItemDataRole.BackgroundRole:
        return QBrush(QColor(LOSS_BACKGROUND))
    if role == Qt.ItemDataRole.FontRole and column == COLUMNS.index("Data"):
        font = QFont()
        font.setBold(True)
        return font
    return None


def dock_title(comparison: Comparison) -> str:
    """The panel's title, which its tab shows while the findings are in front: ``Changes (3,
    data loss)``."""
    if comparison.impact is None or not comparison.impact.changes:
        return "Changes"
    loss = ", data loss" if comparison.losses else ""
    return f"Changes ({len(comparison.impact.changes)}{loss})"


class ChangesPanel(QWidget):
    navigate = Signal(object)  # Change: double-click or Enter on its row
    baseline_chosen = Signal(object)  # Baseline

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChangesModel(self)
        self.on_disk = QRadioButton("File on disk")
        self.on_disk.setObjectName("baseline-disk")
        self.on_disk.setToolTip("What deploying the working copy does to a stack deployed from the file as saved")
        self.at_head = QRadioButton("Git HEAD")
        self.at_head.setObjectName("baseline-head")
        self.at_head.setToolTip("What deploying the working copy does to a stack deployed from the last commit")
        self.on_disk.setChecked(True)
        self._baselines = QButtonGroup(self)
        for button in (self.on_disk, self.at_head):
            self._baselines.addButton(button)
        self.at_head.toggled.connect(
            lambda checked: self.baseline_chosen.emit(Baseline.HEAD if checked else Baseline.DISK))
        self.summary = QLabel()
        self.summary.setObjectName("changes-summary")
        self.note = QLabel()
        self.note.setObjectName("changes-note")
        self.note.setStyleSheet(f"color: {QUIET_TEXT};")
        self.note.setWordWrap(True)
        self.note.hide()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((70, 220, 200, 95, 120, 0, 120)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(CAUSES_COLUMN, QHeaderView.ResizeMode.Stretch)
        # Double-click and Enter (the platform's activation, which a click never is here).
        self.table.activated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(QLabel("Compare with:"))
        top.addWidget(self.on_disk)
        top.addWidget(self.at_head)
        top.addStretch(1)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table)

    def show_comparison(self, comparison: Comparison) -> None:
        selected = self.current()
        impact = comparison.impact
        self.model.set_changes(impact.changes if impact else ())
        self.summary.setText(summary(impact) if impact else "")
        self.summary.setToolTip(f"Deploying {impact.new} over a stack deployed from {impact.old}" if impact else "")
        self.summary.setStyleSheet(f"color: {LOSS_TEXT}; font-weight: bold;" if comparison.losses else "")
        self.note.setText(comparison.note)
        self.note.setVisible(bool(comparison.note))
        if selected is not None:
            self._select(selected.resource)

    def current(self) -> Change | None:
        index = self.table.currentIndex()
        return index.data(CHANGE_ROLE) if index.isValid() else None

    def _select(self, resource: str) -> None:
        row = next((row for row, change in enumerate(self.model.changes) if change.resource == resource), None)
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _activated(self, index: QModelIndex) -> None:
        change = index.data(CHANGE_ROLE)
        if change is not None:
            self.navigate.emit(change)
