"""The open template's life as a file, without a widget: open (the bundled example as an
untitled copy), save, save as, export, reload, changes made by other programs, read-only
files, saves that lose data on a deployed stack, and crash recovery.

The controller owns the :class:`Session` (the document, its undo stack and its findings)
and talks to the user only through a :class:`Prompter`, so that tests drive it with set
answers and the window answers with dialogs."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from enum import Enum

from PySide6.QtCore import QDir, QObject, Signal

from app.core.atomic import is_read_only
from app.core.document import Document
from app.core.edits import Edit
from app.core.errors import EditError, TemplateError
from app.core.journal import Entry, Journal, digest, edits_between, file_digest
from app.core.loading import Format, format_for_name, read_file
from resources import EXAMPLE
from widgets.changes import ChangeTracker
from widgets.crash_recovery import CrashRecovery
from widgets.file_watch import FileWatch
from widgets.prompter import Prompter, UnsavedChoice
from widgets.recent_files import RecentFiles
from widgets.session import Session

FORMATS: tuple[Format, ...] = ("yaml", "json")


class DiskCheck(Enum):
    """What a look at the file found, once the controller has acted on it."""

    UNCHANGED = "unchanged"  # the text last read, saved or asked about (our own save, a touch)
    CHANGED = "changed"  # another program changed the text: the user was asked whether to reload
    GONE = "gone"  # the file cannot be read


class DocumentController(QObject):
    file_changed = Signal()  # the document, or the file it is saved to, is another one
    commit_pending = Signal()  # views: apply the edit still being typed, now (a save, a close or an open follows)
    disk_checked = Signal(object)  # DiskCheck

    def __init__(self, prompter: Prompter, recent: RecentFiles, journal: Journal, *, offers_recovery: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.prompter = prompter
        self.recent = recent
        self.session = Session(self)
        self.recovery = CrashRecovery(journal, self.session, prompter, self._restore, offers=offers_recovery)
        self.watch = FileWatch(self)
        self.changes = ChangeTracker(self.session, self)
        self._disk_digest: str | None = None  # the file's content last seen (read, saved, or asked about)
        self._asking_about_disk = False
        self._closed = False
        self.watch.changed.connect(self.check_disk)
        self.file_changed.connect(self.changes.files_changed)
        self.disk_checked.connect(self.changes.files_changed)
        self.session.opened.connect(self._document_opened)
        # Both fire once the stack agrees with the document (after every edit, undo, redo, save
        # and open).  A bound method, not a lambda: Qt drops the connections when the controller
        # goes, before the stack's destructor clears it.
        self.session.undo_stack.indexChanged.connect(self._follow_unsaved)
        self.session.undo_stack.cleanChanged.connect(self._follow_unsaved)

    def folder(self) -> str:
        """Where file dialogs start: the document's folder, else the home folder."""
        path = self.session.file_path
        return os.path.dirname(path) if path else QDir.homePath()

    # -- opening -----------------------------------------------------------------------------
    def open(self, path: str, *, confirmed: bool = False) -> bool:
        """Open a template (``confirmed``: the user agreed to lose unsaved changes); a file
        that cannot be read is reported and changes nothing."""
        return (confirmed or self.may_discard()) and self._open(path)

    def choose_and_open(self) -> None:
        if not self.may_discard():
            return
        path = self.prompter.ask_open_path(self.folder())
        if path:
            self.open(path, confirmed=True)

    def open_example(self) -> bool:
        """Open the bundled example as an untitled copy: its file is never written."""
        return self.open(str(EXAMPLE))

    def reload(self) -> None:
        document = self.session.document
        if document is not None and self.may_discard():
            self._open(document.path)

    def _open(self, path: str, *, offer_journal: bool = True) -> bool:
        untitled = _is_example(path)
        try:
            self.session.open(path, untitled=untitled)
        except TemplateError as error:
            self.prompter.show_error("Cannot open template", str(error))
            return False
        if not untitled:
            self.recent.remember(path)
        if offer_journal:
            self.recovery.offer_for(self.session.file_path)
        return True

    def _document_opened(self) -> None:
        self._disk_digest = self.session.base_digest
        self.watch.follow(self.session.file_path)
        self.file_changed.emit()

    def may_discard(self) -> bool:
        """Ask before unsaved changes are lost; True to go on."""
        self.commit_pending.emit()
        if self.session.document is None or self.session.undo_stack.isClean():
            return True
        choice = self.prompter.ask_unsaved(self.session.display_name)
        if choice == UnsavedChoice.SAVE:
            return self.save()
        return choice == UnsavedChoice.DISCARD

    def close(self) -> bool:
        """End the session unless the user keeps the unsaved changes; True when closed."""
        if self._closed:
            return True
        if not self.may_discard():
            return False
        self.recovery.forget()  # saved, or the user chose to discard the changes
        self.changes.stop()
        self.session.close()
        self._closed = True
        return True

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> bool:
        self.commit_pending.emit()
        path = self.session.file_path
        if path is None:  # untitled: Save asks where, as Save As does
            return self.save_as()
        return self._write(path, lambda replace: self.session.save(replace_read_only=replace))

    def save_as(self) -> bool:
        self.commit_pending.emit()
        document = self._document()
        formats = sorted(FORMATS, key=lambda format: format != document.format)  # its own first
        answer = self.prompter.ask_save_path("Save template as", self._suggested_path(), formats)
        if answer is None:
            return False
        path, chosen = answer
        if _is_example(path):
            self.prompter.show_error("Cannot save", f"{path} is the bundled example; choose another name.")
            return False
        format = format_for_name(path) or chosen  # the name decides (x.yaml is YAML); else the filter chosen
        if not self._write(path, lambda replace: self.session.save_as(path, format, replace_read_only=replace)):
            return False
        self.recent.remember(path)
        return True

    def export(self, format: Format) -> None:
        """Write a copy in ``format``; the document stays on its own file."""
        self.commit_pending.emit()
        stem = os.path.splitext(self._suggested_path())[0]
        answer = self.prompter.ask_save_path(f"Export as {format.upper()}", f"{stem}.{format}", [format])
        if answer is None:
            return
        path = answer[0]
        if self._write(path, lambda replace: self.session.export(path, format, replace_read_only=replace)):
            self.prompter.show_status(f"Exported to {path}")

    def _write(self, path: str, write: Callable[[bool], None]) -> bool:
        """Run ``write(replace_read_only)`` for ``path``, asking first when writing the
        document's own file loses data on a stack deployed from it, and when the file is
        read-only; True if it was written, else the user was told why not."""
        read_only = is_read_only(path)
        name = os.path.basename(path)
        if _same_file(path, self.session.file_path) and not self._may_lose_data(name):
            return False
        if read_only and not self.prompter.ask_yes_no("Read-only file", f"{name} is read-only. Replace it anyway?",
                                                      default=False):
            return False
        try:
            write(read_only)
        except TemplateError as error:
            self.prompter.show_error("Cannot save", str(error))
            return False
        if _same_file(path, self.session.file_path):  # our own write is no change by another program
            self._disk_digest = file_digest(path)
        self.watch.follow(self.session.file_path)
        self.file_changed.emit()
        return True

    def _may_lose_data(self, name: str) -> bool:
        """Ask before a save whose changes, deployed over a stack made from the file on disk,
        lose data; True to go on (nothing is lost, or the user saves anyway)."""
        losses = self.changes.against_disk().losses
        return not losses or self.prompter.ask_save_losing_data(name, losses)

    def _suggested_path(self) -> str:
        return self.session.file_path or os.path.join(self.folder(), os.path.basename(self._document().path))

    def _document(self) -> Document:
        assert self.session.document is not None, "no document is open"
        return self.session.document

    # -- changes -----------------------------------------------------------------------------
    def apply(self, edits: Sequence[Edit], title: str) -> bool:
        """Apply a batch as one undo step; a batch the document refuses is reported."""
        return self._change(lambda: self.session.apply(edits, title), "Cannot apply")

    def undo(self) -> bool:
        return self._change(self.session.undo, "Cannot undo")

    def redo(self) -> bool:
        return self._change(self.session.redo, "Cannot redo")

    def _change(self, change: Callable[[], None], failure: str) -> bool:
        try:
            change()
        except EditError as error:
            self.prompter.show_warning(failure, str(error))
            return False
        return True

    # -- changes on disk ---------------------------------------------------------------------
    def check_disk(self) -> None:
        """Look at the file: a text another program wrote is offered for reload."""
        path = self.session.file_path
        document = self.session.document
        if path is None or document is None or self._asking_about_disk:
            return
        self.watch.follow(path)  # takes the file up again if it came back
        try:
            raw = read_file(path)
        except TemplateError:
            self.prompter.show_status(f"{os.path.basename(path)} is gone from disk; Save writes it again.")
            self.disk_checked.emit(DiskCheck.GONE)
            return
        seen = digest(raw)
        if seen == self._disk_digest or raw.decode("utf-8", "replace").lstrip("\ufeff") == document.text:
            self._disk_digest = seen
            self.disk_checked.emit(DiskCheck.UNCHANGED)
            return
        self._disk_digest = seen
        self._asking_about_disk = True
        try:
            reload = self._ask_reload(path)
        finally:
            self._asking_about_disk = False
        if reload:
            self._open(path)
        else:
            self.watch.look_again_soon()  # it may have changed again while the question was open
        self.disk_checked.emit(DiskCheck.CHANGED)

    def _ask_reload(self, path: str) -> bool:
        name = os.path.basename(path)
        if self.session.undo_stack.isClean():
            text = f"{name} was changed by another program. Reload it?"
            return self.prompter.ask_yes_no("File changed on disk", text, default=True)
        # The default keeps the user's work: a stray Enter must not throw it away.
        text = (f"{name} was changed by another program, and you have unsaved changes.\n\n"
                "Reload it and lose your unsaved changes? No keeps your version (saving it replaces "
                "the other program's change).")
        return self.prompter.ask_yes_no("File changed on disk", text, default=False)

    # -- crash recovery ----------------------------------------------------------------------
    def offer_recovery(self) -> None:
        """Offer the unsaved edits of editors that were killed (called once at start)."""
        self.recovery.offer_all()

    def _follow_unsaved(self, *_signal_arguments: object) -> None:
        if not self._closed:
            self.recovery.follow()

    def _restore(self, entry: Entry) -> None:
        """Open the entry's file (unless it is open) and apply the difference to the
        journaled text as one undo step; a file that is gone opens from the entry's text."""
        base = entry.path if entry.path is not None else str(EXAMPLE)
        try:
            journaled = Document.from_text(entry.text, base, entry.format)
        except TemplateError as error:
            self.prompter.show_error("Cannot restore", f"The journaled edits cannot be read: {error}")
            return
        missing = not os.path.exists(base)
        showing = self.session.document is not None and self.session.file_path == entry.path
        if (missing or not showing) and not self.may_discard():
            return
        if missing:
            self.session.set_document(journaled)
            self.session.mark_modified()
            return
        if not showing and not self._open(base, offer_journal=False):
            return
        edits = edits_between(self._document().data, journaled.data)
        if not edits:
            self.recovery.discard(entry.path)
            self.prompter.show_status("The file already holds those edits: nothing to restore.")
            return
        when = time.strftime("%H:%M", time.localtime(entry.time))
        self.apply(edits, f"Restore unsaved edits from {when}")


def _is_example(path: str) -> bool:
    return os.path.realpath(path) == os.path.realpath(EXAMPLE)


def _same_file(path: str, other: str | None) -> bool:
    return other is not None and os.path.abspath(path) == os.path.abspath(other)
