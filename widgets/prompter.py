"""How the document controller talks to the user: an interface, with no Qt, that the
window implements with dialogs and the tests with set answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from app.core.journal import Entry
from app.core.loading import Format
from app.impact import Change


class UnsavedChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Choice(Enum):
    """The answer to an offer of edits that were never saved."""

    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"  # keep the entry: offered again next time


@dataclass(frozen=True)
class RecoveryOffer:
    entry: Entry
    name: str  # the document's name as the window shows it
    disk_text: str | None  # the file as it is now; None when it is gone
    disk_changed: bool  # the file is no longer the one the edits were made to


class Prompter(Protocol):
    def ask_yes_no(self, title: str, text: str, *, default: bool) -> bool: ...

    def ask_unsaved(self, name: str) -> UnsavedChoice:
        """Save the unsaved changes to ``name``, discard them, or cancel what was asked?"""
        ...

    def ask_save_losing_data(self, name: str, losses: Sequence[Change]) -> bool:
        """Save ``name`` although deploying it loses the data of ``losses``?  The default,
        and the answer to a dismissed question, is no."""
        ...

    def ask_open_path(self, folder: str) -> str | None: ...

    def ask_save_path(self, title: str, suggested: str, formats: Sequence[Format]) -> tuple[str, Format] | None:
        """Where to write, and the format whose filter was chosen (``formats[0]`` is offered
        first); None when cancelled."""
        ...

    def show_error(self, title: str, text: str) -> None:
        """Something the user asked for failed (a file could not be read or written)."""
        ...

    def show_warning(self, title: str, text: str) -> None:
        """The document refused a change (an edit, an undo): nothing changed."""
        ...

    def show_status(self, text: str, *, warning: bool = False) -> None:
        """A note that needs no answer."""
        ...

    def offer_recovery(self, offer: RecoveryOffer, answer: Callable[[Choice], None]) -> None:
        """Offer unsaved edits back without blocking; call ``answer`` once the user chose."""
        ...
