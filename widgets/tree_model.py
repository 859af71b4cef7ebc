"""The template as a tree: sections, their entries, and below a resource its
properties.  Built lazily over the document's data, and updated in place after edits
(rows inserted and removed where the data changed), never rebuilt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from app.core import pointer as jp
from app.core.edits import Edit
from app.core.findings import Finding
from app.core.intrinsics import is_intrinsic
from widgets.readable import summary
from widgets.style import SECTION_COLOUR, badge_icon, resource_icon, severity_icon

SECTIONS = ("Parameters", "Mappings", "Conditions", "Resources", "Outputs")
POINTER_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
RESOURCE_ROLE = Qt.ItemDataRole.UserRole + 3
COLUMNS = ("Name", "Type / value", "⚑")
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


class Node:
    """One row.  ``container`` is where its children live in the data: a resource's
    children are its properties."""

    __slots__ = ("pointer", "key", "parent", "kind", "children", "resource")

    def __init__(self, pointer: str, key: str, parent: Node | None, kind: str, resource: str | None = None) -> None:
        self.pointer = pointer
        self.key = key
        self.parent = parent
        self.kind = kind  # "root", "section", "resource", "entry", "value"
        self.children: list[Node] | None = None
        self.resource = resource

    @property
    def container(self) -> str:
        return self.pointer + "/Properties" if self.kind == "resource" else self.pointer

    def row(self) -> int:
        assert self.parent is not None and self.parent.children is not None
        return self.parent.children.index(self)


class TemplateTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._data: dict[str, Any] = {}
        self._root = Node("", "", None, "root")
        self._findings: dict[str, list[Finding]] = {}

    # -- feeding -----------------------------------------------------------------------
    def set_template(self, data: dict[str, Any]) -> None:
        self.beginResetModel()
        self._data = data
        self._root = Node("", "", None, "root")
        self.endResetModel()

    def set_findings(self, by_resource: dict[str, list[Finding]]) -> None:
        changed = set(by_resource) | set(self._findings)
        self._findings = by_resource
        section = self._child(self._root, "Resources")
        if section is None or section.children is None:
            return
        for node in section.children:
            if node.key in changed:
                index = self.createIndex(node.row(), 0, node)
                self.dataChanged.emit(index, index.siblingAtColumn(len(COLUMNS) - 1))

    def apply_edits(self, edits: Sequence[Edit]) -> None:
        """Bring the rows in line with the data after ``edits``, touching only the
        subtrees they changed."""
        targets = sorted({jp.parent(edit.pointer) for edit in edits}, key=len)
        done: list[str] = []
        for target in targets:
            if any(jp.is_within(target, other) for other in done):
                continue
            node = self._deepest(target)
            self._resync(node)
            done.append(node.pointer)

    # -- Qt model interface --------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = NO_PARENT) -> QModelIndex:
        node = self._node(parent)
        children = self._children(node)
        if not (0 <= row < len(children) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = NO_PARENT) -> QModelIndex:  # type: ignore[override]  # Qt's overloads: parent() is QObject's
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802 - Qt override
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(self._node(parent)))

    def columnCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802 - Qt override
        return len(COLUMNS)

    def hasChildren(self, parent: Index = NO_PARENT) -> bool:  # noqa: N802 - Qt override
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        if node.children is not None:
            return bool(node.children)
        value = self._value(node.container)
        return isinstance(value, (dict, list)) and bool(value) and not is_intrinsic(value)

    def headerData(  # noqa: N802 - Qt override
            self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section == 2:
            return "Findings on the resource (colour: the most severe)"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        column = index.column()
        if role == POINTER_ROLE:
            return node.pointer
        if role == KIND_ROLE:
            return node.kind
        if role == RESOURCE_ROLE:
            return node.resource
        findings = self._findings.get(node.key, []) if node.kind == "resource" else []
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return node.key
            if column == 1:
                if node.kind == "section":
                    value = self._value(node.pointer)
                    noun = "resources" if node.key == "Resources" else "entries"
                    return f"{len(value)} {noun}" if isinstance(value, dict) else ""
                value = self._value(node.pointer)
                if node.kind == "resource" and isinstance(value, dict):
                    return str(value.get("Type", ""))
                return summary(value)
            return str(len(findings)) if findings else ""
        if role == Qt.ItemDataRole.DecorationRole:
            if column == 0 and node.kind == "resource":
                value = self._value(node.pointer)
                return resource_icon(str(value.get("Type", "")) if isinstance(value, dict) else "")
            if column == 0 and node.kind == "section":
                return badge_icon(SECTION_COLOUR, node.key[:1])
            if column == 2 and findings:
                return severity_icon(max(f.severity for f in findings))
        if role == Qt.ItemDataRole.ToolTipRole and findings and column in (0, 2):
            return "\n".join(f"{f.severity.label.upper()}  {f.rule}: {f.message}" for f in findings)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return summary(self._value(node.pointer), limit=400)
        return None

    # -- nodes ---------------------------------------------------------------------------
    def _node(self, index: Index) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    def _value(self, pointer: str) -> Any:
        value: Any = self._data
        for token in jp.split(pointer):
            if isinstance(value, dict):
                value = value.get(token)
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                return None
        return value

    def _wanted(self, node: Node) -> list[tuple[str, str, str | None]]:
        """(key, kind, resource) of the children the data has for ``node`` now."""
        if node.kind == "root":
            return [(key, "section", None) for key in SECTIONS if isinstance(self._data.get(key), dict)]
        value = self._value(node.container)
        if is_intrinsic(value):
            return []
        resource = node.resource
        if node.kind == "section":
            kind = "resource" if node.key == "Resources" else "entry"
            if not isinstance(value, dict):
                return []
            return [(str(key), kind, str(key) if kind == "resource" else None) for key in value]
        if isinstance(value, dict):
            return [(str(key), "entry", resource) for key in value]
        if isinstance(value, list):
            return [(str(i), "entry", resource) for i in range(len(value))]
        return []

    def _children(self, node: Node) -> list[Node]:
        if node.children is None:
            node.children = [self._make(node, key, kind, resource) for key, kind, resource in self._wanted(node)]
        return node.children

    def _make(self, parent: Node, key: str, kind: str, resource: str | None) -> Node:
        return Node(jp.child(parent.container, key), key, parent, kind, resource)

    def _child(self, node: Node, key: str) -> Node | None:
        if node.children is None:
            return None
        return next((child for child in node.children if child.key == key), None)

    def _deepest(self, pointer: str) -> Node:
        """The deepest loaded node whose children's container holds ``pointer``."""
        node = self._root
        while node.children:
            for child in node.children:
                if jp.is_within(pointer, child.pointer):
                    node = child
                    break
            else:
                break
        return node

    def _resync(self, node: Node) -> None:
        parent_index = QModelIndex() if node is self._root else self.createIndex(node.row(), 0, node)
        if node is not self._root:
            self.dataChanged.emit(parent_index, parent_index.siblingAtColumn(len(COLUMNS) - 1))
        if node.children is None:
            return
        wanted = self._wanted(node)
        wanted_keys = [key for key, _, _ in wanted]
        for row in range(len(node.children) - 1, -1, -1):
            if node.children[row].key not in wanted_keys:
                self.beginRemoveRows(parent_index, row, row)
                del node.children[row]
                self.endRemoveRows()
        for row, (key, kind, resource) in enumerate(wanted):
            current = node.children[row] if row < len(node.children) else None
            if current is not None and current.key == key:
                continue
            existing = self._child(node, key)
            if existing is not None:  # moved: take it out, put it back below
                old_row = existing.row()
                self.beginRemoveRows(parent_index, old_row, old_row)
                del node.children[old_row]
                self.endRemoveRows()
            self.beginInsertRows(parent_index, row, row)
            node.children.insert(row, self._make(node, key, kind, resource))
            self.endInsertRows()
        for child in list(node.children):
            self._resync(child)


class TemplateFilter(QSortFilterProxyModel):
    """Filters resources by name or type, optionally to those with findings; sections
    and properties follow their resources."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.only_findings = False
        self._with_findings: set[str] = set()
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange()

    def set_only_findings(self, enabled: bool, with_findings: set[str]) -> None:
        self.beginFilterChange()
        self.only_findings = enabled
        self._with_findings = with_findings
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt override
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        kind = index.data(KIND_ROLE)
        if kind == "section":
            return not (self._text or self.only_findings)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "").lower()
        if kind == "resource":
            if self.only_findings and name and index.data(RESOURCE_ROLE) not in self._with_findings:
                return False
            type_name = str(index.siblingAtColumn(1).data(Qt.ItemDataRole.DisplayRole) or "").lower()
            return not self._text or self._text in name or self._text in type_name
        if index.data(RESOURCE_ROLE):
            return False  # properties show when their resource is accepted and expanded
        return not self.only_findings and (not self._text or self._text in name)
