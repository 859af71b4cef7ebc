"""Fix all: the fixes on offer as a checklist (unsafe ones unticked and labelled) beside
the unified diff of the template they would produce."""

from __future__ import annotations

import difflib

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget,
)

from app.document import Document
from app.errors import EditError
from app.findings import Finding, Fix
from widgets.style import severity_icon

FIX_ROLE = Qt.ItemDataRole.UserRole + 30


class _DiffHighlighter(QSyntaxHighlighter):
    def highlightBlock(self, text: str) -> None:  # noqa: N802
        colours = {"+": ("#1b5e20", "#e8f5e9"), "-": ("#b71c1c", "#ffebee"), "@": ("#0d47a1", "#e3f2fd")}
        if text[:1] in colours and not text.startswith(("+++", "---")):
            style = QTextCharFormat()
            foreground, background = colours[text[0]]
            style.setForeground(QColor(foreground))
            style.setBackground(QColor(background))
            self.setFormat(0, len(text), style)


def plan(document: Document, fixes: list[tuple[Finding, Fix]]) -> tuple[list[tuple[Finding, Fix]], Document]:
    """The fixes that apply together, in order, on a copy of the document."""
    copy = Document.from_text(document.text, document.path)
    applied = []
    for finding, fix in fixes:
        try:
            copy.apply(fix.edits)
        except EditError:
            continue
        applied.append((finding, fix))
    return applied, copy


class FixPreview(QDialog):
    def __init__(self, document: Document, candidates: list[tuple[Finding, Fix]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fix all — preview")
        self.resize(1150, 720)
        self._document = document
        self._candidates = candidates
        self.chosen: list[tuple[Finding, Fix]] = []

        self.checklist = QListWidget()
        self.checklist.setWordWrap(True)
        self.checklist.setAlternatingRowColors(True)
        for finding, fix in candidates:
            unsafe = fix.safety == "unsafe"
            label = f"{fix.title} — {finding.resource or 'template'}"
            if unsafe:
                label += f"\n⚠ UNSAFE: {fix.note}"
            item = QListWidgetItem(severity_icon(finding.severity), label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if unsafe else Qt.CheckState.Checked)
            item.setToolTip(f"{finding.rule}: {finding.message}")
            if unsafe:
                item.setForeground(QColor("#b71c1c"))
            item.setData(FIX_ROLE, (finding, fix))
            self.checklist.addItem(item)
        self.checklist.itemChanged.connect(lambda _: self._refresh.start())

        self.diff = QPlainTextEdit()
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font: QFont = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.diff.setFont(font)
        self._highlighter = _DiffHighlighter(self.diff.document())

        self.summary = QLabel()
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Fixes to apply (unsafe ones replace a resource or lose data, and start unticked):"))
        left_layout.addWidget(self.checklist)
        splitter.addWidget(left)
        splitter.addWidget(self.diff)
        splitter.setSizes([430, 720])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(150)
        self._refresh.timeout.connect(self.update_diff)
        self.update_diff()

    def ticked(self) -> list[tuple[Finding, Fix]]:
        return [self.checklist.item(i).data(FIX_ROLE) for i in range(self.checklist.count())
                if self.checklist.item(i).checkState() == Qt.CheckState.Checked]

    def update_diff(self) -> None:
        self.chosen, copy = plan(self._document, self.ticked())
        before = self._document.text.splitlines(keepends=True)
        after = copy.text.splitlines(keepends=True)
        name = self._document.path.rsplit("/", 1)[-1]
        text = "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))
        self.diff.setPlainText(text or "(no changes)")
        skipped = len(self.ticked()) - len(self.chosen)
        self.summary.setText(f"{len(self.chosen)} fix{'es' if len(self.chosen) != 1 else ''} selected"
                             + (f"; {skipped} overlap an earlier one and wait for the next Fix all" if skipped else "")
                             + f"; {sum(1 for line in text.splitlines() if line[:1] in '+-' and not line[:3] in ('+++', '---'))} lines change.")
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setEnabled(bool(self.chosen))
