"""One open template: the document, its undo stack, its findings, and the background
cfn-lint run.  Views listen to the signals; every change goes through :meth:`apply`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app import profiles
from app.analysis import analyse
from app.atomic import write_atomic
from app.document import Document
from app.edits import Edit
from app.findings import Finding
from app.loading import Format
from rules.registry import RULE_IDS
from widgets.commands import EditCommand
from widgets.lint_runner import LintRunner


class Session(QObject):
    opened = Signal()  # a new document replaced the old one
    edited = Signal(object)  # the batch of edits just applied (to the data)
    findings_changed = Signal()
    lint_started = Signal()
    lint_idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
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
    def open(self, path: str) -> None:
        """Open ``path``; raises TemplateError (the current document stays) if it cannot."""
        self.set_document(Document.open(path))

    def set_document(self, document: Document) -> None:
        self.document = document
        self.undo_stack.clear()
        self.lint_findings = []
        self.findings, self.by_resource = [], {}
        self.opened.emit()
        self.reanalyse(lint_now=True)

    def save(self, path: str | None = None) -> None:
        assert self.document is not None
        self.document.save(path, self.document.format if path else None)
        self.undo_stack.setClean()

    def export(self, path: str, format: Format) -> None:
        """Write a copy in ``format``; the document stays on its own file."""
        assert self.document is not None
        write_atomic(path, self.document.render(format).encode("utf-8"))

    # -- changes -----------------------------------------------------------------------
    def apply(self, edits: Sequence[Edit], title: str) -> None:
        """Apply a batch as one undo step (raises EditError, and changes nothing, if the
        batch does not fit the document)."""
        assert self.document is not None
        command = EditCommand(title, edits, self._apply_now)
        self.undo_stack.push(command)

    def apply_many(self, batches: Sequence[tuple[str, Sequence[Edit]]], title: str) -> None:
        """Several batches (the fixes of Fix all) as one undo step."""
        self.undo_stack.beginMacro(title)
        try:
            for batch_title, edits in batches:
                self.undo_stack.push(EditCommand(batch_title, edits, self._apply_now))
        finally:
            self.undo_stack.endMacro()

    def _apply_now(self, edits: Sequence[Edit]) -> tuple[Edit, ...]:
        assert self.document is not None
        inverse = self.document.apply(edits)
        self.edited.emit(tuple(edits))
        self.reanalyse()
        return inverse

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
        self.findings = sorted(self.own_findings + self.lint_findings, key=lambda f: (-f.severity, f.line, f.rule))
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            if finding.resource:
                grouped[finding.resource].append(finding)
        self.by_resource = dict(grouped)
        self.findings_changed.emit()

    def close(self) -> None:
        self.lint.stop()
