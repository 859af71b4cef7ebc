"""Crash recovery in the editor: the journal follows the document's unsaved state, and the
entries an editor that was killed left behind are offered back, one at a time."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from PySide6.QtCore import QStandardPaths

from app.core.errors import TemplateError
from app.core.journal import Entry, Journal, file_digest
from app.core.loading import decode, read_file
from resources import EXAMPLE
from widgets.prompter import Choice, Prompter, RecoveryOffer
from widgets.session import Session, untitled_name

DATA_DIR_VARIABLE = "CFN_DOCTOR_DATA_DIR"  # where the journal lives (default: the application data folder)


def journal_folder() -> str:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return os.path.join(os.environ.get(DATA_DIR_VARIABLE) or location, "journal")


class CrashRecovery:
    """``restore(entry)`` brings an entry's edits back when the user chooses to; with
    ``offers=False`` entries are kept but never offered."""

    def __init__(self, journal: Journal, session: Session, prompter: Prompter, restore: Callable[[Entry], None],
                 *, offers: bool = True) -> None:
        self.journal = journal
        self._session = session
        self._prompter = prompter
        self._restore = restore
        self._offers = offers
        self._journaled: set[str | None] = set()  # the keys of the entries this editor wrote
        self._queue: list[Entry] = []
        self._on_offer: Entry | None = None

    def follow(self) -> None:
        """Keep the document's unsaved text in the journal, and only while it is unsaved.
        Only entries this editor wrote are discarded here: an entry left by an editor that
        was killed waits until it is offered."""
        key = self._session.file_path
        for stale in self._journaled - {key}:  # the document was replaced or saved under another name
            self.journal.discard(stale)
        self._journaled &= {key}
        document = self._session.document
        if document is None or self._session.undo_stack.isClean():
            self.forget()
            return
        try:
            self.journal.record(key, document.text, document.format, self._session.base_digest)
        except TemplateError as error:
            self._prompter.show_status(f"Crash recovery cannot keep these edits: {error}", warning=True)
            return
        self._journaled = {key}

    def forget(self) -> None:
        """Discard this editor's own entries (the document was saved, or its changes given up)."""
        for key in self._journaled:
            self.journal.discard(key)
        self._journaled.clear()

    def discard(self, key: str | None) -> None:
        self.journal.discard(key)

    def offer_all(self) -> None:
        self._enqueue(self.journal.entries())

    def offer_for(self, key: str | None) -> None:
        """Offer the entry of the document just opened, if a killed editor left one."""
        entry = self.journal.entry(key)
        if entry is not None and key not in self._journaled:
            self._enqueue([entry])

    def _enqueue(self, entries: Iterable[Entry]) -> None:
        if not self._offers:
            return
        offered = {entry.path for entry in self._queue}
        if self._on_offer is not None:
            offered.add(self._on_offer.path)
        skipped = offered | self._journaled  # already on offer, or this editor's own live entry
        self._queue.extend(entry for entry in entries if entry.path not in skipped)
        self._offer_next()

    def _offer_next(self) -> None:
        while self._on_offer is None and self._queue:
            entry = self._queue.pop(0)
            base = _base_text(entry)
            if base == entry.text:  # the edits were saved after all
                self.journal.discard(entry.path)
                continue
            name = os.path.basename(entry.path) if entry.path else untitled_name(str(EXAMPLE))
            changed = entry.path is not None and base is not None and file_digest(entry.path) != entry.base_digest
            self._on_offer = entry
            self._prompter.offer_recovery(RecoveryOffer(entry, name, base, changed), self._answered)

    def _answered(self, choice: Choice) -> None:
        entry = self._on_offer
        assert entry is not None, "an answer to no offer"
        self._on_offer = None
        if choice == Choice.RESTORE:
            self._restore(entry)
        elif choice == Choice.DISCARD:
            self.journal.discard(entry.path)
        self._offer_next()


def _base_text(entry: Entry) -> str | None:
    """The text an entry's edits started from, as it is now: its file (the bundled example
    for the untitled document); None when that cannot be read."""
    path = entry.path if entry.path is not None else str(EXAMPLE)
    try:
        return decode(read_file(path), path)[0]
    except TemplateError:
        return None
