"""The profile chooser in the toolbar: the built-in profiles and profile files; the choice
is kept in the settings."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QMessageBox, QWidget

from app.core.errors import TemplateError
from rules import profiles
from widgets.session import Session

PROFILE_FILE = "__file__"  # the item that asks for a file
SETTINGS_KEY = "profile"


class ProfileChooser(QComboBox):
    """``folder()`` is where the file dialog starts; ``label`` goes before the box."""

    def __init__(self, session: Session, settings: QSettings, folder: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._settings = settings
        self._folder = folder
        self.label = QLabel(" Profile: ")
        self.setObjectName("profile")
        for name in profiles.builtin_names():
            self.addItem(name, name)
        self.addItem("Profile file…", PROFILE_FILE)
        self.activated.connect(lambda _: self._chosen())

    def restore(self) -> None:
        """Use the profile the settings name (the default one when it cannot be used)."""
        profile = self._saved()
        try:
            self._session.set_profile(profile)
        except TemplateError:
            profile = "default"
        self.show_profile(profile)

    def show_profile(self, choice: str) -> None:
        """Show ``choice`` (a built-in name or a file) as the current profile."""
        index = self.findData(choice)
        if index < 0:
            self.insertItem(self.count() - 1, os.path.basename(choice), choice)
            index = self.findData(choice)
        self.setCurrentIndex(index)

    def _chosen(self) -> None:
        choice = self.currentData()
        if choice == PROFILE_FILE:
            choice, _ = QFileDialog.getOpenFileName(self, "Choose a profile file", self._folder(),
                                                    "Profiles (*.yaml *.yml)")
            if not choice:
                self.show_profile(self._saved())
                return
        try:
            self._session.set_profile(choice)
        except TemplateError as error:
            QMessageBox.critical(self, "Cannot use profile", str(error))
            self.show_profile(self._saved())
            return
        self._settings.setValue(SETTINGS_KEY, choice)
        self.show_profile(choice)

    def _saved(self) -> str:
        return str(self._settings.value(SETTINGS_KEY, "default"))
