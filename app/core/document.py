"""The document: a template's data, its text as it would be saved, and positions.

Data changes only through :meth:`Document.apply`, with edits from :mod:`app.core.edits`, and a
batch is a transaction: the data is edited, the new text is produced at once and read back,
and if no text can be produced that reads back as the edited data, the batch is refused and
both data and text stay as they were.  YAML and JSON edits are spliced into the original
text (:mod:`app.core.yaml_splice`, :mod:`app.core.json_splice`) so that everything they do not touch
stays byte for byte; a whole-file re-write is the last resort, and it warns.
"""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from app.core import json_source, json_splice, json_writer, yaml_source, yaml_writer
from app.core import pointer as jp
from app.core.atomic import write_atomic
from app.core.edits import Edit, apply_edits, copy_data, same_data
from app.core.errors import EditError, TemplateError
from app.core.loading import Format, Parsed, decode, format_for_name, newline_of, parse_text, read_file
from app.core.source import Location, PositionIndex, nearest
from app.core.yaml_splice import splice

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
        self._snapshots: OrderedDict[tuple[str, int], str] = OrderedDict()
        self._listeners: list[Listener] = []
        self._unread_warnings = 0

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
        """The text that :meth:`save` writes in the document's own format; it always reads
        back as :attr:`data`."""
        return self._text

    @property
    def bom(self) -> bool:
        """Whether the file began with a UTF-8 byte-order mark (kept out of :attr:`text`,
        written back by :meth:`save`)."""
        return self._bom

    @property
    def positions(self) -> PositionIndex:
        return self._positions

    def locate(self, pointer: str) -> Location:
        """Where ``pointer`` (or its nearest existing ancestor) is in :attr:`text`."""
        return nearest(self._positions, pointer)

    def render(self, format: Format | None = None) -> str:
        """The template as text in ``format`` (the document's own by default); raises
        TemplateError if the data cannot be written faithfully in that format."""
        if format is None or format == self.format:
            return self._text
        try:
            if format == "json":
                return json_writer.dump(self._data)
            return yaml_writer.dump(self._data, yaml_writer.YamlStyle(custom_tags=self._custom_tags))
        except ValueError as error:
            raise TemplateError(self.path, 0, 0, f"cannot be written as {format.upper()}: {error}") from None

    def copy(self) -> Document:
        """An independent document with the same text and data (for planning and
        previews): edits to the copy never reach this one."""
        twin = object.__new__(Document)
        twin.__dict__.update(self.__dict__)
        twin._data = copy_data(self._data)
        twin.warnings = []
        twin._snapshots = OrderedDict(self._snapshots)
        twin._listeners = []
        twin._unread_warnings = 0
        return twin

    def take_warnings(self) -> list[str]:
        """The warnings that edits raised since the last call (a fallback to a whole-file
        re-write, which loses comments), for showing them when they happen."""
        fresh = self.warnings[len(self.warnings) - self._unread_warnings:] if self._unread_warnings else []
        self._unread_warnings = 0
        return fresh

    # -- changing ----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def apply(self, edits: Sequence[Edit]) -> tuple[Edit, ...]:
        """Apply a batch and return the batch that undoes it.

        All or nothing: raises EditError, with data and text exactly as before, if an edit
        does not fit the data or no text can be produced that reads back as the result.
        """
        edits = tuple(edits)
        if not edits:
            return ()
        inverse = apply_edits(self._data, edits)
        before = self._text
        try:
            text, positions, warning = self._write(edits)
        except Exception as error:  # whatever failed, the batch must not half-apply
            apply_edits(self._data, inverse)
            if isinstance(error, EditError):
                raise
            reason = f"the edit cannot be written faithfully ({error}); nothing was changed"
            raise EditError(f"{self.path}: {reason}") from error
        self._text, self._positions = text, positions
        self._remember(inverse, before)
        if warning:
            self.warnings.append(warning)
            self._unread_warnings += 1
        self.revision += 1
        for listener in list(self._listeners):
            listener(edits)
        return inverse

    # -- saving ------------------------------------------------------------------------
    def save(self, path: str | None = None, format: Format | None = None, *, replace_read_only: bool = False) -> None:
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
        write_atomic(target, raw, replace_read_only=replace_read_only)
        if chosen == self.format:
            self.path = target

    # -- producing the text of an edited document --------------------------------------
    def _remember(self, inverse: tuple[Edit, ...], before: str) -> None:
        """Keep the text from before the batch, so that undoing it puts the exact earlier
        text back instead of splicing an approximation."""
        self._snapshots[(_batch_key(inverse), hash(self._text))] = before
        while len(self._snapshots) > _SNAPSHOTS_KEPT:
            self._snapshots.popitem(last=False)

    def _write(self, edits: tuple[Edit, ...]) -> tuple[str, PositionIndex, str | None]:
        """The text of the edited data, its positions, and a warning if comments or
        layout were lost; raises if no faithful text can be produced."""
        snapshot = self._snapshots.pop((_batch_key(edits), hash(self._text)), None)
        if snapshot is not None:
            adopted = self._read_back(snapshot)
            if adopted is not None:
                return snapshot, adopted, None
        if self.format == "json":
            return self._write_json(edits)
        return self._write_yaml(edits)

    def _write_json(self, edits: tuple[Edit, ...]) -> tuple[str, PositionIndex, str | None]:
        scanned = self._positions if isinstance(self._positions, json_source.JsonPositions) else None
        try:
            text = json_splice.splice(self._text, edits, self.path, scanned)
        except Exception:  # noqa: BLE001 - any failure of the splice falls back to a re-write
            text = None
        if text is not None:
            positions = self._read_back(text, edits=edits)
            if positions is not None:
                return text, positions, None
        assert self._json_style is not None
        text = json_writer.dump(self._data, self._json_style)
        positions = self._read_back(text)
        if positions is None:
            raise EditError(f"{self.path}: the edited template cannot be written as JSON that reads back equal")
        return text, positions, (f"{self.path}: the edit could not be spliced into the JSON text; "
                                 "the whole file was re-written")

    def _write_yaml(self, edits: tuple[Edit, ...]) -> tuple[str, PositionIndex, str | None]:
        assert self._yaml_style is not None and isinstance(self._positions, yaml_source.YamlPositions)
        root = self._positions.root
        # Grouped splices first; then one edit at a time; then without literal blocks,
        # which lines after the edit (comments indented as deep as the block) could join.
        attempts = ((True, self._yaml_style), (False, self._yaml_style),
                    (False, dataclasses.replace(self._yaml_style, literal_blocks=False)))
        for together, style in attempts:
            try:
                text, new_root, shared = splice(self._text, edits, style, self._newline, self.path, root,
                                                together=together)
            except Exception:  # noqa: BLE001 - a failed splice falls back to a slower one, then a re-write
                continue
            positions = self._read_back(text, new_root) if shared else self._read_back_entries(text, new_root, edits)
            if positions is not None:
                return text, positions, None
        try:
            text = yaml_writer.dump(self._data, self._yaml_style)
        except ValueError as error:
            raise EditError(f"{self.path}: the edited value cannot be written as YAML: {error}") from None
        if self._newline != "\n":
            text = text.replace("\n", self._newline)
        positions = self._read_back(text)
        if positions is None:
            raise EditError(f"{self.path}: the edited template cannot be written as YAML that reads back equal")
        return text, positions, (f"{self.path}: the edit could not be spliced into the YAML text; "
                                 "the whole file was re-written (comments are lost)")

    def _read_back(self, text: str, root: Node | None = None,
                   edits: Sequence[Edit] | None = None) -> PositionIndex | None:
        """Positions of ``text`` if it reads back as the current data, else None.  For a
        JSON splice of ``edits``, the parse is whole but the comparison is of what the
        splice can change (a JSON value's text alone decides its data)."""
        try:
            if self.format == "json":
                data, json_positions = json_source.load(text, self.path)
                same = same_data(data, self._data) if edits is None else _same_where_edited(data, self._data, edits)
                return json_positions if same else None
            root = root if root is not None else yaml_source.compose(text, self.path)
            data, _ = yaml_source.build(root, self.path)
        except (TemplateError, ValueError, RecursionError):
            return None
        return yaml_source.YamlPositions(root, self.path) if same_data(data, self._data) else None

    def _read_back_entries(self, text: str, root: Node, edits: Sequence[Edit]) -> PositionIndex | None:
        """Positions of a spliced text if it reads back right where a splice can change
        it: the root's keys, the keys of the sections edited, and each edited top-level
        entry (``/Resources/Db``, or a whole section such as ``/Transform``) whole.
        Elsewhere the splice left the text alone, byte for byte, and no alias reaches
        into it (the splicer reports ``shared`` otherwise); reading all of a 500-resource
        template back would double the cost of an edit."""
        positions = yaml_source.YamlPositions(root, self.path)
        try:
            if self._mapping_keys(root) != list(self._data):
                return None
            for entry in _entries(edits, self._data):
                if len(entry) == 2:
                    section = positions.find(jp.join(entry[:1]))
                    if (section is None or not isinstance(section[1], MappingNode)
                            or self._mapping_keys(section[1]) != list(self._data[entry[0]])):
                        return None
                expected = _lookup(self._data, entry)
                found = positions.find(jp.join(entry))
                if expected is _MISSING or found is None:
                    if expected is not _MISSING or found is not None:
                        return None
                    continue
                if not same_data(yaml_source.build(found[1], self.path)[0], expected):
                    return None
        except (TemplateError, RecursionError):
            return None
        return positions

    def _mapping_keys(self, node: Node) -> list[str]:
        if not isinstance(node, MappingNode):
            return []
        return [key.value for key, _ in yaml_source.mapping_members(node, self.path)]


def _entries(edits: Sequence[Edit], data: dict[str, Any]) -> set[tuple[str, ...]]:
    """The top-level entries edits touch: ``("Resources", "Db")`` inside a mapping
    section, the whole section otherwise (``("Transform",)`` for an edit in a list)."""
    entries = set()
    for edit in edits:
        parts = jp.split(edit.pointer)
        mapping_section = len(parts) >= 2 and isinstance(data.get(parts[0]), dict)
        entries.add(parts[:2] if mapping_section else parts[:1])
    return entries


def _same_where_edited(found: Any, expected: dict[str, Any], edits: Sequence[Edit]) -> bool:
    """Whether data read back from a spliced text has the expected root keys, the keys of
    the sections edited, and each edited top-level entry."""
    if not isinstance(found, dict) or list(found) != list(expected):
        return False
    for entry in _entries(edits, expected):
        if len(entry) == 2:
            section = found[entry[0]]
            if not isinstance(section, dict) or list(section) != list(expected[entry[0]]):
                return False
        old, new = _lookup(found, entry), _lookup(expected, entry)
        if (old is _MISSING or new is _MISSING) and old is not new:
            return False
        if old is not _MISSING and not same_data(old, new):
            return False
    return True


def _lookup(data: Any, tokens: tuple[str, ...]) -> Any:
    for token in tokens:
        if not isinstance(data, dict) or token not in data:
            return _MISSING
        data = data[token]
    return data


def _batch_key(edits: Sequence[Edit]) -> str:
    described = [(type(edit).__name__, edit.pointer, getattr(edit, "value", None), getattr(edit, "before", None))
                 for edit in edits]
    return json.dumps(described, default=str)


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
    return yaml_writer.YamlStyle(indent or 2, indent_sequences if indent_sequences is not None else True,
                                 parsed.custom_tags)
