"""The status bar: messages on the left; the finding counts and cfn-lint's state on the right."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget


class EditorStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts_label = QLabel()
        self.lint_progress = QProgressBar()
        self.lint_progress.setRange(0, 0)  # busy: cfn-lint says nothing of its progress
        self.lint_progress.setMaximumSize(QSize(120, 14))
        self.lint_progress.setTextVisible(False)
        self.lint_progress.hide()
        self.lint_label = QLabel("cfn-lint: idle")
        self.addPermanentWidget(self.counts_label)
        self.addPermanentWidget(self.lint_progress)
        self.addPermanentWidget(self.lint_label)

    def show_counts(self, findings: int, fixable: int) -> None:
        self.counts_label.setText(f"{findings} findings, {fixable} safely fixable  ")

    def lint_running(self) -> None:
        self.lint_label.setText("cfn-lint: running…")
        self.lint_progress.show()

    def lint_done(self, findings: int) -> None:
        self.lint_progress.hide()
        self.lint_label.setText(f"cfn-lint: {findings} findings")
