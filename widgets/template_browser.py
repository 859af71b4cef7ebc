"""The template tree, filtered by name or type (and to the resources with findings);
making a row current tells its JSON pointer (``selected``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QCheckBox, QHeaderView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from app.core import pointer as jp
from app.core.edits import Edit
from app.core.findings import Finding
from widgets.tree_model import POINTER_ROLE, TemplateFilter, TemplateTreeModel


class TemplateBrowser(QWidget):
    selected = Signal(str)  # the pointer of the row made current

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TemplateTreeModel(self)
        self.filter = TemplateFilter(self)
        self.filter.setSourceModel(self.model)
        self._with_findings: set[str] = set()
        self.filter_edit = QLineEdit(placeholderText="Filter by name or type…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.filter.set_text)
        self.only_findings = QCheckBox("Only with findings")
        self.only_findings.toggled.connect(lambda _: self._filter_findings())
        self.tree = QTreeView()
        self.tree.setModel(self.filter)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(34)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 210)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 38)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.only_findings)
        layout.addWidget(self.tree)

    def show_template(self, data: dict[str, Any]) -> None:
        """Show a new template, its resources unfolded."""
        self.model.set_template(data)
        rows = (self.filter.index(row, 0) for row in range(self.filter.rowCount()))
        resources = next((index for index in rows if index.data() == "Resources"), None)
        if resources is not None:
            self.tree.expand(resources)

    def apply_edits(self, edits: Sequence[Edit]) -> None:
        self.model.apply_edits(edits)

    def set_findings(self, by_resource: dict[str, list[Finding]]) -> None:
        self.model.set_findings(by_resource)
        self._with_findings = set(by_resource)
        self._filter_findings()

    def select_pointer(self, pointer: str) -> None:
        """Make the deepest row on the way to ``pointer`` current (unfolding as needed)."""
        index = QModelIndex()
        parts = jp.split(pointer)
        best = None
        for depth in range(1, len(parts) + 1):
            target = jp.join(parts[:depth])
            rows = (self.filter.index(row, 0, index) for row in range(self.filter.rowCount(index)))
            found = next((child for child in rows if jp.is_within(target, child.data(POINTER_ROLE))), None)
            if found is None:
                break
            best = index = found
            if found.data(POINTER_ROLE) == target:
                self.tree.expand(found.parent())
        if best is not None:
            self.tree.setCurrentIndex(best)
            self.tree.scrollTo(best)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _filter_findings(self) -> None:
        self.filter.set_only_findings(self.only_findings.isChecked(), self._with_findings)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pointer = current.data(POINTER_ROLE) if current.isValid() else None
        if pointer:
            self.selected.emit(pointer)
