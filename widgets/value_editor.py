"""Editing one value of the property table.  A cell shows a value cut to one line (``…``,
``⏎``); its editor starts from the full value, a string with line breaks gets a multi-line
editor (Ctrl+Enter or leaving it commits, Escape cancels), and exactly what the user typed
leaves as the new value.  Nothing is written into the table: the document is changed
through an edit, and the table is filled again from it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.core.yaml_source import resolve_plain

POINTER = Qt.ItemDataRole.UserRole + 20  # on column 0 of every row
VALUE = Qt.ItemDataRole.UserRole + 21  # on column 0: the row's value, whole
MULTI_LINE_MIN_LINES = 4
MULTI_LINE_MAX_LINES = 14
_STARTED_FROM = "started_from"  # editor property: its text as it was given, to tell an edit from a look
Index = QModelIndex | QPersistentModelIndex


def parse_scalar(text: str, old: Any) -> Any:
    """What the user typed, as the type the old value had where that makes sense (a string
    stays the string typed: ``012`` is not re-read as a number)."""
    if isinstance(old, str) or old is None and not text.strip():
        return text
    value = resolve_plain(text.strip()) if text.strip() else ""
    if isinstance(old, bool):
        return value if isinstance(value, bool) else text
    if isinstance(old, (int, float)):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else text
    return value


def editable_text(value: Any) -> str:
    """A scalar as the user edits it: a string whole, other scalars as YAML writes them."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class ValueDelegate(QStyledItemDelegate):
    value_edited = Signal(str, object)  # pointer, the value typed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open: tuple[QWidget, QPersistentModelIndex] | None = None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = self._new_editor(parent, _value(index))
        self._open = (editor, QPersistentModelIndex(index))
        return editor

    def _new_editor(self, parent: QWidget, value: Any) -> QWidget:
        if isinstance(value, str) and "\n" in value:
            editor = QPlainTextEdit(parent)
            # Mostly code (an inline ZipFile, a user-data script): line it up.
            editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            editor.setToolTip("Ctrl+Enter to apply, Escape to cancel")
            return editor
        line = QLineEdit(parent)
        line.setFrame(False)
        return line

    def destroyEditor(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if self._open is not None and self._open[0] is editor:
            self._open = None
        super().destroyEditor(editor, index)

    def finish(self) -> tuple[str, Any] | None:
        """Close the editor that is open, if any, and return the edit it holds, as
        ``(pointer, value)``, for the caller to apply at once (before a save, say)."""
        if self._open is None:
            return None
        editor, index = self._open
        typed = self._typed(editor, index)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)  # closed without a commit
        return typed

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        text = editable_text(_value(index))
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
        elif isinstance(editor, QLineEdit):
            editor.setText(text)
        # The editor's own reading of the text (a multi-line editor turns CR LF into LF):
        # leaving it unchanged must not count as an edit.
        editor.setProperty(_STARTED_FROM, _text_of(editor))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        typed = self._typed(editor, index)
        if typed is not None:
            self.value_edited.emit(*typed)

    def _typed(self, editor: QWidget, index: Index) -> tuple[str, Any] | None:
        """``(pointer, value)`` if the editor holds a change, else None."""
        text = _text_of(editor)
        if text == editor.property(_STARTED_FROM):
            return None
        old = _value(index)
        value = parse_scalar(text, old)
        if value == old and type(value) is type(old):
            return None
        return _key_cell(index).data(POINTER), value

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        if not isinstance(editor, QPlainTextEdit):
            super().updateEditorGeometry(editor, option, index)
            return
        # A row is one line high: the multi-line editor grows over the rows below it,
        # staying inside the view.
        lines = min(max(editor.document().blockCount() + 1, MULTI_LINE_MIN_LINES), MULTI_LINE_MAX_LINES)
        height = editor.fontMetrics().lineSpacing() * lines + 2 * editor.frameWidth() + 8
        viewport = editor.parentWidget()
        assert viewport is not None, "an editor lives in the view's viewport"
        area = viewport.rect()
        rect = QRect(option.rect)
        rect.setHeight(min(max(rect.height(), height), area.height()))
        if rect.bottom() > area.bottom():
            rect.moveBottom(area.bottom())
        editor.setGeometry(rect)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if isinstance(editor, QPlainTextEdit) and _is_commit_key(event):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)


def _is_commit_key(event: QEvent) -> bool:
    return (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))


def _value(index: Index) -> Any:
    return _key_cell(index).data(VALUE)


def _key_cell(index: Index) -> Index:
    return index.sibling(index.row(), 0)


def _text_of(editor: QWidget) -> str:
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    return editor.text() if isinstance(editor, QLineEdit) else ""
