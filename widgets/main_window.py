"""The main window: template tree (left), property panel and source (centre), findings
(bottom); files, undo, fixes, profile and the background cfn-lint run."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QByteArray, QFileSystemWatcher, QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDockWidget, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QMainWindow, QMessageBox, QProgressBar, QPushButton, QStackedWidget, QTabWidget, QTreeView, QVBoxLayout, QWidget,
)

from app import pointer as jp
from app import profiles
from app.edits import Add, Edit, Set
from app.errors import EditError, TemplateError
from app.findings import Finding
from app.fixing import eligible
from app.loading import Format
from resources import EXAMPLE
from rules import template as tpl
from widgets.actions import ACTIONS
from widgets.findings_panel import FindingsPanel
from widgets.fix_preview import FixPreview
from widgets.property_panel import PropertyPanel
from widgets.session import Session
from widgets.source_view import SourceView
from widgets.tree_model import POINTER_ROLE, TemplateFilter, TemplateTreeModel

APP_NAME = "CFN Doctor"
MAX_RECENT = 10
PROFILE_FILE = "__file__"


class MainWindow(QMainWindow):
    def __init__(self, *, restore_layout: bool = True) -> None:
        """``restore_layout=False`` starts from the default geometry and docks (for
        screenshots that must look the same on every machine)."""
        super().__init__()
        self._restore_layout = restore_layout
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.session = Session(self)
        self.settings = QSettings()
        self._saving = False
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
        self.setCentralWidget(self.stack)
        self.findings = FindingsPanel()
        self.findings_dock = QDockWidget("Findings", self)
        self.findings_dock.setObjectName("findings-dock")
        self.findings_dock.setWidget(self.findings)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self._build_actions()
        self._build_status_bar()

        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed_on_disk)
        self._connect()
        self._restore_settings()
        self._update_enabled()

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
        undo = self.session.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.session.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
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
        session.findings_changed.connect(self._findings_changed)
        session.lint_started.connect(self._lint_started)
        session.lint_idle.connect(self._lint_idle)
        session.undo_stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
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
        """Open a template; a file that cannot be read gets a dialog and changes nothing."""
        if not confirmed and not self._may_discard():
            return False
        try:
            self.session.open(path)
        except TemplateError as error:
            QMessageBox.critical(self, "Cannot open template", f"{error}")
            return False
        self._remember(path)
        return True

    def save(self) -> bool:
        document = self.session.document
        assert document is not None
        return self._write(lambda: self.session.save())

    def save_as(self) -> bool:
        document = self.session.document
        assert document is not None
        suffix = "JSON (*.json)" if document.format == "json" else "YAML (*.yaml *.yml *.template)"
        path, _ = QFileDialog.getSaveFileName(self, "Save template as", document.path, suffix)
        if not path:
            return False
        if self._write(lambda: self.session.save(path)):
            self._remember(path)
            return True
        return False

    def export_yaml(self) -> None:
        self._export("yaml")

    def export_json(self) -> None:
        self._export("json")

    def _export(self, format: Format) -> None:
        document = self.session.document
        assert document is not None
        stem = os.path.splitext(document.path)[0]
        path, _ = QFileDialog.getSaveFileName(self, f"Export as {format.upper()}", f"{stem}.{format}", f"{format.upper()} (*.{format})")
        if path:
            self._write(lambda: self.session.export(path, format))
            self.statusBar().showMessage(f"Exported to {path}", 5000)

    def _write(self, action: Any) -> bool:
        self._saving = True
        try:
            action()
        except TemplateError as error:
            QMessageBox.critical(self, "Cannot save", str(error))
            return False
        finally:
            self._saving = False
        self._watch()
        self._update_title()
        return True

    def reload(self) -> None:
        document = self.session.document
        if document is not None and self._may_discard():
            self.open_path(document.path, confirmed=True)

    def _may_discard(self) -> bool:
        """Ask before unsaved changes are lost; True to go on."""
        if self.session.document is None or self.session.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to {os.path.basename(self.session.document.path)}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _folder(self) -> str:
        document = self.session.document
        return os.path.dirname(document.path) if document else os.getcwd()

    def _watch(self) -> None:
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        document = self.session.document
        if document and os.path.exists(document.path):
            self.watcher.addPath(document.path)

    def _file_changed_on_disk(self, path: str) -> None:
        if self._saving:
            return
        self._watch()
        document = self.session.document
        if document is None or not os.path.exists(path):
            return
        with open(path, "rb") as stream:
            if stream.read().decode("utf-8", "replace").lstrip("\ufeff") == document.text:
                return  # our own atomic save, or a touch
        answer = QMessageBox.question(self, "File changed on disk",
                                      f"{os.path.basename(path)} was changed by another program. Reload it"
                                      + (" and lose your changes?" if not self.session.undo_stack.isClean() else "?"))
        if answer == QMessageBox.StandardButton.Yes:
            self.open_path(path, confirmed=True)

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
        self._source_dirty = True
        self._refresh_source()
        self._watch()
        self._update_title()
        self._update_enabled()
        for warning in document.warnings:
            self.statusBar().showMessage(warning, 8000)

    def _document_edited(self, edits: tuple[Edit, ...]) -> None:
        self.tree_model.apply_edits(edits)
        self._source_dirty = True
        self._refresh_source()
        self._update_title()

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
        name = os.path.basename(document.path) if document else ""
        self.setWindowTitle(f"{name}[*] — {APP_NAME}" if document else APP_NAME)
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
        dialog = FixPreview(document, candidates, self)  # type: ignore[arg-type]
        if dialog.exec() and dialog.chosen:
            self.session.apply_many([(fix.title, fix.edits) for _, fix in dialog.chosen],
                                    f"Fix {len(dialog.chosen)} finding{'s' if len(dialog.chosen) != 1 else ''}")

    def fix_rule_everywhere(self, rule: str) -> None:
        self.fix_all(rule)

    def suppress(self, finding: Finding) -> None:
        document = self.session.document
        if document is None:
            return
        base = ["Resources", finding.resource] if finding.resource else []
        container = tpl.get_path(document.data, *base) if base else document.data
        edits = _ignore_edits(container, base, finding.rule)
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


def _ignore_edits(container: Any, base: list[str], rule: str) -> list[Edit]:
    """Edits that add ``rule`` to ``Metadata.cfn-doctor.ignore`` of ``container``."""
    metadata = container.get("Metadata") if isinstance(container, dict) else None
    pointer = jp.join([*base, "Metadata"])
    if not isinstance(metadata, dict):
        return [Add(pointer, {"cfn-doctor": {"ignore": [rule]}})]
    section = metadata.get("cfn-doctor")
    if not isinstance(section, dict):
        return [Add(jp.child(pointer, "cfn-doctor"), {"ignore": [rule]})]
    ignore = section.get("ignore")
    target = jp.join([*base, "Metadata", "cfn-doctor", "ignore"])
    if isinstance(ignore, list):
        return [Add(jp.child(target, "-"), rule)]
    if isinstance(ignore, str):
        return [Set(target, [ignore, rule])]
    return [Add(target, [rule])]
