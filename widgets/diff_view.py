"""A read-only, coloured unified diff between two texts (the Fix All preview, the crash
recovery offer)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontDatabase, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.core.diffs import unified_diff

NO_CHANGES = "(no changes)"


class _DiffHighlighter(QSyntaxHighlighter):
    COLOURS = {"+": ("#1b5e20", "#e8f5e9"), "-": ("#b71c1c", "#ffebee"), "@": ("#0d47a1", "#e3f2fd")}

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        if text[:1] in self.COLOURS and not text.startswith(("+++", "---")):
            style = QTextCharFormat()
            foreground, background = self.COLOURS[text[0]]
            style.setForeground(QColor(foreground))
            style.setBackground(QColor(background))
            self.setFormat(0, len(text), style)


class DiffView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._highlighter = _DiffHighlighter(self.document())
        self.changed_lines = 0

    def show_diff(self, before: str, after: str, old_label: str, new_label: str) -> None:
        text = unified_diff(before, after, old_label, new_label)
        self.changed_lines = sum(1 for line in text.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---"))
        self.setPlainText(text or NO_CHANGES)
