"""Menu and toolbar actions, declared once as data (napari's app-model): what each one
does, where it shows, its keys and when it is enabled.  :class:`ActionSet` binds the table
to a window; the menus and the toolbar hold exactly what the table says, in its order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from widgets.controller import DocumentController
from widgets.findings_panel import FindingsPanel
from widgets.fix_commands import FixCommands

MENUS = ("&File", "&Edit", "&Navigate", "&View", "&Help")
TOOLBAR = "toolbar"  # a Slot's place: the toolbar rather than a menu
Key = QKeySequence.StandardKey
#: A standard key stands for every sequence the platform binds to it; a string is one sequence.
Shortcut = Key | str


class Editor(Protocol):
    """What the actions act on; the main window is one."""

    @property
    def controller(self) -> DocumentController: ...

    @property
    def fixes(self) -> FixCommands: ...

    @property
    def findings(self) -> FindingsPanel: ...

    @property
    def recent_menu(self) -> QMenu: ...

    def focus_filter(self) -> None: ...

    def show_changes(self) -> None: ...

    def show_rules(self) -> None: ...

    def close(self) -> bool: ...

    def dock_toggles(self) -> list[QAction]: ...

    def profile_widgets(self) -> list[QWidget]: ...


@dataclass(frozen=True)
class EditorState:
    """What enablement (and the Undo and Redo texts) follow."""

    has_document: bool = False
    can_undo: bool = False
    can_redo: bool = False
    undo_text: str = ""
    redo_text: str = ""


def always(state: EditorState) -> bool:
    return True


def with_document(state: EditorState) -> bool:
    return state.has_document


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    menu: str
    run: Callable[[Editor], object]
    shortcuts: tuple[Shortcut, ...] = ()
    enabled: Callable[[EditorState], bool] = with_document
    toolbar: bool = False
    separator_before: bool = False
    #: added to the text as the state changes (the step that Undo and Redo would take)
    detail: Callable[[EditorState], str] | None = None


@dataclass(frozen=True)
class Slot:
    """A place in a menu, or in the toolbar, for items the window makes: the recent files,
    the docks' toggles, the profile chooser."""

    id: str
    place: str  # a menu, or TOOLBAR
    items: Callable[[Editor], Sequence[QAction | QMenu | QWidget]]
    separator_before: bool = False


ACTIONS: tuple[ActionSpec | Slot, ...] = (
    ActionSpec("open", "&Open…", "&File", lambda e: e.controller.choose_and_open(), (Key.Open,),
               enabled=always, toolbar=True),
    ActionSpec("open-example", "Open &Example", "&File", lambda e: e.controller.open_example(), enabled=always),
    Slot("recent", "&File", lambda e: [e.recent_menu]),
    ActionSpec("save", "&Save", "&File", lambda e: e.controller.save(), (Key.Save,), toolbar=True,
               separator_before=True),
    ActionSpec("save-as", "Save &As…", "&File", lambda e: e.controller.save_as(), (Key.SaveAs,)),
    ActionSpec("export-yaml", "Export as &YAML…", "&File", lambda e: e.controller.export("yaml")),
    ActionSpec("export-json", "Export as &JSON…", "&File", lambda e: e.controller.export("json")),
    ActionSpec("reload", "&Reload from Disk", "&File", lambda e: e.controller.reload()),
    ActionSpec("quit", "&Quit", "&File", lambda e: e.close(), (Key.Quit,), enabled=always,
               separator_before=True),
    ActionSpec("undo", "&Undo", "&Edit", lambda e: e.controller.undo(), (Key.Undo,),
               enabled=lambda s: s.can_undo, toolbar=True, detail=lambda s: s.undo_text),
    # Ctrl+Shift+Z first, as the README has it: it is one of the platform's Redo keys everywhere.
    ActionSpec("redo", "&Redo", "&Edit", lambda e: e.controller.redo(), ("Ctrl+Shift+Z", Key.Redo),
               enabled=lambda s: s.can_redo, toolbar=True, detail=lambda s: s.redo_text),
    ActionSpec("fix-all", "&Fix All…", "&Edit", lambda e: e.fixes.fix_all(), ("Ctrl+Shift+F",), toolbar=True,
               separator_before=True),
    ActionSpec("next-finding", "&Next Finding", "&Navigate", lambda e: e.findings.step(True), ("F8",)),
    ActionSpec("previous-finding", "&Previous Finding", "&Navigate", lambda e: e.findings.step(False), ("Shift+F8",)),
    ActionSpec("find", "&Filter Resources", "&Navigate", lambda e: e.focus_filter(), (Key.Find,)),
    ActionSpec("changes", "Show &Changes", "&Navigate", lambda e: e.show_changes(), ("Ctrl+Shift+I",)),
    Slot("docks", "&View", lambda e: e.dock_toggles()),
    ActionSpec("rules", "&Rule Reference", "&Help", lambda e: e.show_rules(), enabled=always),
    Slot("profile", TOOLBAR, lambda e: e.profile_widgets(), separator_before=True),
)


def key_sequences(shortcuts: Iterable[Shortcut]) -> list[QKeySequence]:
    """The sequences of ``shortcuts`` in order, each once."""
    found: list[QKeySequence] = []
    for shortcut in shortcuts:
        sequences = QKeySequence.keyBindings(shortcut) if isinstance(shortcut, Key) else [QKeySequence(shortcut)]
        found.extend(sequence for sequence in sequences if sequence not in found)
    return found


class ActionSet:
    """The table bound to one window: its menus, its toolbar, and an action an entry."""

    def __init__(self, window: QMainWindow, editor: Editor, table: Sequence[ActionSpec | Slot] = ACTIONS) -> None:
        self.menus = {name: window.menuBar().addMenu(name) for name in MENUS}
        self.toolbar = window.addToolBar("Main")
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.by_id: dict[str, QAction] = {}
        self._specs: list[ActionSpec] = []
        for entry in table:
            container = self.toolbar if isinstance(entry, Slot) and entry.place == TOOLBAR else self.menus[_menu(entry)]
            if entry.separator_before:
                container.addSeparator()
            if isinstance(entry, Slot):
                for item in entry.items(editor):
                    _add(container, item)
            else:
                action = self._bind(entry, editor, window)
                container.addAction(action)
                if entry.toolbar:
                    self.toolbar.addAction(action)

    def _bind(self, spec: ActionSpec, editor: Editor, owner: QWidget) -> QAction:
        action = QAction(spec.text, owner)
        action.setObjectName(spec.id)
        action.setShortcuts(key_sequences(spec.shortcuts))
        action.triggered.connect(lambda _checked=False: spec.run(editor))  # drops `checked`
        self.by_id[spec.id] = action
        self._specs.append(spec)
        return action

    def update(self, state: EditorState) -> None:
        for spec in self._specs:
            action = self.by_id[spec.id]
            action.setEnabled(spec.enabled(state))
            if spec.detail is not None:
                action.setText(f"{spec.text} {spec.detail(state)}".strip())


def _menu(entry: ActionSpec | Slot) -> str:
    return entry.menu if isinstance(entry, ActionSpec) else entry.place


def _add(container: QMenu | QToolBar, item: QAction | QMenu | QWidget) -> None:
    if isinstance(item, QMenu) and isinstance(container, QMenu):
        container.addMenu(item)
    elif isinstance(item, QAction):
        container.addAction(item)
    elif isinstance(container, QToolBar):
        container.addWidget(item)
    else:
        raise TypeError(f"a menu cannot hold {type(item).__name__}")
