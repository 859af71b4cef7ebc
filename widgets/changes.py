"""What the Changes panel shows, without a widget: the impact (:mod:`app.impact`) of the
working copy against a baseline — the file as it is on disk, or as committed at git HEAD —
kept current after edits (debounced), saves and changes on disk; and the impact against the
disk that a save asks about first.

Each baseline is parsed once per content (the disk copy is re-read, but re-parsed only when
its bytes change), and an impact is computed once per document revision, baseline and
profile: a refresh that finds nothing new costs one read of the file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.document import Document
from app.core.errors import TemplateError
from app.core.journal import digest
from app.core.loading import decode, read_file
from app.impact import Change, Impact, impact
from rules.profiles import Profile
from widgets.git_head import GitHead, HeadRead
from widgets.session import Session

DEBOUNCE_MS = 300
WORKING_COPY = "the working copy"


class Baseline(Enum):
    DISK = "disk"
    HEAD = "head"


@dataclass(frozen=True)
class Comparison:
    """What the panel shows: the impact against the baseline, or why there is none."""

    baseline: Baseline
    impact: Impact | None = None
    note: str = ""  #: a quiet line: why there is no impact (a problem with the baseline, or it is being read)

    @property
    def losses(self) -> tuple[Change, ...]:
        return tuple(change for change in self.impact.changes if change.loses_data) if self.impact else ()


@dataclass(frozen=True)
class _Copy:
    """A baseline as read: what it is in words, and its document or why there is none."""

    label: str
    document: Document | None
    problem: str = ""


class ChangeTracker(QObject):
    """Follows the session's document; :attr:`updated` tells each new :class:`Comparison`.
    The controller calls :meth:`files_changed` when the file was opened, saved or changed
    on disk."""

    updated = Signal(object)  # Comparison

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.baseline = Baseline.DISK
        self.comparison = Comparison(self.baseline)
        self._document: Document | None = None  # the document the comparison is about
        self._disk: tuple[str, str, _Copy] | None = None  # path, digest of its bytes, what they hold
        self._head: tuple[str, _Copy] | None = None  # path, what HEAD holds for it
        self._last: tuple[_Copy, Document, int, Profile, Comparison] | None = None
        self.git = GitHead(self)
        self.git.finished.connect(self._head_read)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        # After every edit, undo, redo, open and change of profile; a lint result changes
        # nothing here, and the refresh it asks for finds the comparison it has.
        session.findings_changed.connect(self.refresh_soon)
        self._stopped = False

    # -- what the controller and the panel ask ---------------------------------------------
    def set_baseline(self, baseline: Baseline) -> None:
        if baseline is self.baseline:
            return
        self.baseline = baseline
        if baseline is Baseline.HEAD:
            self._read_head()
        self.refresh()

    def files_changed(self) -> None:
        """The file was opened, saved, or changed by another program: compare again, with
        HEAD read again (a commit or a checkout may have moved it)."""
        if self._session.document is not self._document:
            # Rows about another document would navigate nowhere: gone at once, filled in soon.
            self._document = self._session.document
            self._head = None
            self._show(Comparison(self.baseline))
        if self.baseline is Baseline.HEAD:
            self._read_head()
        self.refresh_soon()

    def refresh_soon(self) -> None:
        if not self._stopped:
            self._debounce.start()

    def stop(self) -> None:
        """Nothing more to compare (the editor closes): no refresh, no git running — also
        for what the session still emits while it winds down."""
        self._stopped = True
        self._session.findings_changed.disconnect(self.refresh_soon)
        self._debounce.stop()
        self.git.cancel()

    def refresh(self) -> None:
        if self._stopped:
            return
        self._debounce.stop()
        document = self._document = self._session.document
        if document is None:
            self._show(Comparison(self.baseline))
        elif self.baseline is Baseline.DISK:
            self._show(self._compare(Baseline.DISK, self._disk_copy(document.path), document))
        elif self._head is None or self._head[0] != document.path:
            self._show(Comparison(Baseline.HEAD, note="Reading HEAD…"))
        else:
            self._show(self._compare(Baseline.HEAD, self._head[1], document))

    def against_disk(self) -> Comparison:
        """The working copy against the file as it is on disk now (what a save replaces)."""
        document = self._session.document
        if document is None:
            return Comparison(Baseline.DISK)
        return self._compare(Baseline.DISK, self._disk_copy(document.path), document)

    # -- comparing ---------------------------------------------------------------------------
    def _compare(self, baseline: Baseline, copy: _Copy, document: Document) -> Comparison:
        if copy.document is None:
            return Comparison(baseline, note=copy.problem)
        profile = self._session.profile
        last = self._last
        if last is not None and last[0] is copy and last[1] is document and last[2] == document.revision \
                and last[3] is profile:
            return last[4]
        try:
            found = Comparison(baseline, impact(copy.document, document, profile, old_label=copy.label,
                                                new_label=WORKING_COPY))
        except Exception as error:  # noqa: BLE001 - a fault of the engine must not stop edits or saves
            found = Comparison(baseline, note=f"The impact cannot be computed: {type(error).__name__} {error}".strip())
        self._last = (copy, document, document.revision, profile, found)
        return found

    def _show(self, comparison: Comparison) -> None:
        if comparison != self.comparison:
            self.comparison = comparison
            self.updated.emit(comparison)

    # -- the file on disk and at HEAD --------------------------------------------------------
    def _disk_copy(self, path: str) -> _Copy:
        name = os.path.basename(path)
        try:
            raw = read_file(path)
        except TemplateError:
            return _Copy(f"{name} on disk", None, f"{name} is not on disk: there is nothing to compare with")
        seen = digest(raw)
        if self._disk is not None and self._disk[:2] == (path, seen):
            return self._disk[2]
        copy = _parse(raw, path, f"{name} on disk")
        self._disk = (path, seen, copy)
        return copy

    def _read_head(self) -> None:
        document = self._session.document
        if document is not None:
            self.git.read(document.path)

    def _head_read(self, read: HeadRead) -> None:
        document = self._session.document
        if document is None or read.path != document.path:
            return
        copy = _parse(read.raw, read.path, read.spec) if read.raw is not None else _Copy(read.spec, None, read.problem)
        self._head = (read.path, copy)
        if self.baseline is Baseline.HEAD:
            self.refresh()


def _parse(raw: bytes, path: str, label: str) -> _Copy:
    try:
        text, _bom = decode(raw, path)
        return _Copy(label, Document.from_text(text, path))
    except TemplateError as error:
        where = f" (line {error.line})" if error.line else ""
        return _Copy(label, None, f"{label} cannot be read: {error.message}{where}")
