"""The main window, a composition: the template tree (left), the selected node's properties
and the source (centre), the findings and the changes (bottom), wired to the document
controller, which owns the files, and to the session, which the views show."""

from __future__ import annotations

import html

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from app.core import pointer as jp
from app.core.document import Document
from app.core.edits import Edit
from app.core.findings import Finding
from app.core.journal import Journal
from app.fixing import eligible
from app.impact import Change
from widgets.actions import ActionSet, EditorState
from widgets.changes import Comparison
from widgets.changes_panel import ChangesPanel, dock_title
from widgets.controller import DocumentController
from widgets.crash_recovery import journal_folder
from widgets.dialogs import STATUS_MS, WARNING_STATUS_MS, DialogPrompter, show_rule_reference
from widgets.findings_panel import FindingsPanel
from widgets.fix_commands import FixCommands
from widgets.notice_bar import NoticeBar
from widgets.profile_chooser import ProfileChooser
from widgets.property_panel import PropertyPanel, resource_of
from widgets.recent_files import RecentFiles, RecentMenu
from widgets.source_view import SourceView
from widgets.start_page import StartPage
from widgets.status_bar import EditorStatusBar
from widgets.template_browser import TemplateBrowser

APP_NAME = "CFN Doctor"


class MainWindow(QMainWindow):
    def __init__(self, *, persistent: bool = True) -> None:
        """``persistent=False`` is a window that leaves no trace and depends on none (for
        screenshots that must look the same on every machine): the default geometry and
        docks, no recent files recorded, no edits offered from the journal."""
        super().__init__()
        self._persistent = persistent
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.settings = QSettings()
        self.recent = RecentFiles(self.settings, self, record=persistent)
        self.prompter = DialogPrompter(self)
        self.controller = DocumentController(self.prompter, self.recent, Journal(journal_folder()),
                                             offers_recovery=persistent, parent=self)
        self.session = self.controller.session
        self.fixes = FixCommands(self.controller, self)
        self._warned_document: Document | None = None  # the notice about lost comments is shown once a document

        self.browser = TemplateBrowser()
        self.tree, self.tree_filter = self.browser.tree, self.browser.filter  # what bench/gui.py measures
        self.tree_dock = self._dock("Template", "template-dock", self.browser, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.properties = PropertyPanel()
        self.source = SourceView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.properties, "Properties")
        self.tabs.addTab(self.source, "Source")
        self.start_page = StartPage(self.recent)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.tabs)
        self.warning_notice = NoticeBar()
        self.setCentralWidget(_column(self.warning_notice, self.stack))
        self.findings = FindingsPanel()
        self.findings_dock = self._dock("Findings", "findings-dock", self.findings,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.changes = ChangesPanel()
        self.changes_dock = self._dock("Changes", "changes-dock", self.changes, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.findings_dock, self.changes_dock)
        self.findings_dock.raise_()
        self.recent_menu = RecentMenu(self.recent, self)
        self.profile_box = ProfileChooser(self.session, self.settings, self.controller.folder)
        self.action_set = ActionSet(self, self)
        self.status = EditorStatusBar()
        self.setStatusBar(self.status)
        self._connect()
        self._restore_settings()
        self._refresh_actions()
        QTimer.singleShot(0, self.controller.offer_recovery)

    def _dock(self, title: str, name: str, content: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(content)
        self.addDockWidget(area, dock)
        return dock

    def _connect(self) -> None:
        # Bound methods, not lambdas, for the session and its stack: Qt drops the connections
        # when the window goes, before the stack's destructor clears it.
        session, controller = self.session, self.controller
        session.opened.connect(self._document_opened)
        session.edited.connect(self._document_edited)
        session.warned.connect(self._edit_warned)
        session.findings_changed.connect(self._findings_changed)
        session.lint_started.connect(self.status.lint_running)
        session.lint_idle.connect(self._lint_idle)
        session.undo_stack.cleanChanged.connect(self._update_title)
        session.undo_stack.indexChanged.connect(self._refresh_actions)
        controller.file_changed.connect(self._update_title)
        controller.commit_pending.connect(self.properties.finish_editing)
        self.start_page.open_requested.connect(controller.choose_and_open)
        self.start_page.example_requested.connect(controller.open_example)
        self.start_page.recent_chosen.connect(self.open_path)
        self.recent_menu.chosen.connect(self.open_path)
        self.browser.selected.connect(self._show_pointer)
        self.properties.edit_requested.connect(controller.apply)
        self.properties.navigate.connect(self.select_resource)
        self.properties.fix_requested.connect(self.fixes.apply_fix)
        self.findings.navigate.connect(self.navigate_to)
        self.findings.fix_requested.connect(self.fixes.apply_fix)
        self.findings.fix_rule_requested.connect(self.fixes.fix_all)
        self.findings.suppress_requested.connect(self.fixes.suppress)
        self.findings.docs_requested.connect(lambda finding: QDesktopServices.openUrl(QUrl(finding.docs_url)))
        controller.changes.updated.connect(self._changes_updated)
        self.changes.baseline_chosen.connect(controller.changes.set_baseline)
        self.changes.navigate.connect(self.go_to_change)

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry") if self._persistent else None
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        state = self.settings.value("window/state") if self._persistent else None
        if isinstance(state, QByteArray):
            self.restoreState(state)
        else:
            self.resizeDocks([self.tree_dock], [520], Qt.Orientation.Horizontal)
            self.resizeDocks([self.findings_dock], [215], Qt.Orientation.Vertical)
        self.profile_box.restore()

    # -- what the actions act on (widgets.actions.Editor) -------------------------------------
    def open_path(self, path: str) -> bool:
        return self.controller.open(path)

    def focus_filter(self) -> None:
        self.tree_dock.show()
        self.browser.focus_filter()

    def show_rules(self) -> None:
        show_rule_reference(self)

    def dock_toggles(self) -> list[QAction]:
        return [dock.toggleViewAction() for dock in (self.tree_dock, self.findings_dock, self.changes_dock)]

    def profile_widgets(self) -> list[QWidget]:
        return [self.profile_box.label, self.profile_box]

    def show_changes(self) -> None:
        self.changes_dock.show()
        self.changes_dock.raise_()
        self.changes.table.setFocus()

    # -- following the session -----------------------------------------------------------------
    def _document_opened(self) -> None:
        document = self.session.document
        assert document is not None
        self.browser.show_template(document.data)
        self.stack.setCurrentWidget(self.tabs)
        self.properties.show_nothing()
        self.warning_notice.hide()
        self.source.show_document(document)
        self._update_title()
        self._refresh_actions()
        for warning in document.warnings:
            self.status.showMessage(warning, STATUS_MS)

    def _document_edited(self, edits: tuple[Edit, ...]) -> None:
        assert self.session.document is not None
        self.browser.apply_edits(edits)
        self.source.show_document(self.session.document)

    def _edit_warned(self, warnings: list[str]) -> None:
        """What an edit lost (comments, layout), told when it happens: in the status bar
        each time, and once per document in a notice that does not block the work."""
        text = " ".join(warnings)
        self.status.showMessage(text, WARNING_STATUS_MS)
        document = self.session.document
        if document is None or self._warned_document is document:
            return
        self._warned_document = document
        self.warning_notice.show_text(f"{html.escape(text)}<br>Undo (Ctrl+Z) puts the previous text back. "
                                      "Further such edits of this file are reported in the status bar only.")

    def _findings_changed(self) -> None:
        findings, by_resource = self.session.findings, self.session.by_resource
        self.browser.set_findings(by_resource)
        self.findings.set_findings(findings)
        self.source.set_findings(findings)
        document = self.session.document
        if document is not None and self.properties.showing:
            self.properties.refresh(document.data, by_resource.get(self.properties.resource or "", []))
        self.status.show_counts(len(findings), len(eligible(self.session.own_findings)))

    def _changes_updated(self, comparison: Comparison) -> None:
        self.changes.show_comparison(comparison)
        self.changes_dock.setWindowTitle(dock_title(comparison))

    def _lint_idle(self) -> None:
        self.status.lint_done(len(self.session.lint_findings))

    def _update_title(self, *_signal_arguments: object) -> None:
        name = self.session.display_name
        self.setWindowTitle(f"{name}[*] — {APP_NAME}" if name else APP_NAME)
        self.setWindowModified(not self.session.undo_stack.isClean())

    def _refresh_actions(self, *_signal_arguments: object) -> None:
        stack = self.session.undo_stack
        self.action_set.update(EditorState(self.session.document is not None, stack.canUndo(), stack.canRedo(),
                                           stack.undoText(), stack.redoText()))

    # -- navigation ----------------------------------------------------------------------------
    def _show_pointer(self, pointer: str) -> None:
        document = self.session.document
        if document is None:
            return
        findings = self.session.by_resource.get(resource_of(pointer) or "", [])
        self.properties.show_pointer(document.data, pointer, findings, self.session.profile.stateful_types)
        if len(jp.split(pointer)) > 2:
            self.properties.select_pointer(pointer)
        self.source.show_pointer(pointer)

    def select_resource(self, name: str) -> None:
        self.browser.select_pointer(jp.join(["Resources", name]))

    def go_to_change(self, change: Change) -> None:
        """Select the changed resource (a renamed one under its new name)."""
        name = change.renamed_to or change.resource
        document = self.session.document
        resources = document.data.get("Resources") if document is not None else None
        if not isinstance(resources, dict) or name not in resources:
            self.status.showMessage(f"{name} is not in the working copy: the change removes it.", STATUS_MS)
            return
        self.select_resource(name)

    def navigate_to(self, finding: Finding) -> None:
        self.browser.select_pointer(finding.pointer or "/Resources")
        self.properties.select_pointer(finding.pointer)
        if self.tabs.currentWidget() is self.source and finding.line:
            self.source.show_line(finding.line)

    # -- window events -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_path(files[0])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.controller.close():
            event.ignore()
            return
        if self._persistent:
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.settings.setValue("window/state", self.saveState())
        event.accept()


def _column(*widgets: QWidget) -> QWidget:
    """The widgets one above the other, the last one taking the room."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is widgets[-1] else 0)
    return holder
