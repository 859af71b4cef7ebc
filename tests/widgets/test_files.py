"""Files: Save As in the format asked for, failed writes reported, read-only files, the
bundled example as an untitled copy, and a file replaced on disk while it is open."""

from __future__ import annotations

import os
import stat

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.core.document import Document
from app.core.edits import Set
from resources import EXAMPLE
from tests.widgets.helpers import DEFAULT, LEDGER, LEDGER_POLICY, open_and_lint

POLICY = "/Resources/AuroraDBCluster/DeletionPolicy"


class SaveDialog:
    """Stands in for QFileDialog.getSaveFileName: records what it offered, answers ``path``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, path: object, chosen_filter: str = "") -> None:
        self.path, self.chosen_filter = str(path), chosen_filter
        self.offered: list[tuple[str, str]] = []
        monkeypatch.setattr("widgets.dialogs.QFileDialog.getSaveFileName", self)

    def __call__(self, parent, caption, folder, filters, selected="", *args):
        self.offered.append((folder, filters))
        return self.path, self.chosen_filter or selected


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "ledger.yaml"
    path.write_text(LEDGER)
    return path


def edit(window, pointer, value):
    window.controller.apply([Set(pointer, value)], f"Set {pointer}")
    assert window.isWindowModified()


@pytest.mark.parametrize(("name", "chosen_filter"), [
    ("x.yaml", "JSON (*.json)"),  # the name decides
    ("x.template", "YAML (*.yaml *.yml)"),  # a name that does not: the filter
])
def test_save_as_writes_the_format_asked_for(qtbot, window, example, tmp_path, monkeypatch, name, chosen_filter):
    open_and_lint(qtbot, window, example)
    edit(window, POLICY, "Retain")
    target = tmp_path / name
    dialog = SaveDialog(monkeypatch, target, chosen_filter)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "JSON (*.json)" in dialog.offered[0][1] and "YAML (*.yaml *.yml)" in dialog.offered[0][1]
    assert not target.read_text().lstrip().startswith("{")
    written = Document.from_text(target.read_text(), str(target), "yaml")
    assert written.data == window.session.document.data
    assert written.data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"
    document = window.session.document
    assert (document.path, document.format, document.text) == (str(target), "yaml", target.read_text())
    assert not window.isWindowModified() and window.windowTitle().startswith(name)
    assert window.recent.paths()[0] == str(target)
    edit(window, POLICY, "Snapshot")  # carries on as the YAML file
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = Document.from_text(target.read_text(), str(target), "yaml").data
    assert saved["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Snapshot"


def test_export_to_an_unwritable_folder_is_a_failure(qtbot, window, example, tmp_path, monkeypatch, answers):
    open_and_lint(qtbot, window, example)
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    target = tmp_path / "no-such-folder" / "exported.yaml"
    SaveDialog(monkeypatch, target)
    window.action_set.by_id["export-yaml"].trigger()
    assert [(kind, title) for kind, title, _ in answers.shown] == [("critical", "Cannot save")]
    assert "cannot write" in answers.shown[0][2]
    assert not any("Exported" in message for message in messages)
    assert not target.exists()


def make_read_only(path):
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def test_save_asks_before_replacing_a_read_only_file(qtbot, window, ledger, answers):
    open_and_lint(qtbot, window, ledger)
    edit(window, LEDGER_POLICY, "Snapshot")
    make_read_only(ledger)

    answers.answer = QMessageBox.StandardButton.No
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert answers.shown == [("question", "Read-only file", "ledger.yaml is read-only. Replace it anyway?")]
    assert answers.defaults == [QMessageBox.StandardButton.No]
    assert ledger.read_text() == LEDGER and window.isWindowModified()

    answers.answer = QMessageBox.StandardButton.Yes
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert Document.open(str(ledger)).data["Resources"]["Ledger"]["DeletionPolicy"] == "Snapshot"
    assert "# keep the data" in ledger.read_text()
    assert not window.isWindowModified()
    assert not ledger.stat().st_mode & stat.S_IWUSR  # still read-only


def test_the_example_opens_as_an_untitled_copy(qtbot, window, tmp_path, monkeypatch):
    before = (EXAMPLE.read_bytes(), os.stat(EXAMPLE).st_mtime_ns)
    window.action_set.by_id["open-example"].trigger()
    assert "example" in window.windowTitle() and "Untitled" in window.windowTitle()
    edit(window, POLICY, "Retain")
    target = tmp_path / "mine.json"
    dialog = SaveDialog(monkeypatch, target)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save asks where
    assert len(dialog.offered) == 1 and dialog.offered[0][0] != str(EXAMPLE)
    assert Document.open(str(target)).data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"
    assert (EXAMPLE.read_bytes(), os.stat(EXAMPLE).st_mtime_ns) == before
    assert window.session.file_path == str(target) and window.windowTitle().startswith("mine.json")
    assert str(EXAMPLE) not in window.recent.paths()
    edit(window, POLICY, "Snapshot")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # now its own file: no question
    assert len(dialog.offered) == 1
    assert Document.open(str(target)).data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Snapshot"
    assert (EXAMPLE.read_bytes(), os.stat(EXAMPLE).st_mtime_ns) == before


def test_the_example_is_never_saved_over(qtbot, window, monkeypatch, answers):
    before = (EXAMPLE.read_bytes(), os.stat(EXAMPLE).st_mtime_ns)
    window.controller.open_example()
    edit(window, POLICY, "Retain")
    SaveDialog(monkeypatch, EXAMPLE)
    assert not window.controller.save()
    assert answers.shown[0][:2] == ("critical", "Cannot save")
    assert (EXAMPLE.read_bytes(), os.stat(EXAMPLE).st_mtime_ns) == before
    assert window.isWindowModified()


def test_a_file_deleted_and_written_again_still_offers_a_reload(qtbot, window, ledger, answers):
    open_and_lint(qtbot, window, ledger)
    edit(window, LEDGER_POLICY, "Snapshot")
    answers.answer = DEFAULT

    def replaced_on_disk(text):  # what `git checkout` does
        shown = len(answers.shown)
        ledger.unlink()
        qtbot.waitUntil(lambda: str(ledger) not in window.controller.watch.watched_files())
        ledger.write_text(text)
        qtbot.waitUntil(lambda: len(answers.shown) > shown, timeout=10_000)

    replaced_on_disk(LEDGER.replace("BillingMode: PAY_PER_REQUEST", "BillingMode: PROVISIONED"))
    kind, title, text = answers.shown[-1]
    assert (kind, title) == ("question", "File changed on disk") and "unsaved changes" in text
    assert answers.defaults[-1] == QMessageBox.StandardButton.No
    # The default kept the work:
    assert window.session.document.data["Resources"]["Ledger"]["DeletionPolicy"] == "Snapshot"
    assert window.session.document.data["Resources"]["Ledger"]["Properties"]["BillingMode"] == "PAY_PER_REQUEST"
    assert window.isWindowModified()

    replaced_on_disk(LEDGER.replace("# Ledger", "# Ledger, again"))  # still watched
    assert answers.titles().count("File changed on disk") == 2
    answers.answer = QMessageBox.StandardButton.Yes
    replaced_on_disk(LEDGER.replace("# Ledger", "# Ledger, once more"))
    qtbot.waitUntil(lambda: window.session.document.text.startswith("# Ledger, once more"))
    assert not window.isWindowModified()
