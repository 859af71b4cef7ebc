"""Editing values in the property table, failed edits, and what an edit loses: the user
is told, and nothing is lost, misplaced or dropped silently."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QPlainTextEdit

import app.core.yaml_splice
import app.core.yaml_writer
from app.core.document import Document
from app.core.edits import Set
from app.core.errors import EditError
from tests.widgets.helpers import open_and_lint, start_editing
from widgets.value_editor import POINTER, VALUE

LONG = "Payments ledger " + "x" * 184  # 200 characters: more than a cell shows
assert len(LONG) == 200
ZIP_FILE = 'import json\n\n\ndef handler(event, context):\n    return {"ok": True}\n'
TEMPLATE = f"""# Payments stack
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: {LONG}
      KmsMasterKeyId: '012'
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 5  # seconds
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/handler
      Code:
        ZipFile: |
{''.join(line if line == chr(10) else '          ' + line for line in ZIP_FILE.splitlines(keepends=True))}"""


@pytest.fixture(autouse=True)
def _no_real_prompts(answers):
    """A prompt nobody expected fails the test instead of waiting for a click."""
    return answers


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "payments.yaml"
    path.write_text(TEMPLATE)
    assert Document.open(str(path)).data["Resources"]["Handler"]["Properties"]["Code"]["ZipFile"] == ZIP_FILE
    return path


def edit_committed(qtbot, window, pointer, before):
    """Wait until the value at ``pointer`` is no longer ``before`` (the edit is applied
    once the editor has closed)."""
    def changed():
        parts = pointer.strip("/").split("/")
        value = window.session.document.data
        for part in parts:
            value = value[part]
        return value != before
    qtbot.waitUntil(changed)


def saved_data(qtbot, window, path):
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.isWindowModified()
    return Document.open(str(path)).data


def test_a_long_value_is_edited_whole(qtbot, window, template):
    open_and_lint(qtbot, window, template)
    window.select_resource("Alerts")
    pointer = "/Resources/Alerts/Properties/DisplayName"
    editor = start_editing(qtbot, window, pointer)
    assert isinstance(editor, QLineEdit) and editor.text() == LONG
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, "!")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    edit_committed(qtbot, window, pointer, LONG)
    saved = saved_data(qtbot, window, template)["Resources"]["Alerts"]["Properties"]["DisplayName"]
    assert saved == LONG + "!" and len(saved) == 201
    assert "# Payments stack" in template.read_text()


def test_a_multi_line_value_keeps_its_line_breaks(qtbot, window, template):
    open_and_lint(qtbot, window, template)
    window.select_resource("Handler")
    pointer = "/Resources/Handler/Properties/Code/ZipFile"
    editor = start_editing(qtbot, window, pointer)
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == ZIP_FILE
    assert editor.height() > 3 * editor.fontMetrics().lineSpacing()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # a line break in the text, not the end of the edit
    qtbot.keyClicks(editor, "# audited")
    assert window.session.undo_stack.count() == 0
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    edit_committed(qtbot, window, pointer, ZIP_FILE)
    saved = saved_data(qtbot, window, template)["Resources"]["Handler"]["Properties"]["Code"]["ZipFile"]
    assert saved == ZIP_FILE + "\n# audited"
    assert "⏎" not in template.read_text()
    assert "          # audited\n" in template.read_text()  # still a block of real lines


def test_results_arriving_while_typing_do_not_close_the_editor(qtbot, window, template):
    open_and_lint(qtbot, window, template)
    window.select_resource("Alerts")
    pointer = "/Resources/Alerts/Properties/DisplayName"
    editor = start_editing(qtbot, window, pointer)
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, " and")
    window.session.findings_changed.emit()  # what cfn-lint finishing in the background does
    qtbot.keyClicks(editor, " more")
    assert editor.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    edit_committed(qtbot, window, pointer, LONG)
    assert window.session.document.data["Resources"]["Alerts"]["Properties"]["DisplayName"] == LONG + " and more"

    def table_shows_the_new_value():  # the table was filled again once the editor closed
        item = next(i for i in window.properties._items() if i.data(0, POINTER) == pointer)
        return item.data(0, VALUE) == LONG + " and more"
    qtbot.waitUntil(table_shows_the_new_value)


def test_save_while_typing_saves_what_was_typed(qtbot, window, template):
    open_and_lint(qtbot, window, template)
    window.select_resource("Alerts")
    editor = start_editing(qtbot, window, "/Resources/Alerts/Properties/DisplayName")
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, " (EU)")
    saved = saved_data(qtbot, window, template)  # Ctrl+S with the editor still open
    assert saved["Resources"]["Alerts"]["Properties"]["DisplayName"] == LONG + " (EU)"
    assert window.session.undo_stack.count() == 1


def test_escape_cancels_a_multi_line_edit(qtbot, window, template):
    open_and_lint(qtbot, window, template)
    window.select_resource("Handler")
    editor = start_editing(qtbot, window, "/Resources/Handler/Properties/Code/ZipFile")
    qtbot.keyClicks(editor, "junk")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    QApplication.processEvents()  # an edit is applied by a queued call: it would have run now
    assert window.session.undo_stack.count() == 0
    assert window.session.document.data["Resources"]["Handler"]["Properties"]["Code"]["ZipFile"] == ZIP_FILE


@pytest.mark.parametrize(("pointer", "before", "typed", "after"), [
    ("/Resources/Alerts/Properties/KmsMasterKeyId", "012", "3", "0123"),  # a string stays the string typed
    ("/Resources/Queue/Properties/DelaySeconds", 5, "0", 50),  # a number stays a number
])
def test_the_type_of_a_value_is_kept(qtbot, window, template, pointer, before, typed, after):
    open_and_lint(qtbot, window, template)
    window.select_resource(pointer.split("/")[2])
    editor = start_editing(qtbot, window, pointer)
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, typed)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    edit_committed(qtbot, window, pointer, before)
    value = window.session.document.data["Resources"][pointer.split("/")[2]]["Properties"][pointer.split("/")[-1]]
    assert value == after and type(value) is type(after)


def test_a_value_opened_and_left_unchanged_is_no_edit(qtbot, window, template):
    open_and_lint(qtbot, window, template)
    window.select_resource("Alerts")
    editor = start_editing(qtbot, window, "/Resources/Alerts/Properties/DisplayName")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # an edit is applied by a queued call: it would have run now
    assert window.session.undo_stack.count() == 0 and not window.isWindowModified()


def refuse_yaml_writes(monkeypatch):
    """Every way the document could write YAML fails, as for a value no writer handles."""
    def fail(*args, **kwargs):
        raise ValueError("cannot write this value")
    monkeypatch.setattr(app.core.yaml_splice.Splicer, "apply", fail)
    monkeypatch.setattr(app.core.yaml_writer, "dump", fail)


def test_a_refused_edit_leaves_the_undo_stack_as_it_was(qtbot, window, template, answers, monkeypatch):
    open_and_lint(qtbot, window, template)
    window.select_resource("Alerts")
    stack = window.session.undo_stack
    pointer = "/Resources/Alerts/Properties/KmsMasterKeyId"

    def type_into_key_id(text):
        editor = start_editing(qtbot, window, pointer)
        qtbot.keyClick(editor, Qt.Key.Key_End)
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)

    def assert_refused(count, clean, text):
        qtbot.waitUntil(lambda: len(answers.shown) == 1)
        assert answers.shown[0][:2] == ("warning", "Cannot apply") and "cannot be written" in answers.shown[0][2]
        state = (stack.count(), stack.index(), stack.isClean(), window.isWindowModified())
        assert state == (count, count, clean, not clean)
        assert window.session.document.text == text
        answers.shown.clear()

    with monkeypatch.context() as patch:
        refuse_yaml_writes(patch)
        type_into_key_id("4")
        assert_refused(0, True, TEMPLATE)
        assert not window.action_set.by_id["undo"].isEnabled()
    type_into_key_id("5")
    edit_committed(qtbot, window, pointer, "012")
    edited = window.session.document.text
    with monkeypatch.context() as patch:
        refuse_yaml_writes(patch)
        type_into_key_id("6")
        assert_refused(1, False, edited)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undoes the edit that was made
    assert window.session.document.text == TEMPLATE and not window.isWindowModified()


def test_a_refused_undo_leaves_the_undo_stack_as_it_was(qtbot, window, template, answers, monkeypatch):
    open_and_lint(qtbot, window, template)
    window.controller.apply([Set("/Resources/Queue/Properties/DelaySeconds", 9)], "Set DelaySeconds")
    edited = window.session.document.text

    def refuse(self, edits):
        raise EditError("the document refuses")

    with monkeypatch.context() as patch:
        patch.setattr(Document, "apply", refuse)
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert answers.shown == [("warning", "Cannot undo", "the document refuses")]
    stack = window.session.undo_stack
    assert (stack.count(), stack.index(), window.isWindowModified()) == (1, 1, True)
    assert window.session.document.text == edited
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.text == TEMPLATE and stack.index() == 0
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.session.document.text == edited and stack.index() == 1


def test_an_edit_that_loses_comments_is_reported_when_it_happens(qtbot, window, template, monkeypatch):
    open_and_lint(qtbot, window, template)

    def fail(*args, **kwargs):
        raise ValueError("no splice")

    monkeypatch.setattr(app.core.yaml_splice.Splicer, "apply", fail)
    window.select_resource("Queue")
    editor = start_editing(qtbot, window, "/Resources/Queue/Properties/DelaySeconds")
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, "0")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.undo_stack.count() == 1)
    assert "comments are lost" in window.statusBar().currentMessage()
    notice = window.warning_notice
    assert notice.isVisible() and "comments are lost" in notice.text()
    assert QApplication.activeWindow() is window  # the notice does not take the keyboard away
    qtbot.mouseClick(notice.close_button, Qt.MouseButton.LeftButton)
    window.statusBar().clearMessage()

    window.controller.apply([Set("/Resources/Queue/Properties/DelaySeconds", 7)], "Set DelaySeconds")
    assert "comments are lost" in window.statusBar().currentMessage()
    assert not notice.isVisible()  # once per document
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.text == TEMPLATE  # undo puts the comments back


def test_a_key_added_to_a_resource_without_properties_creates_them(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "queue.yaml"
    path.write_text("Resources:\n  Queue:\n    Type: AWS::SQS::Queue  # no properties yet\n")
    open_and_lint(qtbot, window, path)
    window.select_resource("Queue")
    typed = iter([("DelaySeconds", True), ("5", True)])  # the key, then its value
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: next(typed))
    window.properties._add_key("/Resources/Queue/Properties", {})  # what "Add key…" on the empty table does
    assert window.session.document.data["Resources"]["Queue"]["Properties"] == {"DelaySeconds": 5}
    assert "# no properties yet" in window.session.document.text
    assert window.session.undo_stack.count() == 1
