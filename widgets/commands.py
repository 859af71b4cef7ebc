"""Undo: one QUndoCommand wraps one batch of core edits (orange-canvas-core's pattern)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from app.core.edits import Edit

Apply = Callable[[Sequence[Edit]], tuple[Edit, ...]]


class EditCommand(QUndoCommand):
    """A batch that is applied to the document, or not.

    The session changes the document first (:meth:`set_applied`) and moves the undo stack
    only when that worked, so a batch the document refuses leaves the stack as it was.
    ``redo`` and ``undo``, which the stack calls as it moves, then find nothing left to do;
    called on their own (a stack driven directly) they change the document themselves."""

    def __init__(self, title: str, edits: Sequence[Edit], inverse: Sequence[Edit], apply: Apply) -> None:
        super().__init__(title)
        self._edits = tuple(edits)
        self._inverse = tuple(inverse)
        self._apply = apply
        self._applied = True  # the session applied the batch before pushing this command

    @property
    def applied(self) -> bool:
        return self._applied

    def set_applied(self, applied: bool) -> tuple[Edit, ...]:
        """Apply or revert the batch; return the edits that changed the document (none if
        it already was so).  Raises EditError, and changes nothing, if the document refuses."""
        if applied == self._applied:
            return ()
        done = self._edits if applied else self._inverse
        # Keep each side as the inverse of the other as the document returned it: the
        # document recognises its own inverse and restores the exact earlier text.
        if applied:
            self._inverse = self._apply(done)
        else:
            self._edits = self._apply(done)
        self._applied = applied
        return done

    def redo(self) -> None:
        self.set_applied(True)

    def undo(self) -> None:
        self.set_applied(False)
