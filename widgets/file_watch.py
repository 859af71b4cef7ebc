"""Watching the open file for changes made by other programs.

The folder is watched too: a file deleted and written again (a checkout, another editor's
atomic save) drops off a file watch, and comes back as a change of its folder."""

from __future__ import annotations

import os

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 150  # a checkout deletes and writes files in bursts: look once it settles


class FileWatch(QObject):
    changed = Signal()  # the file or its folder changed: time to look at the file

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        self._watcher.fileChanged.connect(lambda _: self._settle.start())
        self._watcher.directoryChanged.connect(lambda _: self._settle.start())

    def follow(self, path: str | None) -> None:
        """Watch ``path`` and its folder instead of what was watched (nothing for None);
        following the same path again takes the file up again if it came back."""
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)
        if path is None:
            return
        existing = [p for p in (os.path.dirname(os.path.abspath(path)), path) if os.path.exists(p)]
        if existing:
            self._watcher.addPaths(existing)

    def watched_files(self) -> list[str]:
        return self._watcher.files()

    def look_again_soon(self) -> None:
        self._settle.start()
