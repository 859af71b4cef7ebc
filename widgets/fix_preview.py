"""Fix all: the fixes on offer as a checklist (unsafe ones unticked and labelled) beside
the diff of the template that the core's plan for the ticked ones produces, and the fixes
that plan could not apply, with the reason."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.analysis import analyse
from app.core.document import Document
from app.core.errors import EditError
from app.core.findings import Finding, Fix
from app.fixing import FixPlan, eligible, plan
from rules.profiles import Profile
from widgets.diff_view import DiffView
from widgets.style import severity_icon

FIX_ROLE = Qt.ItemDataRole.UserRole + 30
REFRESH_DELAY_MS = 150


class FixPreview(QDialog):
    """``plan`` holds the plan of the ticked fixes once the dialog is accepted: apply its
    ``edits`` as one batch."""

    def __init__(self, document: Document, profile: Profile, candidates: list[tuple[Finding, Fix]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fix all — preview")
        self.resize(1150, 720)
        self._document = document
        self._profile = profile
        self.plan: FixPlan | None = None
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_DELAY_MS)
        self._refresh.timeout.connect(self.update_diff)

        self.checklist = QListWidget()
        self.checklist.setWordWrap(True)
        self.checklist.setAlternatingRowColors(True)
        # Ticked to begin with: what the engine applies in bulk unasked (the safe fixes).
        bulk = {finding for finding, _ in eligible(finding for finding, _ in candidates)}
        for finding, fix in candidates:
            self.checklist.addItem(_candidate_item(finding, fix, ticked=finding in bulk))
        self.checklist.itemChanged.connect(lambda _: self._refresh.start())

        self.diff = DiffView()
        self.skipped = QListWidget()
        self.skipped.setWordWrap(True)
        self.skipped_box = QWidget()
        skipped_layout = QVBoxLayout(self.skipped_box)
        skipped_layout.setContentsMargins(0, 0, 0, 0)
        skipped_layout.addWidget(QLabel("<b>Not applied</b> (ticked, but the plan could not apply them):"))
        skipped_layout.addWidget(self.skipped)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.diff)
        right.addWidget(self.skipped_box)
        right.setSizes([560, 140])

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Fixes to apply (unsafe ones replace a resource or lose data, and start unticked):")
        label.setWordWrap(True)
        left_layout.addWidget(label)
        left_layout.addWidget(self.checklist)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([430, 720])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self.update_diff()

    def ticked(self) -> list[tuple[Finding, Fix]]:
        return [self.checklist.item(i).data(FIX_ROLE) for i in range(self.checklist.count())
                if self.checklist.item(i).checkState() == Qt.CheckState.Checked]

    def accept(self) -> None:
        if self._refresh.isActive():  # a tick changed since the last plan: Apply applies what is ticked now
            self.update_diff()
        if self.plan is not None and self.plan.edits:
            super().accept()

    def update_diff(self) -> None:
        self._refresh.stop()
        try:
            self.plan = plan(self._document, self._profile, analyse, chosen=self.ticked())
        except EditError as error:
            self.plan = None
            self.diff.setPlainText("")
            self._show_skipped([])
            self.summary.setText(f"The ticked fixes cannot be applied together: {error}")
            self._set_applicable(False)
            return
        assert self.plan.result is not None
        name = os.path.basename(self._document.path)
        self.diff.show_diff(self._document.text, self.plan.result.text, f"a/{name}", f"b/{name}")
        self._show_skipped(self.plan.skipped)
        self.summary.setText(self._summary(self.plan))
        self._set_applicable(bool(self.plan.edits))

    def _show_skipped(self, skipped: list[tuple[Finding, Fix, str]]) -> None:
        self.skipped.clear()
        for finding, fix, reason in skipped:
            label = f"{fix.title} — {finding.resource or 'template'}\n{reason}"
            item = QListWidgetItem(severity_icon(finding.severity), label)
            item.setToolTip(f"{finding.rule}: {finding.message}")
            self.skipped.addItem(item)
        self.skipped_box.setVisible(bool(skipped))

    def _summary(self, fix_plan: FixPlan) -> str:
        applied = len(fix_plan.applied)
        text = f"{applied} fix{'es' if applied != 1 else ''} apply"
        if fix_plan.passes > 1:
            text += f" (in {fix_plan.passes} passes: fixes that overlap an earlier one were planned again after it)"
        if fix_plan.skipped:
            text += f"; {len(fix_plan.skipped)} not applied (listed under the diff)"
        return text + f"; {self.diff.changed_lines} lines change."

    def _set_applicable(self, applicable: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setEnabled(applicable)


def _candidate_item(finding: Finding, fix: Fix, *, ticked: bool) -> QListWidgetItem:
    unsafe = fix.safety == "unsafe"
    label = f"{fix.title} — {finding.resource or 'template'}"
    if unsafe:
        label += f"\n⚠ UNSAFE: {fix.note}"
    item = QListWidgetItem(severity_icon(finding.severity), label)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
    item.setToolTip(f"{finding.rule}: {finding.message}")
    if unsafe:
        item.setForeground(QColor("#b71c1c"))
    item.setData(FIX_ROLE, (finding, fix))
    return item
