"""Crash recovery: unsaved edits are journaled after every change and offered back when
the editor starts again (or the file is opened) after it was killed."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from app.core.edits import Set
from app.core.journal import Journal, digest
from resources import EXAMPLE
from tests.conftest import REPO
from tests.widgets.helpers import LEDGER, LEDGER_POLICY, open_and_lint, reactivate
from widgets.crash_recovery import DATA_DIR_VARIABLE
from widgets.recovery import RecoveryDialog

EDITED = LEDGER.replace("DeletionPolicy: Retain", "DeletionPolicy: Snapshot")
READY_TIMEOUT_S = 60
EDITOR = """
import sys, time
from PySide6.QtWidgets import QApplication
from app.core.edits import Set
from widgets.main_window import MainWindow

application = QApplication([])
window = MainWindow()
window.show()
assert window.open_path(sys.argv[1])
window.controller.apply([Set(sys.argv[2], sys.argv[3])], "Set the policy")
assert window.isWindowModified() and window.controller.recovery.journal.entries(), "the edit was not journaled"
print("ready", flush=True)
time.sleep(600)
"""


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "ledger.yaml"
    path.write_text(LEDGER)
    return path


@pytest.fixture
def journal():
    return Journal(os.path.join(os.environ[DATA_DIR_VARIABLE], "journal"))


def policy(window):
    return window.session.document.data["Resources"]["Ledger"]["DeletionPolicy"]


def offered(qtbot, window) -> RecoveryDialog:
    qtbot.waitUntil(lambda: window.prompter.recovery_dialog is not None and window.prompter.recovery_dialog.isVisible())
    return window.prompter.recovery_dialog


def answer(qtbot, window, dialog, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    reactivate(qtbot, window)


def run_editor_until_killed(tmp_path, path, pointer, value):
    """Start the real editor in its own process, let it edit ``path`` without saving,
    and kill it (SIGKILL: no clean-up runs) once it says the edit is in."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    editor = subprocess.Popen([sys.executable, "-c", EDITOR, str(path), pointer, value], cwd=REPO, env=environment,
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        readable, _, _ = select.select([editor.stdout], [], [], READY_TIMEOUT_S)
        assert readable and editor.stdout.readline().strip() == "ready"
    finally:
        os.killpg(editor.pid, signal.SIGKILL)  # the editor and its cfn-lint worker
        editor.wait(timeout=30)
        editor.stdout.close()
    assert editor.returncode == -signal.SIGKILL


def test_unsaved_edits_survive_the_editor_being_killed(qtbot, start_window, ledger, tmp_path):
    run_editor_until_killed(tmp_path, ledger, LEDGER_POLICY, "Snapshot")
    assert ledger.read_text() == LEDGER  # nothing was saved

    window = start_window()
    dialog = offered(qtbot, window)
    assert "<b>ledger.yaml</b> has edits from" in dialog.heading.text()
    assert "changed on disk" not in dialog.heading.text()
    diff = dialog.diff.toPlainText()
    assert "-    DeletionPolicy: Retain  # keep the data" in diff
    assert "+    DeletionPolicy: Snapshot  # keep the data" in diff
    answer(qtbot, window, dialog, dialog.restore_button)
    assert window.session.file_path == str(ledger)
    assert policy(window) == "Snapshot" and window.session.document.text == EDITED
    assert window.isWindowModified() and window.session.undo_stack.count() == 1
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the restore is one undo step
    assert window.session.document.text == LEDGER and not window.isWindowModified()


def test_the_journal_follows_the_unsaved_state(qtbot, window, ledger, journal):
    open_and_lint(qtbot, window, ledger)
    assert journal.entries() == []
    window.controller.apply([Set(LEDGER_POLICY, "Snapshot")], "Set the policy")
    (entry,) = journal.entries()
    assert (entry.path, entry.text, entry.format) == (str(ledger), EDITED, "yaml")
    assert entry.base_digest == digest(LEDGER.encode())
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # back to the saved text
    assert journal.entries() == []
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [entry.text for entry in journal.entries()] == [EDITED]
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert journal.entries() == [] and ledger.read_text() == EDITED


def test_declining_discards_the_entry(qtbot, start_window, ledger, journal):
    journal.record(str(ledger), EDITED, "yaml", digest(LEDGER.encode()))
    window = start_window()
    dialog = offered(qtbot, window)
    answer(qtbot, window, dialog, dialog.discard_button)
    assert journal.entries() == []
    assert window.session.document is None and ledger.read_text() == LEDGER


def test_opening_a_file_with_an_entry_offers_it(qtbot, start_window, ledger, journal):
    journal.record(str(ledger), EDITED, "yaml", digest(LEDGER.encode()))
    window = start_window()
    dialog = offered(qtbot, window)
    answer(qtbot, window, dialog, dialog.later_button)  # kept for later
    assert len(journal.entries()) == 1 and window.session.document is None

    assert window.open_path(str(ledger))
    dialog = offered(qtbot, window)
    answer(qtbot, window, dialog, dialog.restore_button)
    assert policy(window) == "Snapshot" and window.isWindowModified()


def test_a_file_changed_on_disk_since_is_restored_over_its_new_content(qtbot, start_window, ledger, journal):
    journal.record(str(ledger), EDITED, "yaml", digest(LEDGER.encode()))
    ledger.write_text(LEDGER.replace("BillingMode: PAY_PER_REQUEST", "BillingMode: PROVISIONED"))
    window = start_window()
    dialog = offered(qtbot, window)
    assert "The file has changed on disk since these edits were made" in dialog.heading.text()
    answer(qtbot, window, dialog, dialog.restore_button)
    data = window.session.document.data["Resources"]["Ledger"]
    assert data["DeletionPolicy"] == "Snapshot" and data["Properties"]["BillingMode"] == "PAY_PER_REQUEST"
    assert window.isWindowModified()


def test_a_file_gone_from_disk_is_restored_from_the_journal(qtbot, start_window, tmp_path, journal):
    gone = tmp_path / "gone.yaml"
    journal.record(str(gone), EDITED, "yaml", digest(LEDGER.encode()))
    window = start_window()
    dialog = offered(qtbot, window)
    answer(qtbot, window, dialog, dialog.restore_button)
    assert window.session.file_path == str(gone) and window.session.document.text == EDITED
    assert window.isWindowModified()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert gone.read_text() == EDITED and journal.entries() == []


def test_the_untitled_example_is_journaled_and_restored_untitled(qtbot, start_window, tmp_path, journal):
    before = EXAMPLE.read_bytes()
    run_editor_until_killed(tmp_path, EXAMPLE, "/Resources/AuroraDBCluster/DeletionPolicy", "Retain")
    (entry,) = journal.entries()
    assert entry.path is None

    window = start_window()
    dialog = offered(qtbot, window)
    assert "Untitled (example transactions.json)" in dialog.heading.text()
    answer(qtbot, window, dialog, dialog.restore_button)
    assert window.session.file_path is None and "example" in window.windowTitle()
    assert window.session.document.data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"
    assert window.isWindowModified()
    assert EXAMPLE.read_bytes() == before
