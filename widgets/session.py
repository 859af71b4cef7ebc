"""One open template: the document, its undo stack, its findings, and the background
cfn-lint run.  Views listen to the signals; every change goes through :meth:`apply`,
:meth:`undo` and :meth:`redo`, which change the document first and move the undo stack
only when the document took the change."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.analysis import analyse, merge_same_problems
from app.core.atomic import write_atomic
from app.core.document import Document
from app.core.edits import Edit
from app.core.errors import TemplateError
from app.core.findings import Finding, worst_first
from app.core.journal import file_digest
from app.core.loading import Format
from rules import profiles
from rules.registry import RULE_IDS
from widgets.commands import EditCommand
from widgets.lint_runner import LintRunner


def untitled_name(path: str) -> str:
    """How the untitled copy of the bundled example at ``path`` is called."""
    return f"Untitled (example {os.path.basename(path)})"


class Session(QObject):
    opened = Signal()  # a new document replaced the old one
    edited = Signal(object)  # the batch of edits just applied (to the data)
    warned = Signal(object)  # list[str]: what the batch just applied lost (comments, layout)
    findings_changed = Signal()
    lint_started = Signal()
    lint_idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        #: True while the document has no file of its own (the bundled example): Save must ask where
        self.untitled = False
        #: the digest of the document's file as it was read or last saved; None if there is none
        self.base_digest: str | None = None
        self.profile = profiles.load("default")
        self.undo_stack = QUndoStack(self)
        self.own_findings: list[Finding] = []
        self.lint_findings: list[Finding] = []
        self.findings: list[Finding] = []  # both, worst first; kept current by _publish
        self.by_resource: dict[str, list[Finding]] = {}
        self.lint = LintRunner(self)
        self.lint.started.connect(self.lint_started)
        self.lint.finished.connect(self._lint_finished)
        self.lint.idle.connect(self.lint_idle)

    # -- documents ---------------------------------------------------------------------
    @property
    def file_path(self) -> str | None:
        """The file the document saves to; None when there is no document or it is untitled."""
        return None if self.document is None or self.untitled else self.document.path

    @property
    def display_name(self) -> str:
        """The document's name as the window shows it; empty when there is no document."""
        if self.document is None:
            return ""
        return untitled_name(self.document.path) if self.untitled else os.path.basename(self.document.path)

    def open(self, path: str, *, untitled: bool = False) -> None:
        """Open ``path`` (``untitled``: as a copy that is never written back); raises
        TemplateError (the current document stays) if it cannot."""
        self.set_document(Document.open(path), untitled=untitled, base_digest=file_digest(path))

    def set_document(self, document: Document, *, untitled: bool = False, base_digest: str | None = None) -> None:
        self.document = document
        self.untitled = untitled
        self.base_digest = base_digest
        self.undo_stack.clear()
        self.lint_findings = []
        self.findings, self.by_resource = [], {}
        self.opened.emit()
        self.reanalyse(lint_now=True)

    def mark_modified(self) -> None:
        """Treat the document as unsaved (its text is not what its file holds)."""
        self.undo_stack.resetClean()

    def save(self, *, replace_read_only: bool = False) -> None:
        """Write the document to its own file; raises TemplateError if it cannot (or the
        document is untitled: only :meth:`save_as` gives it a file)."""
        document = self._current()
        if self.untitled:
            raise TemplateError(document.path, 0, 0, "the document has no file of its own yet; use Save As")
        document.save(replace_read_only=replace_read_only)
        self._saved()

    def save_as(self, path: str, format: Format, *, replace_read_only: bool = False) -> None:
        """Write to ``path`` in ``format`` and carry on as that file.  A change of format
        re-opens the file written, so that positions and style are those of its text (the
        undo history starts again there)."""
        document = self._current()
        document.save(path, format, replace_read_only=replace_read_only)
        if format != document.format:
            self.open(path)
            return
        self.untitled = False
        self._saved()

    def _saved(self) -> None:
        self.base_digest = file_digest(self._current().path)
        self.undo_stack.setClean()

    def export(self, path: str, format: Format, *, replace_read_only: bool = False) -> None:
        """Write a copy in ``format``; the document stays on its own file."""
        write_atomic(path, self._current().render(format).encode("utf-8"), replace_read_only=replace_read_only)

    def _current(self) -> Document:
        assert self.document is not None, "no document is open"
        return self.document

    # -- changes -----------------------------------------------------------------------
    def apply(self, edits: Sequence[Edit], title: str) -> None:
        """Apply a batch as one undo step; raises EditError, leaving the document and the
        undo stack as they were, if the batch does not fit the document."""
        inverse = self._current().apply(edits)
        self.undo_stack.push(EditCommand(title, edits, inverse, self._apply_batch))
        self._changed(tuple(edits))

    def undo(self) -> None:
        """Undo the last step; raises EditError (nothing changes) if the document refuses."""
        self._step(self.undo_stack.index() - 1, applied=False)

    def redo(self) -> None:
        """Redo the next step; raises EditError (nothing changes) if the document refuses."""
        self._step(self.undo_stack.index(), applied=True)

    def _step(self, index: int, *, applied: bool) -> None:
        if not 0 <= index < self.undo_stack.count():
            return
        command = self.undo_stack.command(index)
        assert isinstance(command, EditCommand)
        command.set_applied(applied)  # the stack moves only once the document has changed
        if applied:
            self.undo_stack.redo()
        else:
            self.undo_stack.undo()

    def _apply_batch(self, edits: Sequence[Edit]) -> tuple[Edit, ...]:
        inverse = self._current().apply(edits)
        self._changed(tuple(edits))
        return inverse

    def _changed(self, edits: tuple[Edit, ...]) -> None:
        self.edited.emit(edits)
        warnings = self._current().take_warnings()
        if warnings:
            self.warned.emit(warnings)
        self.reanalyse()

    # -- analysis ----------------------------------------------------------------------
    def set_profile(self, name_or_path: str) -> None:
        """Raises TemplateError for a profile file that cannot be used."""
        self.profile = profiles.load(name_or_path, RULE_IDS)
        self.reanalyse()

    def reanalyse(self, *, lint_now: bool = False) -> None:
        if self.document is None:
            return
        self.own_findings = analyse(self.document, self.profile)
        self._publish()
        self.lint.request(self.document.revision, self.document.text, immediately=lint_now)

    def _lint_finished(self, revision: int, findings: list[Finding]) -> None:
        if self.document is not None and revision == self.document.revision:
            self.lint_findings = findings
            self._publish()

    def _publish(self) -> None:
        assert self.document is not None
        self.findings = worst_first(merge_same_problems(self.document.data, self.own_findings, self.lint_findings))
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            if finding.resource:
                grouped[finding.resource].append(finding)
        self.by_resource = dict(grouped)
        self.findings_changed.emit()

    def close(self) -> None:
        self.lint.stop()
