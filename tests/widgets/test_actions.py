"""The action table drives the menus and the toolbar: what they hold, in which order, with
which keys, and when each action is enabled."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from app.core.edits import Set
from tests.widgets.helpers import open_and_lint
from widgets.actions import ACTIONS, MENUS, TOOLBAR, ActionSpec, Slot

SEPARATOR = "----"
Key = QKeySequence.StandardKey


def first_key(key: Key) -> str:
    bindings = QKeySequence.keyBindings(key)
    return bindings[0].toString() if bindings else ""


def expected_menu_bar() -> dict[str, list]:
    """The menus as the editor has always had them: text, then the key the menu shows (a
    function: the platform's keys are known once the application runs)."""
    return {
        "&File": [("&Open…", "Ctrl+O"), ("Open &Example", ""), ("Open &Recent", ""), SEPARATOR,
                  ("&Save", "Ctrl+S"), ("Save &As…", "Ctrl+Shift+S"), ("Export as &YAML…", ""),
                  ("Export as &JSON…", ""), ("&Reload from Disk", ""), SEPARATOR, ("&Quit", first_key(Key.Quit))],
        "&Edit": [("&Undo", "Ctrl+Z"), ("&Redo", "Ctrl+Shift+Z"), SEPARATOR, ("&Fix All…", "Ctrl+Shift+F")],
        "&Navigate": [("&Next Finding", "F8"), ("&Previous Finding", "Shift+F8"), ("&Filter Resources", "Ctrl+F"),
                      ("Show &Changes", "Ctrl+Shift+I")],
        "&View": [("Template", ""), ("Findings", ""), ("Changes", "")],
        "&Help": [("&Rule Reference", "")],
    }


TOOLBAR_ITEMS = ["&Open…", "&Save", "&Undo", "&Redo", "&Fix All…", SEPARATOR, "QLabel", "ProfileChooser"]


def shown(action: QAction) -> tuple[str, str] | str:
    return SEPARATOR if action.isSeparator() else (action.text(), action.shortcut().toString())


def menu_bar(window) -> dict[str, list]:
    return {top.text(): [shown(action) for action in top.menu().actions()] for top in window.menuBar().actions()}


def toolbar_items(window) -> list[str]:
    toolbar = window.action_set.toolbar
    return [SEPARATOR if action.isSeparator() else action.text() or type(toolbar.widgetForAction(action)).__name__
            for action in toolbar.actions()]


def test_the_menus_and_the_toolbar_keep_their_items_order_and_keys(window):
    assert menu_bar(window) == expected_menu_bar()
    assert toolbar_items(window) == TOOLBAR_ITEMS
    redo = window.action_set.by_id["redo"].shortcuts()
    assert all(key in redo for key in QKeySequence.keyBindings(Key.Redo))  # Ctrl+Y too, where it is Redo
    assert all(key in window.action_set.by_id["undo"].shortcuts() for key in QKeySequence.keyBindings(Key.Undo))


def test_the_menus_and_the_toolbar_hold_what_the_table_declares(window):
    """Read back from the table: an entry an item, each in its place, once."""
    expected_menus: dict[str, list] = {name: [] for name in MENUS}
    expected_toolbar: list = []
    for entry in ACTIONS:
        place = expected_toolbar if isinstance(entry, Slot) and entry.place == TOOLBAR else \
            expected_menus[entry.menu if isinstance(entry, ActionSpec) else entry.place]
        if entry.separator_before:
            place.append(SEPARATOR)
        if isinstance(entry, Slot):
            place.extend(entry.items(window))
            continue
        action = window.action_set.by_id[entry.id]
        assert action.objectName() == entry.id
        place.append(action)
        if entry.toolbar:
            expected_toolbar.append(action)

    def item(action: QAction) -> object:
        return SEPARATOR if action.isSeparator() else action.menu() or action

    def tool(action: QAction) -> object:
        if action.isSeparator():
            return SEPARATOR
        bound = action in window.action_set.by_id.values()
        return action if bound else window.action_set.toolbar.widgetForAction(action)  # a widget put there

    assert [top.text() for top in window.menuBar().actions()] == list(MENUS)
    actual_menus = {top.text(): [item(action) for action in top.menu().actions()] for top in window.menuBar().actions()}
    assert actual_menus == expected_menus
    assert [tool(action) for action in window.action_set.toolbar.actions()] == expected_toolbar
    ids = [entry.id for entry in ACTIONS]
    assert len(ids) == len(set(ids))


def enabled(window) -> set[str]:
    return {name for name, action in window.action_set.by_id.items() if action.isEnabled()}


def test_enablement_follows_the_document_and_the_undo_stack(qtbot, window, example):
    always = {"open", "open-example", "quit", "rules"}
    assert enabled(window) == always
    open_and_lint(qtbot, window, example)
    assert enabled(window) == set(window.action_set.by_id) - {"undo", "redo"}
    undo, redo = window.action_set.by_id["undo"], window.action_set.by_id["redo"]
    window.controller.apply([Set("/Resources/AuroraDBCluster/DeletionPolicy", "Retain")], "Set the policy")
    assert undo.isEnabled() and not redo.isEnabled()
    assert undo.text() == "&Undo Set the policy" and redo.text() == "&Redo"
    undo.trigger()
    assert redo.isEnabled() and not undo.isEnabled()
    assert undo.text() == "&Undo" and redo.text() == "&Redo Set the policy"
    assert window.session.document.data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Delete"
    redo.trigger()
    assert window.session.document.data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"


def test_the_recent_files_menu_follows_the_model(qtbot, window, example):
    recent = window.recent_menu
    assert not recent.isEnabled() and recent.actions() == []
    open_and_lint(qtbot, window, example)
    assert recent.isEnabled() and [action.text() for action in recent.actions()] == [str(example)]
