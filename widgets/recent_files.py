"""The templates opened lately, kept in the settings: one model that the start page and the
File menu's Open Recent both show."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import QMenu, QWidget

MAX_RECENT = 10
SETTINGS_KEY = "recent"
PATH_ROLE = Qt.ItemDataRole.UserRole
NO_PARENT = QModelIndex()


class RecentFiles(QAbstractListModel):
    """The most recent first; :meth:`remember` moves a path to the top."""

    def __init__(self, settings: QSettings, parent: QObject | None = None, *, record: bool = True) -> None:
        """``record=False`` keeps the list as it is in the settings (a screenshot leaves no trace)."""
        super().__init__(parent)
        self._settings = settings
        self._record = record
        value = settings.value(SETTINGS_KEY, [])
        # An INI file gives back a list of one as a plain string.
        self._paths = [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]

    def paths(self) -> list[str]:
        return list(self._paths)

    def remember(self, path: str) -> None:
        path = os.path.abspath(path)
        self.beginResetModel()
        self._paths = ([path] + [p for p in self._paths if p != path])[:MAX_RECENT]
        self.endResetModel()
        if self._record:
            self._settings.setValue(SETTINGS_KEY, self._paths)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._paths)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        path = self._paths[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{os.path.basename(path)}    —    {os.path.dirname(path)}"
        return path if role in (PATH_ROLE, Qt.ItemDataRole.ToolTipRole) else None


class RecentMenu(QMenu):
    """Open Recent: an entry a file of the model, made again whenever the model changes."""

    chosen = Signal(str)  # the path

    def __init__(self, model: RecentFiles, parent: QWidget | None = None) -> None:
        super().__init__("Open &Recent", parent)
        self._model = model
        model.modelReset.connect(self._rebuild)
        self._rebuild()

    def _rebuild(self) -> None:
        self.clear()
        for path in self._model.paths():
            action = self.addAction(path)
            action.triggered.connect(lambda _checked=False, chosen=path: self.chosen.emit(chosen))
        self.setEnabled(bool(self._model.paths()))
