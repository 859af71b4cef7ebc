"""Driving the real window as a user does: answers at prompts, keyboard editing of values,
clicking through dialogs that run their own event loop."""

from __future__ import annotations

import copy
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QWidget

from app.core.document import Document
from app.impact import Change, DataFate, Impact
from rules.profiles import Profile
from widgets.main_window import MainWindow
from widgets.tree_model import POINTER_ROLE
from widgets.value_editor import POINTER

DEFAULT = object()  # answer a prompt with its default button (what Enter does)

#: A small YAML template with a comment to keep, and the pointer of the value tests edit.
LEDGER = """\
# Ledger
Resources:
  Ledger:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain  # keep the data
    Properties:
      BillingMode: PAY_PER_REQUEST
"""
LEDGER_POLICY = "/Resources/Ledger/DeletionPolicy"


class Answers:
    """Stands in for the user at QMessageBox prompts: records them, gives set answers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.defaults: list[Any] = []
        self.answer: Any = QMessageBox.StandardButton.Cancel
        for kind in ("question", "warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._prompt(kind))

    def _prompt(self, kind: str) -> Any:
        def prompt(parent: Any, title: str, text: str, buttons: Any = None, default: Any = None) -> Any:
            self.shown.append((kind, title, text))
            self.defaults.append(default)
            return default if self.answer is DEFAULT else self.answer
        return staticmethod(prompt)

    def titles(self) -> list[str]:
        return [title for _, title, _ in self.shown]


def open_and_lint(qtbot: Any, window: MainWindow, path: Any) -> None:
    with qtbot.waitSignal(window.session.lint_idle, timeout=60_000):
        assert window.open_path(str(path))


def select(window: MainWindow, name: str) -> None:
    window.select_resource(name)
    assert window.tree.currentIndex().data(POINTER_ROLE) == f"/Resources/{name}"


def fix_button(window: MainWindow, rule: str) -> QPushButton:
    return window.properties.findChild(QPushButton, f"fix-{rule}")


def start_editing(qtbot: Any, window: MainWindow, pointer: str) -> QWidget:
    """Select the value at ``pointer`` in the property table and press F2; the editor."""
    panel = window.properties
    panel.select_pointer(pointer)
    item = next(i for i in panel._items() if i.data(0, POINTER) == pointer)
    panel.tree.setCurrentItem(item, 1)
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    viewport = panel.tree.viewport()
    editor = viewport.findChild(QPlainTextEdit) or viewport.findChild(QLineEdit)
    assert editor is not None, "F2 opened no editor"
    return editor


def reactivate(qtbot: Any, window: MainWindow) -> None:
    """Make the window active again once a dialog over it has closed: a window manager
    does that on a desktop; the offscreen platform has none, and shortcuts (Ctrl+Z) only
    reach the active window."""
    with qtbot.waitActive(window):
        window.activateWindow()


def when_shown(kind: type, act: Callable[[Any], None]) -> None:
    """Run ``act(dialog)`` once a visible top-level ``kind`` shows up (a dialog in its own
    event loop cannot be reached from the test's code until it returns)."""
    def look() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        act(dialog)
    QTimer.singleShot(0, look)


class FakeEngine:
    """Stands in for ``app.impact.impact`` in the views' tests: answers with the changes set
    on it whenever the two templates differ (none when they are equal), and records each call
    as (old data, new data, old label, new label)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, changes: tuple[Change, ...] = ()) -> None:
        self.changes = changes
        self.calls: list[tuple[Any, Any, str, str]] = []
        monkeypatch.setattr("widgets.changes.impact", self)

    def __call__(self, old: Document, new: Document, profile: Profile, *, old_label: str = "",
                 new_label: str = "") -> Impact:
        self.calls.append((copy.deepcopy(old.data), copy.deepcopy(new.data), old_label, new_label))
        return Impact(old_label, new_label, self.changes if old.data != new.data else ())


def replaced(resource: str, *, data: DataFate = "lost", type: str = "AWS::DynamoDB::Table",
             causes: tuple[str, ...] = ("TableName changed",)) -> Change:
    """A replacement of a stateful resource, as the engine reports one."""
    return Change(resource, type, "replace", "always", causes, data, data_class="record")


def modified(resource: str, type: str = "AWS::SNS::Topic") -> Change:
    return Change(resource, type, "modify", None, ("DisplayName changed",), "none")


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(folder: Any, *arguments: str) -> None:
    """Run git in ``folder`` as a user with a name (commits need one), whatever this machine's configuration."""
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *arguments], cwd=folder,
                   check=True, capture_output=True)
