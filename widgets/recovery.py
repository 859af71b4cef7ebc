"""The offer to restore edits that were never saved (the editor was killed or crashed):
what they change in the file as it is on disk, and Restore / Discard / Decide Later."""

from __future__ import annotations

import html
import time

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from widgets.diff_view import DiffView
from widgets.prompter import Choice, RecoveryOffer


class RecoveryDialog(QDialog):
    """Shows ``offer``; once it closes, ``choice`` is the user's answer."""

    def __init__(self, offer: RecoveryOffer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        entry, name, disk_text = offer.entry, offer.name, offer.disk_text
        self.choice = Choice.LATER
        self.setWindowTitle("Restore unsaved edits")
        self.resize(900, 600)
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.time))
        notes = [f"<b>{html.escape(name)}</b> has edits from {when} that were never saved: CFN Doctor was closed "
                 "without saving them (it crashed, or was killed)."]
        if entry.path is not None:
            notes.append(f"<span style='color:#616161'>{html.escape(entry.path)}</span>")
        if disk_text is None:
            notes.append("The file is no longer on disk: restoring opens the edited template as unsaved.")
        elif offer.disk_changed:
            notes.append("<span style='color:#b71c1c'>The file has changed on disk since these edits were made.</span> "
                         "Restoring applies the edited template over the file as it is now (one undo step).")
        else:
            notes.append("Restoring applies them to the file as one undo step; nothing is saved until you save.")
        self.heading = QLabel("<br>".join(notes))
        self.heading.setWordWrap(True)
        self.diff = DiffView()
        self.diff.show_diff(disk_text or "", entry.text, f"a/{name} (on disk)", f"b/{name} (unsaved edits)")

        self.buttons = QDialogButtonBox()
        self.restore_button = self._button("&Restore", QDialogButtonBox.ButtonRole.AcceptRole, Choice.RESTORE)
        self.discard_button = self._button("&Discard Edits", QDialogButtonBox.ButtonRole.DestructiveRole,
                                           Choice.DISCARD)
        self.later_button = self._button("Decide &Later", QDialogButtonBox.ButtonRole.RejectRole, Choice.LATER)
        self.restore_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.diff, 1)
        layout.addWidget(self.buttons)

    def _button(self, text: str, role: QDialogButtonBox.ButtonRole, choice: Choice) -> QPushButton:
        button = self.buttons.addButton(text, role)
        button.clicked.connect(lambda: self._answer(choice))
        return button

    def _answer(self, choice: Choice) -> None:
        self.choice = choice
        if choice == Choice.LATER:
            self.reject()
        else:
            self.accept()
