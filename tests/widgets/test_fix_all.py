"""Fix All plans with the core (app.fixing.plan): overlapping fixes are planned again, not
dropped; what cannot be applied is listed with its reason; Apply is one undo step."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox

import widgets.fix_preview
from app.analysis import analyse
from app.core.diffs import unified_diff
from tests.widgets.helpers import open_and_lint, reactivate, when_shown
from widgets.fix_preview import REFRESH_DELAY_MS, FixPreview

DASHBOARD_TEMPLATE = """\
# Orders: a table, a queue, and a dashboard that shows neither yet
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  OrderQueue:
    Type: AWS::SQS::Queue
  Dashboard:
    Type: AWS::CloudWatch::Dashboard
    Properties:
      DashboardBody: !Sub '{"widgets": []}'  # filled in by CD5001's fixes
"""
# The second fix here re-states the policies the first one sets: the plan finds it resolved.
BARE_BUCKET = """\
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
"""


def run_fix_all(qtbot, window, finish, choose=None):
    """Open Fix All with its shortcut, let ``choose(dialog)`` change the ticks, wait for
    the preview to follow them, note what it shows, and ``finish(dialog)``."""
    seen = {}

    def look_and_finish(dialog):
        seen["diff"] = dialog.diff.toPlainText()
        seen["skipped"] = [dialog.skipped.item(i).text() for i in range(dialog.skipped.count())]
        seen["skipped_shown"] = dialog.skipped_box.isVisibleTo(dialog)
        seen["summary"] = dialog.summary.text()
        seen["ticked"] = len(dialog.ticked())
        finish(dialog)

    def answer(dialog):
        if choose is not None:
            choose(dialog)
        QTimer.singleShot(REFRESH_DELAY_MS + 100, lambda: look_and_finish(dialog))

    when_shown(FixPreview, answer)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    reactivate(qtbot, window)
    return seen


def untick_all_but(dialog, rule):
    for i in range(dialog.checklist.count()):
        item = dialog.checklist.item(i)
        finding, _ = item.data(Qt.ItemDataRole.UserRole + 30)
        item.setCheckState(Qt.CheckState.Checked if finding.rule == rule else Qt.CheckState.Unchecked)


def click_apply(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()


def test_two_fixes_of_one_dashboard_body_both_apply_as_one_step(qtbot, window, tmp_path):
    path = tmp_path / "orders.yaml"
    path.write_text(DASHBOARD_TEMPLATE)
    open_and_lint(qtbot, window, path)

    seen = run_fix_all(qtbot, window, click_apply, choose=lambda dialog: untick_all_but(dialog, "CD5001"))
    document = window.session.document
    body = json.loads(document.data["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"])
    namespaces = {metric[0] for widget in body["widgets"] for metric in widget["properties"]["metrics"]}
    assert namespaces == {"AWS/DynamoDB", "AWS/SQS"}
    assert not seen["skipped_shown"] and "2 fixes apply" in seen["summary"]
    assert window.session.undo_stack.count() == 1
    assert "# Orders: a table" in document.text

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert document.text == DASHBOARD_TEMPLATE
    assert not window.isWindowModified()


def test_the_preview_shows_exactly_what_apply_does(qtbot, window, tmp_path):
    path = tmp_path / "orders.yaml"
    path.write_text(DASHBOARD_TEMPLATE)
    open_and_lint(qtbot, window, path)
    seen = run_fix_all(qtbot, window, click_apply)
    applied = window.session.document.text
    assert seen["diff"] == unified_diff(DASHBOARD_TEMPLATE, applied, "a/orders.yaml", "b/orders.yaml")


def test_a_fix_the_plan_skips_is_listed_with_its_reason(qtbot, window, tmp_path, monkeypatch):
    # Both fixes of the bare bucket add its Properties: the encryption one waits for the
    # second pass, where (as this stand-in for the rules has it) the first fix resolved it.
    def analyse_as_if_resolved(document, profile):
        findings = analyse(document, profile)
        if "Properties" in document.data["Resources"]["Uploads"]:
            findings = [finding for finding in findings if finding.rule != "CD2003"]
        return findings

    monkeypatch.setattr(widgets.fix_preview, "analyse", analyse_as_if_resolved)
    path = tmp_path / "bucket.yaml"
    path.write_text(BARE_BUCKET)
    open_and_lint(qtbot, window, path)
    seen = run_fix_all(qtbot, window, lambda dialog: dialog.reject())
    assert seen["skipped_shown"]
    (skipped,) = seen["skipped"]
    assert "no longer needed: the fixes applied before it resolved it" in skipped
    assert f"{seen['ticked'] - 1} fix" in seen["summary"] and "1 not applied" in seen["summary"]
    assert window.session.undo_stack.count() == 0  # cancelled: nothing changed
