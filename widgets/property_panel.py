"""The selected resource (or other node): its policies, condition, dependencies, an
editable tree of its properties with create-only ones marked, and its findings with
their Fix buttons.  Every change leaves as a list of edits (``edit_requested``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import pointer as jp
from app.core.edits import Add, Edit, Remove, Set, exists, get
from app.core.findings import Finding
from app.core.intrinsics import is_intrinsic, reference_target
from app.replacement import replacement_note
from rules import template as tpl
from rules.catalog import StatefulType, policy_choices
from rules.schemas import create_only_properties, reference_url
from widgets.readable import summary
from widgets.style import SEVERITY_COLOURS, resource_icon, severity_icon
from widgets.value_editor import POINTER, VALUE, ValueDelegate, parse_scalar

UNSET = "(not set)"


def resource_of(pointer: str) -> str | None:
    """The logical id of the resource ``pointer`` is in, if it is in one."""
    parts = jp.split(pointer)
    return parts[1] if len(parts) >= 2 and parts[0] == "Resources" else None


class PropertyPanel(QScrollArea):
    edit_requested = Signal(object, str)  # edits, undo title
    navigate = Signal(str)  # logical id
    fix_requested = Signal(object)  # Finding

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._data: dict[str, Any] = {}
        self._pointer = ""
        self._findings: list[Finding] = []
        self._stateful: dict[str, StatefulType] = {}
        self._populating = False
        self._refresh_pending = False

        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)

        heading = QHBoxLayout()
        self.icon = QLabel()
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.title.setFont(font)
        heading.addWidget(self.icon)
        heading.addWidget(self.title, 1)
        layout.addLayout(heading)
        self.subtitle = QLabel()
        self.subtitle.setOpenExternalLinks(True)
        self.subtitle.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.subtitle)

        self.attributes = QGroupBox("Resource attributes")
        form = QFormLayout(self.attributes)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.deletion_policy = QComboBox()
        self.update_replace_policy = QComboBox()
        self.condition = QComboBox()
        self.depends_on = QLabel()
        self.depends_on.setTextFormat(Qt.TextFormat.RichText)
        self.depends_on.linkActivated.connect(self.navigate.emit)
        for box in (self.deletion_policy, self.update_replace_policy, self.condition):
            box.setMinimumWidth(220)
        form.addRow("DeletionPolicy", self.deletion_policy)
        form.addRow("UpdateReplacePolicy", self.update_replace_policy)
        form.addRow("Condition", self.condition)
        form.addRow("DependsOn", self.depends_on)
        self.deletion_policy.activated.connect(lambda _: self._attribute_chosen("DeletionPolicy", self.deletion_policy))
        self.update_replace_policy.activated.connect(
            lambda _: self._attribute_chosen("UpdateReplacePolicy", self.update_replace_policy))
        self.condition.activated.connect(lambda _: self._attribute_chosen("Condition", self.condition))
        layout.addWidget(self.attributes)

        self.findings_box = QGroupBox("Findings")
        self.findings_layout = QVBoxLayout(self.findings_box)
        layout.addWidget(self.findings_box)

        self.properties_box = QGroupBox("Properties")
        properties_layout = QVBoxLayout(self.properties_box)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Key", "Value"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setMinimumHeight(260)
        self.tree.header().resizeSection(0, 280)
        self.value_delegate = ValueDelegate(self.tree)
        self.tree.setItemDelegateForColumn(1, self.value_delegate)
        # Queued: the edit (and the replacement warning it may ask) runs once the editor has
        # closed, not inside its commit, where a dialog taking the focus would commit again.
        self.value_delegate.value_edited.connect(self._value_edited, Qt.ConnectionType.QueuedConnection)
        self.value_delegate.closeEditor.connect(self._editor_closed)
        self.tree.itemDoubleClicked.connect(self._item_double_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        hint = QLabel("Double-click a value (or press F2) to edit it: Enter applies (Ctrl+Enter in a multi-line "
                      "value), Escape cancels. Right-click to add or remove keys. ⟳ marks a create-only property: "
                      "changing it replaces the resource.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #616161;")
        properties_layout.addWidget(self.tree)
        properties_layout.addWidget(hint)
        layout.addWidget(self.properties_box, 100)
        layout.addStretch(1)  # keeps the empty state at the top; the tree takes the room otherwise
        self.show_nothing()

    # -- showing -------------------------------------------------------------------------
    def show_nothing(self) -> None:
        self._pointer = ""
        self.icon.clear()
        self.title.setText("Select a resource")
        self.subtitle.setText("Pick a resource in the template tree, or double-click a finding.")
        self.attributes.hide()
        self.findings_box.hide()
        self.properties_box.hide()

    def show_pointer(self, data: dict[str, Any], pointer: str, findings: list[Finding],
                     stateful: dict[str, StatefulType]) -> None:
        self._data, self._pointer, self._stateful = data, pointer, stateful
        self._findings = findings
        self.refresh(data, findings)

    @property
    def showing(self) -> bool:
        return bool(self._pointer)

    @property
    def resource(self) -> str | None:
        return resource_of(self._pointer)

    def refresh(self, data: dict[str, Any], findings: list[Finding]) -> None:
        self._data, self._findings = data, findings
        if self.tree.state() == QAbstractItemView.State.EditingState:
            # Filling the table again would close the editor and lose what is being typed
            # (cfn-lint's results arrive whenever they are ready): wait until it closes.
            self._refresh_pending = True
            return
        self._refresh_pending = False
        name = self.resource
        body = tpl.get_path(data, "Resources", name) if name else None
        if name and isinstance(body, dict):
            self._show_resource(name, body)
        elif self._pointer and self._exists(self._pointer):
            self._show_node()
        else:
            self.show_nothing()

    def _exists(self, pointer: str) -> bool:
        return exists(self._data, pointer)

    def _show_resource(self, name: str, body: dict[str, Any]) -> None:
        resource_type = str(body.get("Type", ""))
        self.icon.setPixmap(resource_icon(resource_type).pixmap(28, 28))
        self.title.setText(name)
        url = reference_url(resource_type)
        stateful = self._stateful.get(resource_type)
        kind = f" &nbsp;·&nbsp; <span style='color:#6d4c41'>stateful {stateful.kind}</span>" if stateful else ""
        self.subtitle.setText((f"<a href='{url}'>{resource_type}</a>" if url else resource_type) + kind)
        self.attributes.show()
        self._populating = True
        policies = ((self.deletion_policy, "DeletionPolicy"), (self.update_replace_policy, "UpdateReplacePolicy"))
        for box, attribute in policies:
            self._fill_policy(box, body, attribute, policy_choices(attribute, stateful))
        conditions = list(tpl.get_path(self._data, "Conditions") or {})
        self._fill_policy(self.condition, body, "Condition", conditions)
        depends = body.get("DependsOn")
        names = [depends] if isinstance(depends, str) else \
            [d for d in depends if isinstance(d, str)] if isinstance(depends, list) else []
        links = ", ".join(f"<a href='{n}'>{n}</a>" for n in names)
        self.depends_on.setText(links or "<span style='color:#9e9e9e'>—</span>")
        self._populating = False
        self._show_findings()
        self.properties_box.setTitle("Properties")
        self._fill_tree(tpl.resource_pointer(name, "Properties"), body.get("Properties", {}),
                        create_only_properties(resource_type))

    def _show_node(self) -> None:
        parts = jp.split(self._pointer)
        self.icon.clear()
        self.title.setText(parts[-1] if parts else "Template")
        self.subtitle.setText(" › ".join(parts[:-1]) or "")
        self.attributes.hide()
        self.findings_box.hide()
        self.properties_box.setTitle("Value")
        self._fill_tree(self._pointer, get(self._data, self._pointer), frozenset())

    def _fill_policy(self, box: QComboBox, body: dict[str, Any], attribute: str, choices: list[str]) -> None:
        current = body.get(attribute)
        box.clear()
        box.addItem(UNSET, None)
        for choice in choices:
            box.addItem(choice, choice)
        if current is not None and box.findData(current) < 0:
            box.addItem(summary(current), current)
        box.setCurrentIndex(max(box.findData(current), 0) if current is not None else 0)

    def _show_findings(self) -> None:
        while self.findings_layout.count():
            taken = self.findings_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.findings_box.setVisible(bool(self._findings))
        self.findings_box.setTitle(f"Findings ({len(self._findings)})")
        for finding in self._findings:
            row = QHBoxLayout()
            badge = QLabel()
            badge.setPixmap(severity_icon(finding.severity).pixmap(12, 12))
            badge.setToolTip(finding.severity.label)
            text = QLabel(f"<b style='color:{SEVERITY_COLOURS[finding.severity]}'>{finding.severity.label.upper()}</b> "
                          f"<span style='color:#616161'>{finding.rule}</span> {finding.message}")
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1)
            if finding.fix:
                button = QPushButton("Fix (unsafe)…" if finding.fix.safety == "unsafe" else "Fix")
                button.setObjectName(f"fix-{finding.rule}")
                button.setToolTip(finding.fix.title + (f"\nUnsafe: {finding.fix.note}" if finding.fix.note else ""))
                button.clicked.connect(lambda _=False, f=finding: self.fix_requested.emit(f))
                row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            holder = QWidget()
            holder.setLayout(row)
            self.findings_layout.addWidget(holder)

    def _fill_tree(self, pointer: str, value: Any, create_only: frozenset[str]) -> None:
        expanded = {item.data(0, POINTER) for item in self._items() if item.isExpanded()}
        first_fill = self.tree.property("root") != pointer
        self.tree.clear()
        self.tree.setProperty("root", pointer)
        root = self.tree.invisibleRootItem()
        root.setData(0, POINTER, pointer)
        root.setData(0, VALUE, value)
        self._add_children(root, pointer, value, create_only)
        for item in self._items():
            small_top_level = item.parent() is None and 0 < item.childCount() <= 6
            if item.data(0, POINTER) in expanded or (first_fill and small_top_level):
                item.setExpanded(True)
        self.properties_box.show()

    def _add_children(self, parent: QTreeWidgetItem, pointer: str, value: Any, create_only: frozenset[str]) -> None:
        entries = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        for key, child in entries:
            child_pointer = jp.child(pointer, key)
            is_call = is_intrinsic(child)
            label = f"[{key}]" if isinstance(key, int) else str(key)
            shown = summary(child, 120) if is_call or not isinstance(child, (dict, list)) else summary(child)
            item = QTreeWidgetItem(parent, [label, shown])
            item.setData(0, POINTER, child_pointer)
            item.setData(0, VALUE, child)
            if parent is self.tree.invisibleRootItem() and str(key) in create_only:
                item.setText(0, f"{label}  ⟳")
                item.setForeground(0, Qt.GlobalColor.darkRed)
                item.setToolTip(0, f"{key} is create-only: changing it replaces the resource")
            target = reference_target(child)
            if target:
                item.setToolTip(1, f"Double-click to go to {target}")
                item.setForeground(1, Qt.GlobalColor.darkBlue)
            if not isinstance(child, (dict, list)):
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            elif not is_call:
                self._add_children(item, child_pointer, child, create_only)

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        stack = _children(self.tree.invisibleRootItem())
        while stack:
            item = stack.pop()
            found.append(item)
            stack.extend(_children(item))
        return found

    def select_pointer(self, pointer: str) -> None:
        for item in self._items():
            if item.data(0, POINTER) == pointer:
                parent = item.parent()
                while parent is not None:
                    parent.setExpanded(True)
                    parent = parent.parent()
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return

    # -- editing -------------------------------------------------------------------------
    def _attribute_chosen(self, attribute: str, box: QComboBox) -> None:
        name = self.resource
        if self._populating or not name:
            return
        body = self._data["Resources"][name]
        chosen = box.currentData()
        pointer = tpl.resource_pointer(name, attribute)
        if chosen == body.get(attribute):
            return
        if chosen is None:
            edits: list[Edit] = [Remove(pointer)]
            title = f"Unset {attribute} of {name}"
        else:
            edits = [Set(pointer, chosen) if attribute in body else Add(pointer, chosen)]
            title = f"Set {attribute} of {name} to {chosen}"
        self.edit_requested.emit(edits, title)

    def finish_editing(self) -> None:
        """Apply a value still being typed, now: before a save, a close or an open, what
        was typed must count."""
        typed = self.value_delegate.finish()
        if typed is not None:
            self._value_edited(*typed)

    def _editor_closed(self, *_signal_arguments: object) -> None:
        if self._refresh_pending:
            QTimer.singleShot(0, self._refresh_after_editing)  # once the view has let the editor go

    def _refresh_after_editing(self) -> None:
        if self._refresh_pending:
            self.refresh(self._data, self._findings)

    def _value_edited(self, pointer: str, value: Any) -> None:
        if self._confirm_replacement(pointer):
            self.edit_requested.emit([Set(pointer, value)], f"Set {jp.last(pointer)} to {summary(value, 40)}")

    def _confirm_replacement(self, pointer: str) -> bool:
        """Warn before an edit that replaces a resource; True to go ahead."""
        resources = self._data.get("Resources")
        note = replacement_note(resources if isinstance(resources, dict) else {}, self._stateful, Remove(pointer))
        if note is None:
            return True
        message = note[0].upper() + note[1:] + "."
        answer = QMessageBox.warning(self, "This change replaces the resource", message + "\n\nApply the change?",
                                     QMessageBox.StandardButton.Apply | QMessageBox.StandardButton.Cancel,
                                     QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Apply

    def _item_double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        target = reference_target(item.data(0, VALUE))
        if target and target in (self._data.get("Resources") or {}):
            self.navigate.emit(target)

    def _tree_menu(self, position: Any) -> None:
        item = self.tree.itemAt(position)
        holder = item if item is not None else self.tree.invisibleRootItem()
        value = holder.data(0, VALUE)
        pointer = holder.data(0, POINTER) or self.tree.property("root")
        menu = QMenu(self)
        if isinstance(value, dict) and not is_intrinsic(value) or item is None:
            menu.addAction("Add key…", lambda: self._add_key(pointer, value))
        if isinstance(value, list):
            menu.addAction("Add item…", lambda: self._add_item(pointer))
        if item is not None:
            target = reference_target(value)
            if target:
                menu.addAction(f"Go to {target}", lambda: self.navigate.emit(target))
            menu.addAction("Remove", lambda: self._remove(item.data(0, POINTER)))
        menu.popup(self.tree.viewport().mapToGlobal(position))

    def _add_key(self, pointer: str, value: Any) -> None:
        key, ok = QInputDialog.getText(self, "Add key", "Key:")
        if not ok or not key.strip():
            return
        text, ok = QInputDialog.getText(self, "Add key", f"Value of {key}:")
        if not ok:
            return
        target = jp.child(pointer, key.strip())
        if isinstance(value, dict) and key.strip() in value:
            QMessageBox.information(self, "Add key", f"{key.strip()} exists already; edit its value instead.")
            return
        if not self._confirm_replacement(target):
            return
        typed = parse_scalar(text, None)
        if exists(self._data, pointer) and isinstance(get(self._data, pointer), dict):
            edits: list[Edit] = [Add(target, typed)]
        else:  # no mapping there yet (a resource without Properties): add it with the key
            edits = [Add(pointer, {key.strip(): typed})]
        self.edit_requested.emit(edits, f"Add {key.strip()}")

    def _add_item(self, pointer: str) -> None:
        text, ok = QInputDialog.getText(self, "Add item", "Value:")
        if ok:
            edits = [Add(jp.child(pointer, "-"), parse_scalar(text, None))]
            self.edit_requested.emit(edits, f"Add an item to {jp.last(pointer)}")

    def _remove(self, pointer: str) -> None:
        if self._confirm_replacement(pointer):
            self.edit_requested.emit([Remove(pointer)], f"Remove {jp.last(pointer)}")


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for row in range(item.childCount()) if (child := item.child(row)) is not None]
