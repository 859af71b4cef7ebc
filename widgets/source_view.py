"""The template text as it would be saved: line numbers, colouring, finding markers.  The
text is laid out only while the view is visible: a large template takes long to lay out,
and the Source tab is looked at now and then."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from app.core.document import Document
from app.core.findings import Finding
from widgets.style import SEVERITY_COLOURS


def _format(colour: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    result = QTextCharFormat()
    result.setForeground(QColor(colour))
    if bold:
        result.setFontWeight(QFont.Weight.Bold)
    result.setFontItalic(italic)
    return result


class TemplateHighlighter(QSyntaxHighlighter):
    RULES = {
        "yaml": [
            (re.compile(r"^\s*(?:- )?([^\s#'\"][^:#]*?):(?=\s|$)"), _format("#0d47a1", bold=True), 1),
            (re.compile(r"!\w+(?:::\w+)?"), _format("#6a1b9a", bold=True), 0),
            (re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\""), _format("#2e7d32"), 0),
            (re.compile(r"(?<=[:\-\[,] )(?:true|false|null|-?\d+(?:\.\d+)?)\b"), _format("#c62828"), 0),
            (re.compile(r"(?:^|\s)#.*$"), _format("#757575", italic=True), 0),
        ],
        "json": [  # later rules win: literals, then strings over them, then keys
            (re.compile(r"\b(?:true|false|null|-?\d+(?:\.\d+)?)\b"), _format("#c62828"), 0),
            (re.compile(r"\"(?:[^\"\\]|\\.)*\""), _format("#2e7d32"), 0),
            (re.compile(r"(\"(?:[^\"\\]|\\.)*\")\s*:"), _format("#0d47a1", bold=True), 1),
        ],
    }

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.language = "yaml"

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        for pattern, style, group in self.RULES[self.language]:
            for match in pattern.finditer(text):
                start, end = match.span(group)
                self.setFormat(start, end - start, style)


class _Gutter(QWidget):
    def __init__(self, view: SourceView) -> None:
        super().__init__(view)
        self._view = view
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._view.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self._view.paint_gutter(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        block = self._view.cursorForPosition(event.position().toPoint()).block()
        findings = self._view.markers.get(block.blockNumber() + 1, [])
        if findings:
            text = "\n".join(f"{f.severity.label.upper()} {f.rule}: {f.message}" for f in findings)
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()


class SourceView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 10))
        self.setFont(font)
        self.markers: dict[int, list[Finding]] = {}
        self._highlighter = TemplateHighlighter(self.document())
        self._gutter = _Gutter(self)
        self.blockCountChanged.connect(lambda _: self.setViewportMargins(self.gutter_width(), 0, 0, 0))
        self.updateRequest.connect(self._update_gutter)
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)
        self._document: Document | None = None
        self._pointer: str | None = None  # the node whose line the cursor is on
        self._stale = False  # the document changed since its text was laid out

    def show_document(self, document: Document) -> None:
        """Show ``document``'s text (again, after an edit): now if the view is visible,
        else once it is shown."""
        if document is not self._document:
            self._document, self._pointer = document, None
        self._stale = True
        if self.isVisible():
            self._lay_out()

    def show_pointer(self, pointer: str) -> None:
        """Put the cursor on the line of ``pointer`` (once the text is laid out)."""
        self._pointer = pointer
        if self._document is not None and not self._stale:
            self.show_line(self._document.locate(pointer).line)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self._lay_out()

    def _lay_out(self) -> None:
        assert self._document is not None
        self.set_source(self._document.text, self._document.format)
        self._stale = False
        if self._pointer:
            self.show_line(self._document.locate(self._pointer).line)

    def set_source(self, text: str, language: str) -> None:
        if text == self.toPlainText() and language == self._highlighter.language:
            return
        scroll = self.verticalScrollBar().value()
        self._highlighter.language = language
        self.setPlainText(text)
        self.verticalScrollBar().setValue(scroll)

    def set_findings(self, findings: list[Finding]) -> None:
        self.markers = {}
        for finding in findings:
            if finding.line:
                self.markers.setdefault(finding.line, []).append(finding)
        self._gutter.update()

    def show_line(self, line: int) -> None:
        block = self.document().findBlockByNumber(max(line - 1, 0))
        cursor = QTextCursor(block)
        cursor.select(QTextCursor.SelectionType.LineUnderCursor)
        self.setTextCursor(cursor)
        self.centerCursor()

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 22 + self.fontMetrics().horizontalAdvance("9") * digits

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        rect = self.contentsRect()
        self._gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        painter.fillRect(event.rect(), QColor("#f3f4f6"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width()
        while block.isValid() and top <= event.rect().bottom():
            number = block.blockNumber() + 1
            if block.isVisible():
                painter.setPen(QColor("#9e9e9e"))
                painter.drawText(0, top, width - 6, height, Qt.AlignmentFlag.AlignRight, str(number))
                findings = self.markers.get(number)
                if findings:
                    worst = max(f.severity for f in findings)
                    painter.setBrush(QColor(SEVERITY_COLOURS[worst]))
                    painter.setPen(Qt.PenStyle.NoPen)
                    size = min(10, height - 4)
                    painter.drawEllipse(4, top + (height - size) // 2, size, size)
            block = block.next()
            top += round(self.blockBoundingRect(block).height()) if block.isValid() else height
        painter.end()
