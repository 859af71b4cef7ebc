"""The Changes panel in the real window, with the real impact engine: a create-only edit of
a database replaces it and loses its data, the panel says so in red, and the save asks."""

from __future__ import annotations

import copy
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from app.core.document import Document
from app.core.edits import Add, Remove
from resources import EXAMPLE
from tests.widgets.helpers import DEFAULT, git, needs_git, open_and_lint, select, start_editing
from widgets.changes_panel import LOSS_TEXT
from widgets.tree_model import POINTER_ROLE

DATABASE_NAME = "/Resources/AuroraDBCluster/Properties/DatabaseName"
WAIT_MS = 10_000
Button = QMessageBox.StandardButton


def rename_database(qtbot, window, answers):
    """Type a new DatabaseName, applying it at the replacement warning the property table asks."""
    select(window, "AuroraDBCluster")
    answers.answer = Button.Apply
    editor = start_editing(qtbot, window, DATABASE_NAME)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "ledger")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: database_name(window.session.document.data) == "ledger")
    answers.shown.clear()
    answers.defaults.clear()


def database_name(data):
    return data["Resources"]["AuroraDBCluster"]["Properties"]["DatabaseName"]


def shown(window):
    """The panel's rows as (resource, data, red)."""
    model = window.changes.model
    return [(model.index(row, 1).data(), model.index(row, 4).data(),
             model.index(row, 4).data(Qt.ItemDataRole.ForegroundRole) is not None
             and model.index(row, 4).data(Qt.ItemDataRole.ForegroundRole).color() == QColor(LOSS_TEXT))
            for row in range(model.rowCount())]


def on_screen(widget):
    """Whether any of ``widget`` shows (a dock in a tab behind another is visible, but off screen)."""
    return not widget.visibleRegion().isEmpty()


def wait_for_rows(qtbot, window, accept):
    qtbot.waitUntil(lambda: accept(shown(window)), timeout=WAIT_MS)
    return shown(window)


def test_a_replaced_database_is_a_red_row_and_the_save_asks_first(qtbot, window, example, answers):
    open_and_lint(qtbot, window, example)
    wait_for_rows(qtbot, window, lambda rows: window.changes.summary.text().startswith("No changes"))
    rename_database(qtbot, window, answers)
    rows = wait_for_rows(qtbot, window, bool)
    assert rows[0] == ("AuroraDBCluster", "LOSES DATA", True)
    assert all(not red for _, _, red in rows[1:])  # the instance of the cluster holds no data of its own
    assert window.changes.summary.text().startswith("1 resource loses data; ")
    assert window.changes_dock.windowTitle() == f"Changes ({len(rows)}, data loss)"  # what its tab says
    before = example.read_bytes()

    answers.answer = DEFAULT
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    ((kind, title, text),) = answers.shown
    assert (kind, title, answers.defaults) == ("warning", "Saving loses data", [Button.Cancel])
    assert "• AuroraDBCluster (AWS::RDS::DBCluster), replace: DatabaseName: 'transactions' → 'ledger'" in text
    assert example.read_bytes() == before and window.isWindowModified()

    answers.answer = Button.Save
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert database_name(Document.open(str(example)).data) == "ledger" and not window.isWindowModified()
    wait_for_rows(qtbot, window, lambda rows: not rows)
    assert window.changes.summary.text().startswith("No changes") and window.changes_dock.windowTitle() == "Changes"


def test_a_save_that_loses_nothing_is_not_asked_about(qtbot, window, example, answers):
    open_and_lint(qtbot, window, example)
    window.controller.apply([Remove("/Resources/AuroraDBCluster/Properties/BackupRetentionPeriod")], "Remove")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert answers.shown == [] and not window.isWindowModified()


def test_rows_navigate_to_their_resource(qtbot, window, example, answers):
    open_and_lint(qtbot, window, example)
    rename_database(qtbot, window, answers)
    window.controller.apply([Remove("/Resources/TransactionAlertTopic")], "Remove the topic")
    rows = wait_for_rows(qtbot, window, lambda rows: "TransactionAlertTopic" in [name for name, _, _ in rows])
    table = window.changes.table
    assert on_screen(window.findings) and not on_screen(table)  # a tab behind the findings
    window.action_set.by_id["changes"].trigger()
    qtbot.waitUntil(lambda: on_screen(table) and not on_screen(window.findings))
    qtbot.waitUntil(table.hasFocus)
    names = [name for name, _, _ in rows]
    select(window, "DBSecret")

    instance = table.visualRect(window.changes.model.index(names.index("AuroraDBInstance"), 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=instance)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=instance)
    assert window.tree.currentIndex().data(POINTER_ROLE) == "/Resources/AuroraDBInstance"

    table.setCurrentIndex(window.changes.model.index(names.index("AuroraDBCluster"), 0))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.tree.currentIndex().data(POINTER_ROLE) == "/Resources/AuroraDBCluster"

    table.setCurrentIndex(window.changes.model.index(names.index("TransactionAlertTopic"), 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.tree.currentIndex().data(POINTER_ROLE) == "/Resources/AuroraDBCluster"
    assert window.status.currentMessage() == \
        "TransactionAlertTopic is not in the working copy: the change removes it."


def test_a_renamed_resource_navigates_to_its_new_name(qtbot, window, example):
    open_and_lint(qtbot, window, example)
    cluster = copy.deepcopy(window.session.document.data["Resources"]["AuroraDBCluster"])
    window.controller.apply([Remove("/Resources/AuroraDBCluster"), Add("/Resources/LedgerCluster", cluster)],
                            "Rename the cluster")
    rows = wait_for_rows(qtbot, window, bool)
    assert rows[0] == ("AuroraDBCluster", "LOSES DATA", True)
    assert window.changes.model.index(0, 6).data() == "LedgerCluster"
    window.show_changes()
    window.changes.table.setCurrentIndex(window.changes.model.index(0, 0))
    qtbot.keyClick(window.changes.table, Qt.Key.Key_Return)
    assert window.tree.currentIndex().data(POINTER_ROLE) == "/Resources/LedgerCluster"


@pytest.fixture
def committed(tmp_path):
    """The example committed in a git repository (in a folder of it)."""
    root = tmp_path / "repo"
    (root / "stacks").mkdir(parents=True)
    path = root / "stacks" / "transactions.json"
    shutil.copy(EXAMPLE, path)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Transactions")
    return path


@needs_git
def test_the_switch_compares_with_git_head(qtbot, window, committed, answers):
    open_and_lint(qtbot, window, committed)
    rename_database(qtbot, window, answers)
    answers.answer = Button.Save
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_for_rows(qtbot, window, lambda rows: not rows and window.changes.summary.text().startswith("No changes"))
    window.changes.at_head.click()
    rows = wait_for_rows(qtbot, window, bool)
    assert rows[0] == ("AuroraDBCluster", "LOSES DATA", True)
    assert window.changes.summary.toolTip().endswith("deployed from HEAD:stacks/transactions.json")
    window.changes.on_disk.click()
    wait_for_rows(qtbot, window, lambda rows: not rows)


@needs_git
def test_outside_git_the_switch_says_so_quietly(qtbot, window, example, answers):
    open_and_lint(qtbot, window, example)
    rename_database(qtbot, window, answers)
    wait_for_rows(qtbot, window, bool)
    window.changes.at_head.click()
    note = window.changes.note
    assert note.isVisible() and note.text() == "Reading HEAD…"
    qtbot.waitUntil(lambda: note.text() == "transactions.json is not in a git repository", timeout=WAIT_MS)
    assert note.isVisible()
    assert shown(window) == [] and answers.shown == []
