"""Menu and toolbar actions, declared once as data and bound by the window."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    menu: str
    handler: str  # MainWindow method name
    shortcut: QKeySequence.StandardKey | str | None = None
    needs_document: bool = True
    toolbar: bool = False
    separator_before: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open", "&Open…", "&File", "open_dialog", QKeySequence.StandardKey.Open, needs_document=False, toolbar=True),
    ActionSpec("open-example", "Open &Example", "&File", "open_example", needs_document=False),
    ActionSpec("save", "&Save", "&File", "save", QKeySequence.StandardKey.Save, toolbar=True, separator_before=True),
    ActionSpec("save-as", "Save &As…", "&File", "save_as", QKeySequence.StandardKey.SaveAs),
    ActionSpec("export-yaml", "Export as &YAML…", "&File", "export_yaml"),
    ActionSpec("export-json", "Export as &JSON…", "&File", "export_json"),
    ActionSpec("reload", "&Reload from Disk", "&File", "reload"),
    ActionSpec("quit", "&Quit", "&File", "close", QKeySequence.StandardKey.Quit, needs_document=False, separator_before=True),
    ActionSpec("fix-all", "&Fix All…", "&Edit", "fix_all", "Ctrl+Shift+F", toolbar=True, separator_before=True),
    ActionSpec("next-finding", "&Next Finding", "&Navigate", "next_finding", "F8"),
    ActionSpec("previous-finding", "&Previous Finding", "&Navigate", "previous_finding", "Shift+F8"),
    ActionSpec("find", "&Filter Resources", "&Navigate", "focus_filter", QKeySequence.StandardKey.Find),
    ActionSpec("rules", "&Rule Reference", "&Help", "show_rules", needs_document=False),
)
