"""The template text as it would be saved: line numbers, colouring, finding markers."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

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

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._view.gutter_width(), 0)

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001
        self._view.paint_gutter(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802, ANN001
        block = self._view.cursorForPosition(event.position().toPoint()).block()
        findings = self._view.markers.get(block.blockNumber() + 1, [])
        if findings:
            QToolTip.showText(event.globalPosition().toPoint(), "\n".join(f"{f.severity.label.upper()} {f.rule}: {f.message}" for f in findings), self)
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

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        rect = self.contentsRect()
        self._gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def paint_gutter(self, event) -> None:  # noqa: ANN001
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
