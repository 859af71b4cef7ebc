"""The real main window, driven as a user drives it."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton

from app.analysis import analyse
from app.core.document import Document
from resources import EXAMPLE
from rules import profiles
from tests.widgets.helpers import fix_button, open_and_lint, select, start_editing, when_shown
from widgets.controller import DiskCheck
from widgets.fix_preview import FIX_ROLE, FixPreview
from widgets.main_window import MainWindow
from widgets.recent_files import PATH_ROLE
from widgets.tree_model import POINTER_ROLE


def test_start_page_offers_the_example(qtbot, window):
    assert window.stack.currentWidget() is window.start_page
    assert window.start_page.no_recent.isVisible() and not window.start_page.recent_list.isVisible()
    assert window.start_page.no_recent.text().startswith("No recent files yet")
    button = window.start_page.findChild(QPushButton, "open-example")
    with qtbot.waitSignal(window.session.opened):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.windowTitle() == "Untitled (example transactions.json)[*] — CFN Doctor"
    assert window.session.document.path == str(EXAMPLE) and window.session.file_path is None


def test_fix_one_finding_then_undo(qtbot, window, example):
    open_and_lint(qtbot, window, example)
    select(window, "AuroraDBCluster")
    panel = window.properties
    assert panel.deletion_policy.currentText() == "Delete"
    assert {f.rule for f in panel._findings} >= {"CD1001", "CD1002"}
    assert window.tree.currentIndex().siblingAtColumn(2).data() == "3"

    qtbot.mouseClick(fix_button(window, "CD1001"), Qt.MouseButton.LeftButton)
    assert panel.deletion_policy.currentText() == "Retain"
    assert "CD1001" not in {f.rule for f in panel._findings}
    assert window.isWindowModified()
    assert window.session.document.data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.deletion_policy.currentText() == "Delete"
    assert "CD1001" in {f.rule for f in panel._findings}
    assert not window.isWindowModified()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel.deletion_policy.currentText() == "Retain"


def test_policy_drop_down_is_one_undo_step(qtbot, window, example):
    open_and_lint(qtbot, window, example)
    select(window, "AuroraDBCluster")
    box = window.properties.update_replace_policy
    box.setCurrentIndex(box.findText("Snapshot"))
    box.activated.emit(box.currentIndex())
    assert window.session.document.data["Resources"]["AuroraDBCluster"]["UpdateReplacePolicy"] == "Snapshot"
    assert window.session.undo_stack.count() == 1


def test_fix_all_preview_applies_ticked_fixes_as_one_step(qtbot, window, example):
    window.session.set_profile("financial-services")
    open_and_lint(qtbot, window, example)
    seen = {}

    def click_apply(dialog):
        seen["items"] = [dialog.checklist.item(i).text() for i in range(dialog.checklist.count())]
        seen["diff"] = dialog.diff.toPlainText()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()

    when_shown(FixPreview, click_apply)
    window.action_set.by_id["fix-all"].trigger()
    assert any("SessionTable" in item for item in seen["items"])
    assert '+      "DeletionPolicy": "Retain",' in seen["diff"] or '-      "DeletionPolicy": "Delete",' in seen["diff"]
    data = window.session.document.data
    assert data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"
    assert "SessionTable" in data["Resources"]
    assert window.session.undo_stack.count() == 1
    window.session.undo_stack.undo()
    assert "SessionTable" not in window.session.document.data["Resources"]


def test_unsafe_fixes_start_unticked(qtbot):
    text = "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Delete\n"
    document = Document.from_text(text, "t.yaml")
    profile = profiles.load("default")
    findings = analyse(document, profile)
    dialog = FixPreview(document, profile, [(f, f.fix) for f in findings if f.fix])
    qtbot.addWidget(dialog)
    states = {dialog.checklist.item(i).data(FIX_ROLE)[1].safety: dialog.checklist.item(i).checkState()
              for i in range(dialog.checklist.count())}
    assert states == {"safe": Qt.CheckState.Checked, "unsafe": Qt.CheckState.Unchecked}
    assert "UNSAFE" in "".join(dialog.checklist.item(i).text() for i in range(dialog.checklist.count()))


def test_export_yaml_and_json_read_back_equal(qtbot, window, example, tmp_path, monkeypatch):
    open_and_lint(qtbot, window, example)
    for fmt in ("yaml", "json"):
        target = tmp_path / f"exported.{fmt}"
        monkeypatch.setattr("widgets.dialogs.QFileDialog.getSaveFileName", lambda *a, t=target, **k: (str(t), ""))
        window.action_set.by_id[f"export-{fmt}"].trigger()
        assert Document.open(str(target)).data == window.session.document.data
    assert window.session.document.path == str(example)
    assert "!GetAtt AuroraDBCluster.Endpoint.Address" in (tmp_path / "exported.yaml").read_text()


def test_save_writes_the_edit(qtbot, window, example):
    open_and_lint(qtbot, window, example)
    select(window, "AuroraDBCluster")
    qtbot.mouseClick(fix_button(window, "CD1001"), Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.isWindowModified()
    assert Document.open(str(example)).data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"


def test_close_with_unsaved_changes_and_cancel(qtbot, window, example, answers):
    open_and_lint(qtbot, window, example)
    select(window, "AuroraDBCluster")
    qtbot.mouseClick(fix_button(window, "CD1001"), Qt.MouseButton.LeftButton)
    answers.answer = QMessageBox.StandardButton.Cancel
    assert not window.close()
    assert window.isVisible() and answers.shown[-1][1] == "Unsaved changes"
    assert window.session.document.data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"
    before = example.read_bytes()
    answers.answer = QMessageBox.StandardButton.Discard
    assert window.close()
    assert example.read_bytes() == before


def test_malformed_file_gets_a_dialog_and_the_window_stays_usable(qtbot, window, example, tmp_path, answers):
    open_and_lint(qtbot, window, example)
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources:\n  A: [1, 2\n")
    assert not window.open_path(str(bad))
    kind, title, text = answers.shown[-1]
    assert kind == "critical" and text.startswith(f"{bad}:3:1: ")
    assert window.session.document.path == str(example)
    select(window, "AuroraDBCluster")
    assert window.properties.deletion_policy.currentText() == "Delete"


def test_findings_navigation_and_f8(qtbot, window, example):
    open_and_lint(qtbot, window, example)
    window.findings.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F8)
    first = window.findings.current()
    assert first is not None
    assert window.tree.currentIndex().data(POINTER_ROLE).startswith("/Resources/" + (first.resource or ""))
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert window.findings.current() != first
    qtbot.keyClick(window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert window.findings.current() == first


def test_suppress_from_the_findings_panel(qtbot, window, example):
    open_and_lint(qtbot, window, example)
    finding = next(f for f in window.session.own_findings if f.rule == "CD1001" and f.resource == "DBSecret")
    window.findings.suppress_requested.emit(finding)
    metadata = window.session.document.data["Resources"]["DBSecret"]["Metadata"]
    assert metadata == {"cfn-doctor": {"ignore": ["CD1001"]}}
    assert not any(f.rule == "CD1001" and f.resource == "DBSecret" for f in window.session.own_findings)


def test_tree_filter_and_only_with_findings(qtbot, window, example):
    open_and_lint(qtbot, window, example)
    qtbot.keyClicks(window.browser.filter_edit, "lambda")
    resources = window.tree_filter.index(0, 0)
    names = {window.tree_filter.index(r, 0, resources).data() for r in range(window.tree_filter.rowCount(resources))}
    assert names == {"TransactionProcessorFunction", "LambdaSecurityGroup", "LambdaExecutionRole"}
    window.browser.filter_edit.clear()
    window.browser.only_findings.setChecked(True)
    resources = window.tree_filter.index(0, 0)
    names = {window.tree_filter.index(r, 0, resources).data() for r in range(window.tree_filter.rowCount(resources))}
    assert names == {"AuroraDBCluster", "AuroraDBInstance", "DBSecret"}


def test_replacement_warning_before_a_create_only_edit(qtbot, window, example, answers):
    open_and_lint(qtbot, window, example)
    select(window, "AuroraDBCluster")
    pointer = "/Resources/AuroraDBCluster/Properties/DatabaseName"
    item = next(i for i in window.properties._items() if i.data(0, Qt.ItemDataRole.UserRole + 20) == pointer)
    assert "⟳" in item.text(0)

    def rename(answer):
        answers.answer = answer
        editor = start_editing(qtbot, window, pointer)
        qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(editor, "ledger")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: any(kind == "warning" for kind, _, _ in answers.shown))

    rename(QMessageBox.StandardButton.Cancel)
    kind, title, text = answers.shown[-1]
    assert "Changing DatabaseName replaces AuroraDBCluster" in text
    assert "with UpdateReplacePolicy Delete the old database cluster and its data are deleted" in text
    assert window.session.document.data["Resources"]["AuroraDBCluster"]["Properties"]["DatabaseName"] == "transactions"
    assert window.session.undo_stack.count() == 0
    answers.shown.clear()
    rename(QMessageBox.StandardButton.Apply)
    assert window.session.document.data["Resources"]["AuroraDBCluster"]["Properties"]["DatabaseName"] == "ledger"


def test_reference_jumps_to_its_target(qtbot, window, example):
    open_and_lint(qtbot, window, example)
    select(window, "TransactionProcessorFunction")
    item = next(i for i in window.properties._items() if i.data(0, Qt.ItemDataRole.UserRole + 20).endswith("/Role"))
    assert item.text(1) == "GetAtt → LambdaExecutionRole.Arn"
    window.properties.tree.itemDoubleClicked.emit(item, 1)
    assert window.tree.currentIndex().data(POINTER_ROLE) == "/Resources/LambdaExecutionRole"


def test_settings_remember_recent_files_and_profile(qtbot, example):
    first = MainWindow()
    qtbot.addWidget(first)
    first.open_path(str(example))
    first.profile_box.setCurrentIndex(first.profile_box.findData("financial-services"))
    first.profile_box.activated.emit(first.profile_box.currentIndex())
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.recent.paths() == [str(example)]
    assert second.session.profile.name == "financial-services"
    # One list, shown by the start page and by File > Open Recent:
    listed = second.start_page.recent_list
    assert listed.model() is second.recent and listed.model().index(0, 0).data(PATH_ROLE) == str(example)
    assert [action.text() for action in second.recent_menu.actions()] == [str(example)]
    with qtbot.waitSignal(second.session.opened):
        second.recent_menu.actions()[0].trigger()
    assert second.session.file_path == str(example)
    second.close()


def test_drop_a_file_to_open_it(qtbot, window, example):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(example))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.session.opened):
        window.dropEvent(event)
    assert window.session.document.path == str(example)


def test_change_on_disk_offers_a_reload(qtbot, window, example, answers):
    open_and_lint(qtbot, window, example)
    answers.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(window.controller.disk_checked, check_params_cb=lambda found: found is DiskCheck.CHANGED,
                          timeout=10_000):
        example.write_text(example.read_text().replace('"DeletionPolicy": "Delete"', '"DeletionPolicy": "Snapshot"'))
    assert answers.titles() == ["File changed on disk"]
    assert window.session.document.data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Snapshot"
    assert not window.isWindowModified()
