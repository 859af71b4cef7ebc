"""The window's answers to the controller: message boxes, file dialogs, the recovery
dialog and the status bar (the :class:`~widgets.prompter.Prompter` with widgets)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from app.core.loading import Format
from app.impact import Change
from app.impact_report import action_words
from rules.registry import RULES
from widgets.prompter import Choice, RecoveryOffer, UnsavedChoice
from widgets.recovery import RecoveryDialog

FORMAT_FILTERS: dict[Format, str] = {"yaml": "YAML (*.yaml *.yml)", "json": "JSON (*.json)"}
TEMPLATE_FILTERS = "CloudFormation templates (*.yaml *.yml *.json *.template);;All files (*)"
STATUS_MS = 8000
WARNING_STATUS_MS = 20000
LOSSES_LISTED = 8  # more would not fit a message box; the Changes panel lists every one
Button = QMessageBox.StandardButton


class DialogPrompter:
    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        self.recovery_dialog: RecoveryDialog | None = None  # the offer on screen

    def ask_yes_no(self, title: str, text: str, *, default: bool) -> bool:
        answer = QMessageBox.question(self._window, title, text, Button.Yes | Button.No,
                                      Button.Yes if default else Button.No)
        return answer == Button.Yes

    def ask_unsaved(self, name: str) -> UnsavedChoice:
        answer = QMessageBox.question(self._window, "Unsaved changes", f"Save the changes to {name}?",
                                      Button.Save | Button.Discard | Button.Cancel, Button.Save)
        return {Button.Save: UnsavedChoice.SAVE, Button.Discard: UnsavedChoice.DISCARD}.get(answer,
                                                                                          UnsavedChoice.CANCEL)

    def ask_save_losing_data(self, name: str, losses: Sequence[Change]) -> bool:
        answer = QMessageBox.warning(self._window, "Saving loses data", losing_data_text(name, losses),
                                     Button.Save | Button.Cancel, Button.Cancel)
        return answer == Button.Save

    def ask_open_path(self, folder: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self._window, "Open template", folder, TEMPLATE_FILTERS)
        return path or None

    def ask_save_path(self, title: str, suggested: str, formats: Sequence[Format]) -> tuple[str, Format] | None:
        filters = [FORMAT_FILTERS[format] for format in formats]
        path, chosen = QFileDialog.getSaveFileName(self._window, title, suggested, ";;".join(filters), filters[0])
        if not path:
            return None
        return path, next((format for format in formats if FORMAT_FILTERS[format] == chosen), formats[0])

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.critical(self._window, title, text)

    def show_warning(self, title: str, text: str) -> None:
        QMessageBox.warning(self._window, title, text)

    def show_status(self, text: str, *, warning: bool = False) -> None:
        self._window.statusBar().showMessage(text, WARNING_STATUS_MS if warning else STATUS_MS)

    def offer_recovery(self, offer: RecoveryOffer, answer: Callable[[Choice], None]) -> None:
        dialog = RecoveryDialog(offer, self._window)
        dialog.finished.connect(lambda _result: self._recovery_answered(dialog, answer))
        self.recovery_dialog = dialog
        dialog.open()  # window-modal, without a nested event loop

    def _recovery_answered(self, dialog: RecoveryDialog, answer: Callable[[Choice], None]) -> None:
        self.recovery_dialog = None
        dialog.deleteLater()
        answer(dialog.choice)


def losing_data_text(name: str, losses: Sequence[Change]) -> str:
    listed = [f"• {_loss(change)}" for change in losses[:LOSSES_LISTED]]
    if len(losses) > LOSSES_LISTED:
        listed.append(f"• and {len(losses) - LOSSES_LISTED} more: the Changes panel lists them all")
    return (f"Deployed over a stack made from {name} as it is on disk, these changes lose data:\n\n"
            + "\n".join(listed) + "\n\nSave anyway?")


def _loss(change: Change) -> str:
    """``Ledger (AWS::DynamoDB::Table), replace: TableName changed. The old table …``"""
    because = f": {'; '.join(change.causes)}" if change.causes else ""
    reason = f". {change.data_reason[:1].upper()}{change.data_reason[1:]}." if change.data_reason else ""
    return f"{change.resource} ({change.type}), {action_words(change)}{because}{reason}"


def show_rule_reference(parent: QWidget) -> None:
    text = "\n".join(f"{rule.id}  [{rule.severity.label}]  {rule.title}" for rule in RULES)
    QMessageBox.information(parent, "CFN Doctor rules", text + "\n\n`cfn-doctor rules ID` explains one.")
