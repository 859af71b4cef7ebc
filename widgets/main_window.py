"""The main window: template tree (left), property panel and source (centre), findings
(bottom); files, undo, fixes, profile and the background cfn-lint run."""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QDir, QFileSystemWatcher, QSettings, QSize, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core import pointer as jp
from app.core.atomic import is_read_only
from app.core.document import Document
from app.core.edits import Edit
from app.core.errors import EditError, TemplateError
from app.core.findings import Finding
from app.core.journal import Entry, Journal, digest, edits_between, file_digest
from app.core.loading import Format, decode, format_for_name, read_file
from app.fixing import eligible
from app.suppressions import suppress_edits
from resources import EXAMPLE
from rules import profiles
from widgets.actions import ACTIONS
from widgets.findings_panel import FindingsPanel
from widgets.fix_preview import FixPreview
from widgets.notice_bar import NoticeBar
from widgets.property_panel import PropertyPanel
from widgets.recovery import Choice, RecoveryDialog
from widgets.session import Session
from widgets.source_view import SourceView
from widgets.tree_model import POINTER_ROLE, TemplateFilter, TemplateTreeModel

APP_NAME = "CFN Doctor"
MAX_RECENT = 10
PROFILE_FILE = "__file__"
DATA_DIR_VARIABLE = "CFN_DOCTOR_DATA_DIR"  # where the crash-recovery journal lives (default: the app data folder)
FORMAT_FILTERS: dict[Format, str] = {"yaml": "YAML (*.yaml *.yml)", "json": "JSON (*.json)"}
DISK_CHECK_DELAY_MS = 150  # a checkout deletes and writes files in bursts: look once it settles
STATUS_MS = 8000
WARNING_STATUS_MS = 20000


def data_folder() -> str:
    location = QStandardPaths.StandardLocation.AppDataLocation
    return os.environ.get(DATA_DIR_VARIABLE) or QStandardPaths.writableLocation(location)


class MainWindow(QMainWindow):
    def __init__(self, *, restore_layout: bool = True) -> None:
        """``restore_layout=False`` starts from the default geometry and docks, and offers
        no edits to restore from the journal (for screenshots that must look the same on
        every machine)."""
        super().__init__()
        self._restore_layout = restore_layout
        self._offers_recovery = restore_layout
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.session = Session(self)
        self.settings = QSettings()
        self.journal = Journal(os.path.join(data_folder(), "journal"))
        self._journaled: set[str | None] = set()  # the keys of the entries this window wrote
        self._recovery_queue: list[Entry] = []
        self.recovery_dialog: RecoveryDialog | None = None
        self._warned_document: Document | None = None
        self._saving = False
        self._asking_about_disk = False
        self._disk_digest: str | None = None  # the file's content last seen (read, saved, or asked about)
        self._source_dirty = False
        self._closed = False
        self.actions_by_id: dict[str, QAction] = {}

        self.tree_model = TemplateTreeModel(self)
        self.tree_filter = TemplateFilter(self)
        self.tree_filter.setSourceModel(self.tree_model)
        self._build_tree_dock()
        self.properties = PropertyPanel()
        self.source = SourceView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.properties, "Properties")
        self.tabs.addTab(self.source, "Source")
        self.tabs.currentChanged.connect(lambda _: self._refresh_source())
        self.start_page = self._build_start_page()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.tabs)
        self.warning_notice = NoticeBar()
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(2)
        centre_layout.addWidget(self.warning_notice)
        centre_layout.addWidget(self.stack, 1)
        self.setCentralWidget(centre)
        self.findings = FindingsPanel()
        self.findings_dock = QDockWidget("Findings", self)
        self.findings_dock.setObjectName("findings-dock")
        self.findings_dock.setWidget(self.findings)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self._build_actions()
        self._build_status_bar()

        # The folder is watched too: a file deleted and written again (a checkout, an
        # editor's atomic save) drops off a file watch, and comes back as a folder change.
        self.watcher = QFileSystemWatcher(self)
        self._disk_check = QTimer(self)
        self._disk_check.setSingleShot(True)
        self._disk_check.setInterval(DISK_CHECK_DELAY_MS)
        self._disk_check.timeout.connect(self._check_disk)
        self.watcher.fileChanged.connect(lambda _: self._disk_check.start())
        self.watcher.directoryChanged.connect(lambda _: self._disk_check.start())
        self._connect()
        self._restore_settings()
        self._update_enabled()
        if self._offers_recovery:
            QTimer.singleShot(0, self._offer_journal)

    # -- construction --------------------------------------------------------------------
    def _build_tree_dock(self) -> None:
        self.filter_edit = QLineEdit(placeholderText="Filter by name or type…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.tree_filter.set_text)
        self.only_findings = QCheckBox("Only with findings")
        self.only_findings.toggled.connect(lambda _: self._apply_findings_filter())
        self.tree = QTreeView()
        self.tree.setModel(self.tree_filter)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(34)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 210)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 38)
        self.tree.selectionModel().currentChanged.connect(self._tree_selected)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.only_findings)
        layout.addWidget(self.tree)
        self.tree_dock = QDockWidget("Template", self)
        self.tree_dock.setObjectName("template-dock")
        self.tree_dock.setWidget(holder)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tree_dock)

    def _build_start_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(60, 50, 60, 50)
        title = QLabel("<h1>CFN Doctor</h1><p style='color:#616161'>Open a CloudFormation template (JSON or YAML) to see its "
                       "resources, what endangers their data, and one-click fixes.</p>")
        title.setWordWrap(True)
        layout.addWidget(title)
        buttons = QHBoxLayout()
        open_button = QPushButton("Open Template…")
        open_button.clicked.connect(self.open_dialog)
        example_button = QPushButton("Open Example")
        example_button.setObjectName("open-example")
        example_button.clicked.connect(self.open_example)
        buttons.addWidget(open_button)
        buttons.addWidget(example_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("<b>Recent files</b>"))
        self.recent_list = QListWidget()
        self.recent_list.itemActivated.connect(lambda item: item.data(Qt.ItemDataRole.UserRole) and self.open_path(item.data(Qt.ItemDataRole.UserRole)))
        layout.addWidget(self.recent_list, 1)
        return page

    def _build_actions(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menus: dict[str, Any] = {name: self.menuBar().addMenu(name) for name in ("&File", "&Edit", "&Navigate", "&View", "&Help")}
        stack = self.session.undo_stack
        undo = self._history_action("&Undo", [QKeySequence(QKeySequence.StandardKey.Undo)], self.undo)
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.undoTextChanged.connect(lambda text: undo.setText(f"&Undo {text}".strip()))
        redo = self._history_action("&Redo", [QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)], self.redo)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.redoTextChanged.connect(lambda text: redo.setText(f"&Redo {text}".strip()))
        self.actions_by_id.update({"undo": undo, "redo": redo})
        for spec in ACTIONS:
            menu = menus.get(spec.menu) or menus.setdefault(spec.menu, self.menuBar().addMenu(spec.menu))
            if spec.menu == "&Edit" and spec.id == "fix-all":
                menu.addAction(undo)
                menu.addAction(redo)
                toolbar.addAction(undo)
                toolbar.addAction(redo)
            if spec.separator_before:
                menu.addSeparator()
            action = QAction(spec.text, self)
            action.setObjectName(spec.id)
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            handler = getattr(self, spec.handler)
            action.triggered.connect(lambda _checked=False, run=handler: run())  # drop `checked`
            menu.addAction(action)
            if spec.toolbar:
                toolbar.addAction(action)
            self.actions_by_id[spec.id] = action
            if spec.id == "open-example":
                self.recent_menu = menu.addMenu("Open &Recent")
        view = menus["&View"]
        view.addAction(self.tree_dock.toggleViewAction())
        view.addAction(self.findings_dock.toggleViewAction())
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Profile: "))
        self.profile_box = QComboBox()
        self.profile_box.setObjectName("profile")
        for name in profiles.builtin_names():
            self.profile_box.addItem(name, name)
        self.profile_box.addItem("Profile file…", PROFILE_FILE)
        self.profile_box.activated.connect(lambda _: self._profile_chosen())
        toolbar.addWidget(self.profile_box)

    def _history_action(self, text: str, shortcuts: list[QKeySequence], step: Callable[[], None]) -> QAction:
        # Not QUndoStack.createUndoAction: its action moves the stack before the document
        # has taken the change, and a refused undo would leave the two apart.
        action = QAction(text, self)
        action.setShortcuts(shortcuts)
        action.setEnabled(False)
        action.triggered.connect(lambda _checked=False: step())
        return action

    def _build_status_bar(self) -> None:
        self.lint_label = QLabel("cfn-lint: idle")
        self.lint_progress = QProgressBar()
        self.lint_progress.setRange(0, 0)
        self.lint_progress.setMaximumSize(QSize(120, 14))
        self.lint_progress.setTextVisible(False)
        self.lint_progress.hide()
        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.lint_progress)
        self.statusBar().addPermanentWidget(self.lint_label)

    def _connect(self) -> None:
        session = self.session
        session.opened.connect(self._document_opened)
        session.edited.connect(self._document_edited)
        session.warned.connect(self._edit_warned)
        session.findings_changed.connect(self._findings_changed)
        session.lint_started.connect(self._lint_started)
        session.lint_idle.connect(self._lint_idle)
        session.undo_stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        # Both fire once the stack agrees with the document (after every edit, undo, redo,
        # save and open): the moment to bring the journal up to date.
        # (Bound methods, not lambdas: Qt drops the connections when the window goes, before
        # the stack's destructor clears it.)
        session.undo_stack.indexChanged.connect(self._update_journal)
        session.undo_stack.cleanChanged.connect(self._update_journal)
        self.properties.edit_requested.connect(self.apply_edits)
        self.properties.navigate.connect(self.select_resource)
        self.properties.fix_requested.connect(self.apply_fix)
        self.findings.navigate.connect(self.navigate_to)
        self.findings.fix_requested.connect(self.apply_fix)
        self.findings.fix_rule_requested.connect(self.fix_rule_everywhere)
        self.findings.suppress_requested.connect(self.suppress)
        self.findings.docs_requested.connect(lambda f: QDesktopServices.openUrl(QUrl(f.docs_url)))

    # -- settings ------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry") if self._restore_layout else None
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        state = self.settings.value("window/state") if self._restore_layout else None
        if isinstance(state, QByteArray):
            self.restoreState(state)
        else:
            self.resizeDocks([self.tree_dock], [520], Qt.Orientation.Horizontal)
            self.resizeDocks([self.findings_dock], [215], Qt.Orientation.Vertical)
        profile = str(self.settings.value("profile", "default"))
        try:
            self.session.set_profile(profile)
        except TemplateError:
            profile = "default"
        self._show_profile(profile)
        self._refresh_recent()

    def _save_settings(self) -> None:
        if not self._restore_layout:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]

    def _remember(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [path] + [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        self.recent_list.clear()
        for path in self.recent_files():
            self.recent_menu.addAction(path, lambda p=path: self.open_path(p))
            item = QListWidgetItem(f"{os.path.basename(path)}    —    {os.path.dirname(path)}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent_list.addItem(item)
        self.recent_menu.setEnabled(bool(self.recent_files()))
        if not self.recent_files():
            placeholder = QListWidgetItem("No recent files yet — open a template, or try the example.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent_list.addItem(placeholder)

    # -- files ---------------------------------------------------------------------------
    def open_dialog(self) -> None:
        if not self._may_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open template", self._folder(), "CloudFormation templates (*.yaml *.yml *.json *.template);;All files (*)")
        if path:
            self.open_path(path, confirmed=True)

    def open_example(self) -> None:
        self.open_path(str(EXAMPLE))

    def open_path(self, path: str, *, confirmed: bool = False) -> bool:
        """Open a template; a file that cannot be read gets a dialog and changes nothing.
        The bundled example opens as an untitled copy: its file is never written."""
        return (confirmed or self._may_discard()) and self._open(path)

    def _open(self, path: str, *, offer_journal: bool = True) -> bool:
        untitled = _is_example(path)
        try:
            self.session.open(path, untitled=untitled)
        except TemplateError as error:
            QMessageBox.critical(self, "Cannot open template", f"{error}")
            return False
        if not untitled:
            self._remember(path)
        if offer_journal and self._offers_recovery:
            self._offer_journal_of(self.session.file_path)
        return True

    def save(self) -> bool:
        self.properties.finish_editing()
        path = self.session.file_path
        if path is None:  # untitled: Save asks where, as Save As does
            return self.save_as()
        return self._write_file(path, lambda replace: self.session.save(replace_read_only=replace))

    def save_as(self) -> bool:
        self.properties.finish_editing()
        document = self.session.document
        assert document is not None
        own = FORMAT_FILTERS[document.format]
        filters = ";;".join([own] + [f for f in FORMAT_FILTERS.values() if f != own])
        path, chosen = QFileDialog.getSaveFileName(self, "Save template as", self._suggested_path(), filters, own)
        if not path:
            return False
        if _is_example(path):
            QMessageBox.critical(self, "Cannot save", f"{path} is the bundled example; choose another name.")
            return False
        # The name decides (x.yaml is YAML); a name that does not, the filter chosen.
        by_filter = next((f for f, text in FORMAT_FILTERS.items() if text == chosen), document.format)
        format = format_for_name(path) or by_filter
        if not self._write_file(path, lambda replace: self.session.save_as(path, format, replace_read_only=replace)):
            return False
        self._remember(path)
        return True

    def export_yaml(self) -> None:
        self._export("yaml")

    def export_json(self) -> None:
        self._export("json")

    def _export(self, format: Format) -> None:
        self.properties.finish_editing()
        stem = os.path.splitext(self._suggested_path())[0]
        path, _ = QFileDialog.getSaveFileName(self, f"Export as {format.upper()}", f"{stem}.{format}",
                                              FORMAT_FILTERS[format])
        if path and self._write_file(path, lambda replace: self.session.export(path, format,
                                                                               replace_read_only=replace)):
            self.statusBar().showMessage(f"Exported to {path}", STATUS_MS)

    def _write_file(self, path: str, write: Callable[[bool], None]) -> bool:
        """Run ``write(replace_read_only)`` for ``path``, asking first when the file is
        read-only; True if it was written, else the user was told why not."""
        read_only = is_read_only(path)
        if read_only and QMessageBox.question(
                self, "Read-only file", f"{os.path.basename(path)} is read-only. Replace it anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return False
        self._saving = True
        try:
            write(read_only)
        except TemplateError as error:
            QMessageBox.critical(self, "Cannot save", str(error))
            return False
        finally:
            self._saving = False
        if _same_file(path, self.session.file_path):  # our own write is no change by another program
            self._disk_digest = file_digest(path)
        self._watch()
        self._update_title()
        return True

    def reload(self) -> None:
        document = self.session.document
        if document is not None and self._may_discard():
            self.open_path(document.path, confirmed=True)

    def _may_discard(self) -> bool:
        """Ask before unsaved changes are lost; True to go on."""
        self.properties.finish_editing()
        if self.session.document is None or self.session.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to {self._display_name()}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _folder(self) -> str:
        path = self.session.file_path
        return os.path.dirname(path) if path else QDir.homePath()

    def _suggested_path(self) -> str:
        document = self.session.document
        assert document is not None
        return self.session.file_path or os.path.join(self._folder(), os.path.basename(document.path))

    def _display_name(self) -> str:
        document = self.session.document
        if document is None:
            return ""
        name = os.path.basename(document.path)
        return f"Untitled (example {name})" if self.session.untitled else name

    # -- changes on disk -----------------------------------------------------------------
    def _watch(self) -> None:
        watched = self.watcher.files() + self.watcher.directories()
        if watched:
            self.watcher.removePaths(watched)
        path = self.session.file_path
        if path is None:
            return
        existing = [p for p in (os.path.dirname(os.path.abspath(path)), path) if os.path.exists(p)]
        if existing:
            self.watcher.addPaths(existing)

    def _check_disk(self) -> None:
        path = self.session.file_path
        document = self.session.document
        if path is None or document is None or self._saving or self._asking_about_disk:
            return
        self._watch()  # takes the file up again if it came back
        try:
            raw = read_file(path)
        except TemplateError:
            self.statusBar().showMessage(f"{os.path.basename(path)} is gone from disk; Save writes it again.",
                                         STATUS_MS)
            return
        seen = digest(raw)
        if seen == self._disk_digest:
            return  # our own save, a touch, or a change the user was asked about already
        self._disk_digest = seen
        if raw.decode("utf-8", "replace").lstrip("\ufeff") == document.text:
            return
        self._asking_about_disk = True
        try:
            reload = self._ask_reload(path)
        finally:
            self._asking_about_disk = False
        if reload:
            self.open_path(path, confirmed=True)
        else:
            self._disk_check.start()  # it may have changed again while the question was open

    def _ask_reload(self, path: str) -> bool:
        name = os.path.basename(path)
        if self.session.undo_stack.isClean():
            text, default = f"{name} was changed by another program. Reload it?", QMessageBox.StandardButton.Yes
        else:
            # The default keeps the user's work: a stray Enter must not throw it away.
            text = (f"{name} was changed by another program, and you have unsaved changes.\n\n"
                    "Reload it and lose your unsaved changes? No keeps your version (saving it replaces "
                    "the other program's change).")
            default = QMessageBox.StandardButton.No
        answer = QMessageBox.question(self, "File changed on disk", text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, default)
        return answer == QMessageBox.StandardButton.Yes

    # -- crash recovery --------------------------------------------------------------------
    def _update_journal(self, *_signal_arguments: object) -> None:
        """Keep the document's unsaved text in the journal, and only while it is unsaved.
        Only entries this window wrote are discarded here: an entry left by an editor that
        was killed waits until it is offered."""
        key = self.session.file_path
        for stale in self._journaled - {key}:  # the document was replaced or saved under another name
            self.journal.discard(stale)
        self._journaled &= {key}
        document = self.session.document
        if document is None or self.session.undo_stack.isClean():
            self._forget_journal()
            return
        try:
            self.journal.record(key, document.text, document.format, self.session.base_digest)
        except TemplateError as error:
            self.statusBar().showMessage(f"Crash recovery cannot keep these edits: {error}", WARNING_STATUS_MS)
            return
        self._journaled = {key}

    def _forget_journal(self) -> None:
        for key in self._journaled:
            self.journal.discard(key)
        self._journaled.clear()

    def _offer_journal(self) -> None:
        self._queue_recovery(self.journal.entries())

    def _offer_journal_of(self, key: str | None) -> None:
        entry = self.journal.entry(key)
        if entry is not None and key not in self._journaled:
            self._queue_recovery([entry])

    def _queue_recovery(self, entries: list[Entry]) -> None:
        offered = {entry.path for entry in self._recovery_queue}
        if self.recovery_dialog is not None:
            offered.add(self.recovery_dialog.entry.path)
        skipped = offered | self._journaled  # already on offer, or this window's own live entry
        self._recovery_queue.extend(entry for entry in entries if entry.path not in skipped)
        self._offer_next_recovery()

    def _offer_next_recovery(self) -> None:
        while self.recovery_dialog is None and self._recovery_queue:
            entry = self._recovery_queue.pop(0)
            base = _base_text(entry)
            if base == entry.text:  # the edits were saved after all
                self.journal.discard(entry.path)
                continue
            name = os.path.basename(entry.path) if entry.path else f"Untitled (example {EXAMPLE.name})"
            changed = entry.path is not None and base is not None and file_digest(entry.path) != entry.base_digest
            dialog = RecoveryDialog(entry, name, base, disk_changed=changed, parent=self)
            dialog.finished.connect(lambda _result, d=dialog: self._recovery_answered(d))
            self.recovery_dialog = dialog
            dialog.open()  # window-modal, without a nested event loop

    def _recovery_answered(self, dialog: RecoveryDialog) -> None:
        self.recovery_dialog = None
        dialog.deleteLater()
        if dialog.choice == Choice.RESTORE:
            self._restore(dialog.entry)
        elif dialog.choice == Choice.DISCARD:
            self.journal.discard(dialog.entry.path)
        self._offer_next_recovery()

    def _restore(self, entry: Entry) -> None:
        """Open the entry's file (unless it is open) and apply the difference to the
        journaled text as one undo step; a file that is gone opens from the entry's text."""
        base = entry.path if entry.path is not None else str(EXAMPLE)
        try:
            journaled = Document.from_text(entry.text, base, entry.format)
        except TemplateError as error:
            QMessageBox.critical(self, "Cannot restore", f"The journaled edits cannot be read: {error}")
            return
        missing = not os.path.exists(base)
        showing = self.session.document is not None and self.session.file_path == entry.path
        if (missing or not showing) and not self._may_discard():
            return
        if missing:
            self.session.set_document(journaled)
            self.session.mark_modified()
            return
        if not showing and not self._open(base, offer_journal=False):
            return
        document = self.session.document
        assert document is not None
        edits = edits_between(document.data, journaled.data)
        if not edits:
            self.journal.discard(entry.path)
            self.statusBar().showMessage("The file already holds those edits: nothing to restore.", STATUS_MS)
            return
        when = time.strftime("%H:%M", time.localtime(entry.time))
        self.apply_edits(edits, f"Restore unsaved edits from {when}")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_path(files[0])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._closed:  # Qt closes remaining windows again when the application quits
            event.accept()
            return
        if not self._may_discard():
            event.ignore()
            return
        self._forget_journal()  # saved, or the user chose to discard the changes
        self._save_settings()
        self.session.close()
        self._closed = True
        event.accept()

    # -- reacting to the session ------------------------------------------------------------
    def _document_opened(self) -> None:
        document = self.session.document
        assert document is not None
        self.tree_model.set_template(document.data)
        self.stack.setCurrentWidget(self.tabs)
        self.tree.expand(self.tree_filter.index(next((r for r in range(self.tree_filter.rowCount())
                                                       if self.tree_filter.index(r, 0).data() == "Resources"), 0), 0))
        self.properties.show_nothing()
        self.warning_notice.hide()
        self._source_dirty = True
        self._refresh_source()
        self._disk_digest = self.session.base_digest
        self._watch()
        self._update_title()
        self._update_enabled()
        for warning in document.warnings:
            self.statusBar().showMessage(warning, STATUS_MS)

    def _document_edited(self, edits: tuple[Edit, ...]) -> None:
        self.tree_model.apply_edits(edits)
        self._source_dirty = True
        self._refresh_source()

    def _edit_warned(self, warnings: list[str]) -> None:
        """What an edit lost (comments, layout), told when it happens: in the status bar
        each time, and once per document in a notice that does not block the work."""
        text = " ".join(warnings)
        self.statusBar().showMessage(text, WARNING_STATUS_MS)
        document = self.session.document
        if document is None or self._warned_document is document:
            return
        self._warned_document = document
        self.warning_notice.show_text(f"{html.escape(text)}<br>Undo (Ctrl+Z) puts the previous text back. "
                                      "Further such edits of this file are reported in the status bar only.")

    def _findings_changed(self) -> None:
        findings = self.session.findings
        by_resource = self.session.by_resource
        self.tree_model.set_findings(by_resource)
        self._apply_findings_filter()
        self.findings.set_findings(findings)
        self.source.set_findings(findings)
        document = self.session.document
        if document is not None and self.properties.showing:
            self.properties.refresh(document.data, by_resource.get(self.properties.resource or "", []))
        fixable = len(eligible(self.session.own_findings))
        self.counts_label.setText(f"{len(findings)} findings, {fixable} safely fixable  ")

    def _apply_findings_filter(self) -> None:
        self.tree_filter.set_only_findings(self.only_findings.isChecked(), set(self.session.by_resource))

    def _lint_started(self) -> None:
        self.lint_label.setText("cfn-lint: running…")
        self.lint_progress.show()

    def _lint_idle(self) -> None:
        self.lint_progress.hide()
        self.lint_label.setText(f"cfn-lint: {len(self.session.lint_findings)} findings")

    def _refresh_source(self) -> None:
        document = self.session.document
        if document is None or not self._source_dirty or self.tabs.currentWidget() is not self.source:
            return
        self.source.set_source(document.text, document.format)
        self._source_dirty = False
        pointer = self.tree.currentIndex().data(POINTER_ROLE)
        if pointer:
            self.source.show_line(document.locate(pointer).line)

    def _update_title(self) -> None:
        document = self.session.document
        self.setWindowTitle(f"{self._display_name()}[*] — {APP_NAME}" if document else APP_NAME)
        self.setWindowModified(not self.session.undo_stack.isClean())

    def _update_enabled(self) -> None:
        has_document = self.session.document is not None
        for spec in ACTIONS:
            if spec.needs_document:
                self.actions_by_id[spec.id].setEnabled(has_document)

    # -- navigation ----------------------------------------------------------------------
    def _tree_selected(self, current: Any, previous: Any) -> None:
        pointer = current.data(POINTER_ROLE) if current.isValid() else None
        document = self.session.document
        if not pointer or document is None:
            return
        parts = jp.split(pointer)
        resource = parts[1] if len(parts) >= 2 and parts[0] == "Resources" else None
        self.properties.show_pointer(document.data, pointer, self.session.by_resource.get(resource or "", []),
                                     self.session.profile.stateful_types)
        if len(parts) > 2:
            self.properties.select_pointer(pointer)
        if not self._source_dirty:
            self.source.show_line(document.locate(pointer).line)

    def select_resource(self, name: str) -> None:
        self.select_pointer(jp.join(["Resources", name]))

    def select_pointer(self, pointer: str) -> None:
        """Select the deepest tree row on the way to ``pointer`` (expanding as needed)."""
        index = self.tree_filter.index(0, 0).parent()
        parts = jp.split(pointer)
        best = None
        for depth in range(1, len(parts) + 1):
            target = jp.join(parts[:depth])
            found = None
            for row in range(self.tree_filter.rowCount(index)):
                child = self.tree_filter.index(row, 0, index)
                if jp.is_within(target, child.data(POINTER_ROLE)):
                    found = child
                    break
            if found is None:
                break
            best = index = found
            if found.data(POINTER_ROLE) != target:
                continue
            self.tree.expand(found.parent())
        if best is not None:
            self.tree.setCurrentIndex(best)
            self.tree.scrollTo(best)

    def navigate_to(self, finding: Finding) -> None:
        self.select_pointer(finding.pointer if finding.pointer else "/Resources")
        self.properties.select_pointer(finding.pointer)
        if self.tabs.currentWidget() is self.source and finding.line:
            self.source.show_line(finding.line)

    def next_finding(self) -> None:
        self.findings.step(True)

    def previous_finding(self) -> None:
        self.findings.step(False)

    def focus_filter(self) -> None:
        self.tree_dock.show()
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def show_rules(self) -> None:
        from rules.registry import RULES  # noqa: PLC0415

        text = "\n".join(f"{r.id}  [{r.severity.label}]  {r.title}" for r in RULES)
        QMessageBox.information(self, "CFN Doctor rules", text + "\n\n`cfn-doctor rules ID` explains one.")

    # -- changes -------------------------------------------------------------------------
    def apply_edits(self, edits: list[Edit], title: str) -> None:
        try:
            self.session.apply(edits, title)
        except EditError as error:
            QMessageBox.warning(self, "Cannot apply", str(error))

    def undo(self) -> None:
        self._history_step(self.session.undo, "Cannot undo")

    def redo(self) -> None:
        self._history_step(self.session.redo, "Cannot redo")

    def _history_step(self, step: Callable[[], None], title: str) -> None:
        try:
            step()
        except EditError as error:
            QMessageBox.warning(self, title, str(error))

    def apply_fix(self, finding: Finding) -> None:
        fix = finding.fix
        if fix is None:
            return
        if fix.safety == "unsafe":
            answer = QMessageBox.warning(self, "Unsafe fix", f"{fix.title}\n\n{fix.note}.\n\nApply it anyway?",
                                         QMessageBox.StandardButton.Apply | QMessageBox.StandardButton.Cancel,
                                         QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Apply:
                return
        self.apply_edits(list(fix.edits), fix.title)

    def fix_all(self, rule: str | None = None) -> None:
        document = self.session.document
        if document is None:
            return
        candidates = [(f, f.fix) for f in self.session.own_findings if f.fix and f.fix.edits and (rule is None or f.rule == rule)]
        if not candidates:
            QMessageBox.information(self, "Fix all", "No finding has a fix to apply.")
            return
        dialog = FixPreview(document, self.session.profile, candidates, self)  # type: ignore[arg-type]
        accepted = dialog.exec()
        dialog.deleteLater()
        plan = dialog.plan
        if accepted and plan is not None and plan.edits:
            count = len(plan.applied)
            self.apply_edits(list(plan.edits), f"Fix {count} finding{'s' if count != 1 else ''}")

    def fix_rule_everywhere(self, rule: str) -> None:
        self.fix_all(rule)

    def suppress(self, finding: Finding) -> None:
        document = self.session.document
        if document is None:
            return
        edits = suppress_edits(document.data, finding.rule, finding.resource)
        where = finding.resource or "the template"
        self.apply_edits(edits, f"Suppress {finding.rule} for {where}")

    # -- profile -------------------------------------------------------------------------
    def _profile_chosen(self) -> None:
        choice = self.profile_box.currentData()
        if choice == PROFILE_FILE:
            path, _ = QFileDialog.getOpenFileName(self, "Choose a profile file", self._folder(), "Profiles (*.yaml *.yml)")
            if not path:
                self._show_profile(str(self.settings.value("profile", "default")))
                return
            choice = path
        try:
            self.session.set_profile(choice)
        except TemplateError as error:
            QMessageBox.critical(self, "Cannot use profile", str(error))
            self._show_profile(str(self.settings.value("profile", "default")))
            return
        self.settings.setValue("profile", choice)
        self._show_profile(choice)

    def _show_profile(self, choice: str) -> None:
        index = self.profile_box.findData(choice)
        if index < 0:
            self.profile_box.insertItem(self.profile_box.count() - 1, os.path.basename(choice), choice)
            index = self.profile_box.findData(choice)
        self.profile_box.setCurrentIndex(index)


def _is_example(path: str) -> bool:
    return os.path.realpath(path) == os.path.realpath(EXAMPLE)


def _same_file(path: str, other: str | None) -> bool:
    return other is not None and os.path.abspath(path) == os.path.abspath(other)


def _base_text(entry: Entry) -> str | None:
    """The text an entry's edits started from, as it is now: its file (the bundled example
    for the untitled document); None when that cannot be read."""
    path = entry.path if entry.path is not None else str(EXAMPLE)
    try:
        return decode(read_file(path), path)[0]
    except TemplateError:
        return None
