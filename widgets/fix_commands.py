"""Fixing from the views: one finding's fix (asking first when it is unsafe), Fix All
through its preview, and suppressing a rule.  The engine plans each change; the controller
applies it as one undo step."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.findings import Finding, Fix
from app.fixing import eligible
from app.suppressions import suppress_edits
from widgets.controller import DocumentController
from widgets.fix_preview import FixPreview


class FixCommands:
    def __init__(self, controller: DocumentController, parent: QWidget) -> None:
        self._controller = controller
        self._parent = parent

    def apply_fix(self, finding: Finding) -> None:
        fix = finding.fix
        if fix is not None and (fix.safety != "unsafe" or self._confirm_unsafe(fix)):
            self._controller.apply(fix.edits, fix.title)

    def _confirm_unsafe(self, fix: Fix) -> bool:
        buttons = QMessageBox.StandardButton.Apply | QMessageBox.StandardButton.Cancel
        answer = QMessageBox.warning(self._parent, "Unsafe fix", f"{fix.title}\n\n{fix.note}.\n\nApply it anyway?",
                                     buttons, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Apply

    def fix_all(self, rule: str | None = None) -> None:
        """Preview the fixes of every finding (of ``rule``'s only), and apply those ticked."""
        session = self._controller.session
        document = session.document
        if document is None:
            return
        candidates = eligible(session.own_findings, rules={rule} if rule else None, unsafe=True)
        if not candidates:
            QMessageBox.information(self._parent, "Fix all", "No finding has a fix to apply.")
            return
        dialog = FixPreview(document, session.profile, candidates, self._parent)
        accepted = dialog.exec()
        dialog.deleteLater()
        plan = dialog.plan
        if accepted and plan is not None and plan.edits:
            count = len(plan.applied)
            self._controller.apply(plan.edits, f"Fix {count} finding{'s' if count != 1 else ''}")

    def suppress(self, finding: Finding) -> None:
        document = self._controller.session.document
        if document is not None:
            edits = suppress_edits(document.data, finding.rule, finding.resource, finding.pointer)
            self._controller.apply(edits, f"Suppress {finding.rule} for {finding.resource or 'the template'}")
