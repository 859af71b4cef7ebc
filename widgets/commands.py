"""Undo: one QUndoCommand wraps one batch of core edits (orange-canvas-core's pattern)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from app.edits import Edit


class EditCommand(QUndoCommand):
    """``redo`` applies the batch, ``undo`` applies the inverse the document returned."""

    def __init__(self, title: str, edits: Sequence[Edit], apply: Callable[[Sequence[Edit]], tuple[Edit, ...]]) -> None:
        super().__init__(title)
        self._edits = tuple(edits)
        self._apply = apply
        self._inverse: tuple[Edit, ...] = ()

    def redo(self) -> None:
        self._inverse = self._apply(self._edits)

    def undo(self) -> None:
        self._apply(self._inverse)
