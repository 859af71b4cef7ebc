"""The document: a template's data, its text as it would be saved, and positions.

Data changes only through :meth:`Document.apply`, with edits from :mod:`app.edits`.
The text follows lazily: JSON is re-written in the file's own indentation; YAML edits are
spliced into the original text (see :mod:`app.yaml_splice`) so everything they do not
touch stays byte for byte, and a full re-write happens only if the splice result fails to
read back as the edited data.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from app import json_writer, yaml_source, yaml_writer
from app import pointer as jp
from app.atomic import write_atomic
from app.edits import Edit, apply_edits, same_data
from app.errors import EditError, TemplateError
from app.json_source import JsonPositions
from app.loading import Format, Parsed, decode, format_for_name, newline_of, parse_text, read_file
from app.source import Location, PositionIndex, nearest
from app.yaml_splice import splice
from yaml.nodes import MappingNode, Node, SequenceNode

Listener = Callable[[Sequence[Edit]], None]
_UTF8_BOM = "\ufeff"
_MISSING = object()
_SNAPSHOTS_KEPT = 64


class Document:
    def __init__(self, parsed: Parsed, path: str, *, bom: bool = False) -> None:
        self.path = path
        self.format: Format = parsed.format
        self.revision = 0
        self.warnings: list[str] = []
        self._data = parsed.data
        self._text = parsed.text
        self._positions: PositionIndex = parsed.positions
        self._bom = bom
        self._custom_tags = parsed.custom_tags
        self._newline = newline_of(parsed.text)
        self._json_style = json_writer.detect(parsed.text) if parsed.format == "json" else None
        self._yaml_style = _detect_yaml_style(parsed) if parsed.format == "yaml" else None
        self._pending: list[Edit] = []
        self._candidate: str | None = None
        self._snapshots: OrderedDict[str, str] = OrderedDict()
        self._listeners: list[Listener] = []

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(cls, path: str) -> Document:
        text, bom = decode(read_file(path), path)
        return cls(parse_text(text, path), path, bom=bom)

    @classmethod
    def from_text(cls, text: str, path: str = "<template>", format: Format | None = None) -> Document:
        bom = text.startswith(_UTF8_BOM)
        return cls(parse_text(text[1:] if bom else text, path, format), path, bom=bom)

    # -- reading -----------------------------------------------------------------------
    @property
    def data(self) -> dict[str, Any]:
        """The template as plain data.  Read it; change it only through :meth:`apply`."""
        return self._data

    @property
    def text(self) -> str:
        """The text that :meth:`save` would write in the document's own format."""
        self._realize()
        return self._text

    @property
    def positions(self) -> PositionIndex:
        self._realize()
        return self._positions

    def locate(self, pointer: str) -> Location:
        """Where ``pointer`` (or its nearest existing ancestor) is in :attr:`text`."""
        return nearest(self.positions, pointer)

    def render(self, format: Format | None = None) -> str:
        """The template as text in ``format`` (the document's own by default)."""
        if format is None or format == self.format:
            return self.text
        if format == "json":
            return json_writer.dump(self._data)
        return yaml_writer.dump(self._data, yaml_writer.YamlStyle(custom_tags=self._custom_tags))

    # -- changing ----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def apply(self, edits: Sequence[Edit]) -> tuple[Edit, ...]:
        """Apply a batch (all or nothing) and return the batch that undoes it."""
        edits = tuple(edits)
        if not edits:
            return ()
        realized_before = not self._pending
        inverse = apply_edits(self._data, edits)
        snapshot = self._snapshots.pop(_batch_key(edits), None)
        if realized_before:
            self._snapshots[_batch_key(inverse)] = self._text
            while len(self._snapshots) > _SNAPSHOTS_KEPT:
                self._snapshots.popitem(last=False)
            # Undo puts the exact earlier text back instead of splicing an approximation.
            self._candidate = snapshot
        self._pending.extend(edits)
        self.revision += 1
        for listener in list(self._listeners):
            listener(edits)
        return inverse

    # -- saving ------------------------------------------------------------------------
    def save(self, path: str | None = None, format: Format | None = None) -> None:
        """Write atomically to ``path`` (this document's file by default) in ``format``
        (else the path's extension, else the document's own).  Saving to a new path in
        the document's format makes that path the document's file."""
        target = path or self.path
        chosen = format or (format_for_name(target) if target != self.path else None) or self.format
        text = self.render(chosen)
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise TemplateError(target, 0, 0, f"cannot encode as UTF-8: {error.reason}") from None
        if self._bom and chosen == self.format:
            raw = _UTF8_BOM.encode("utf-8") + raw
        write_atomic(target, raw)
        if chosen == self.format:
            self.path = target

    # -- realising edits in the text ----------------------------------------------------
    def _realize(self) -> None:
        if not self._pending:
            return
        edits, self._pending = self._pending, []
        candidate, self._candidate = self._candidate, None
        if candidate is not None and len(edits) and self._adopt(candidate):
            return
        if self.format == "json":
            assert self._json_style is not None
            text = json_writer.dump(self._data, self._json_style)
            self._text, self._positions = text, JsonPositions(text, self.path)
            return
        assert self._yaml_style is not None
        root = self._positions.root if isinstance(self._positions, yaml_source.YamlPositions) else None
        for together in (True, False):
            try:
                text, new_root = splice(self._text, edits, self._yaml_style, self._newline, self.path, root, together=together)
                if self._adopt_splice(text, new_root, edits):
                    return
            except (TemplateError, EditError):
                continue
        self.warnings.append(
            f"{self.path}: the edit could not be spliced into the YAML text; "
            "the whole file was re-written (comments are lost)"
        )
        text = yaml_writer.dump(self._data, self._yaml_style)
        if self._newline != "\n":
            text = text.replace("\n", self._newline)
        if not self._adopt(text):
            raise TemplateError(self.path, 0, 0, "internal error: the re-written YAML does not read back")

    def _adopt_splice(self, text: str, root: Node, edits: Sequence[Edit]) -> bool:
        """Take a spliced text if it reads back right where a splice can change it: the
        top-level entries the edits touch, whole, and the keys of the root and of their
        sections.  Elsewhere the splice left the text alone, byte for byte; reading all
        of a 500-resource template back would double the cost of an edit."""
        positions = yaml_source.YamlPositions(root, self.path)
        try:
            if list(self._mapping_keys(root)) != list(self._data):
                return False
            for entry in _entries(edits):
                if len(entry) == 2 and isinstance(self._data.get(entry[0]), dict):
                    section = positions.find(jp.join(entry[:1]))
                    if section is None or list(self._mapping_keys(section[1])) != list(self._data[entry[0]]):
                        return False
                expected = self._data
                for token in entry:
                    expected = expected[token] if isinstance(expected, dict) and token in expected else _MISSING
                found = positions.find(jp.join(entry))
                if expected is _MISSING or found is None:
                    if expected is not _MISSING or found is not None:
                        return False
                    continue
                if not same_data(yaml_source.build(found[1], self.path)[0], expected):
                    return False
        except TemplateError:
            return False
        self._text, self._positions = text, positions
        return True

    def _mapping_keys(self, node: Node) -> list[str]:
        if not isinstance(node, MappingNode):
            return []
        return [key.value for key, _ in yaml_source.mapping_members(node, self.path)]

    def _adopt(self, text: str, root: Node | None = None) -> bool:
        """Take ``text`` as the document's text if it reads back as the current data.
        ``root`` is its YAML node tree when the caller composed it already."""
        try:
            if self.format == "json":
                if same_data(json.loads(text), self._data):
                    self._text, self._positions = text, JsonPositions(text, self.path)
                    return True
                return False
            root = root if root is not None else yaml_source.compose(text, self.path)
            data, _ = yaml_source.build(root, self.path)
        except (TemplateError, ValueError):
            return False
        if same_data(data, self._data):
            self._text, self._positions = text, yaml_source.YamlPositions(root, self.path)
            return True
        return False


def _entries(edits: Sequence[Edit]) -> set[tuple[str, ...]]:
    """The top-level entries (``("Resources", "Db")``, or a whole section) edits touch."""
    return {jp.split(edit.pointer)[:2] for edit in edits}


def _batch_key(edits: Sequence[Edit]) -> str:
    return json.dumps([(type(edit).__name__, edit.pointer, getattr(edit, "value", None), getattr(edit, "before", None)) for edit in edits], default=str)


def _detect_yaml_style(parsed: Parsed) -> yaml_writer.YamlStyle:
    """Indent step and sequence style of the first nested block collections found."""
    positions = parsed.positions
    assert isinstance(positions, yaml_source.YamlPositions)
    indent: int | None = None
    indent_sequences: bool | None = None
    queue: list[Node] = [positions.root]
    while queue and (indent is None or indent_sequences is None):
        node = queue.pop(0)
        if not isinstance(node, MappingNode) or node.flow_style:
            if isinstance(node, SequenceNode):
                queue.extend(node.value)
            continue
        for key, value in node.value:
            if getattr(value, "flow_style", True) or not value.value:
                continue
            child_column = value.value[0][0].start_mark.column if isinstance(value, MappingNode) else None
            if indent is None and child_column is not None and child_column > key.start_mark.column:
                indent = child_column - key.start_mark.column
            if indent_sequences is None and isinstance(value, SequenceNode):
                dash_column = value.start_mark.column
                indent_sequences = dash_column > key.start_mark.column
            queue.append(value)
    return yaml_writer.YamlStyle(indent or 2, indent_sequences if indent_sequences is not None else True, parsed.custom_tags)
