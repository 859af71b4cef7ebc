"""Realise edits on a JSON text as splices, so that every line an edit does not touch
stays byte for byte (re-writing the whole file turned a one-key fix into hundreds of
changed lines wherever the file's layout differs from ``json.dumps``).

Each edit becomes one replacement of a text range, planned on the scanner's spans
(:mod:`app.core.json_source`): a value's span; a new member after the last one, or before a
sibling, with the separator its neighbours use; a removed member with the separator that
belongs to it.  A new value is written where it lands: on one line inside a one-line
object or array, with that container's separators; else on lines indented by the file's
unit from the line the member starts on, with the file's line ending.

Edits that cannot interact are planned on one scan and spliced together; an edit that
addresses something another edit of the group creates, replaces, removes or renumbers, or
whose range overlaps another's, waits for the text to be re-scanned.  The caller re-reads the
result and compares it with the edited data: this module may be wrong, the check may not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.core import json_writer
from app.core import pointer as jp
from app.core.edits import Add, Edit, Set
from app.core.errors import EditError
from app.core.json_source import JsonPositions, Span

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


@dataclass(frozen=True)
class _Entry:
    """A member of an object (``start`` is its key's) or an item of an array."""

    start: int
    value: Span


@dataclass(frozen=True)
class _Layout:
    one_line: bool
    item_separator: str
    key_separator: str


@dataclass(frozen=True)
class _Claim:
    """What an edit relies on in the text it is planned on."""

    pointer: str
    keyed: bool  # an Add or Remove: the key or item at ``pointer`` comes or goes
    before: str | None  # the sibling an Add goes before
    renumbered_list: str | None  # the list an Add or Remove shifts
    adds_to: str | None  # the container an Add extends

    @classmethod
    def of(cls, edit: Edit) -> _Claim:
        parent, token = jp.parent(edit.pointer), jp.last(edit.pointer)
        keyed = not isinstance(edit, Set)
        renumbered_list = parent if keyed and (token == "-" or token.isdigit()) else None
        if isinstance(edit, Add):
            before = jp.child(parent, edit.before) if edit.before is not None else None
            return cls(edit.pointer, keyed, before, renumbered_list, parent)
        return cls(edit.pointer, keyed, None, renumbered_list, None)

    def meets(self, other: _Claim) -> bool:
        """Whether one edit addresses what the other creates, replaces, removes or renumbers."""
        return (jp.is_within(self.pointer, other.pointer) or jp.is_within(other.pointer, self.pointer)
                or self._follows(other) or other._follows(self))

    def _follows(self, other: _Claim) -> bool:
        """Whether ``other`` moves what this edit's place is found from."""
        moves_before = other.keyed and other.pointer == self.before
        renumbered = other.renumbered_list is not None and jp.is_within(self.pointer, other.renumbered_list)
        return moves_before or renumbered


@dataclass(frozen=True)
class _Splice:
    start: int
    end: int
    text: str
    claim: _Claim

    def meets(self, other: _Splice) -> bool:
        """Whether the two ranges overlap.  Ranges that only touch splice together (each
        text is cut from the text both were planned on), and so do two insertions at one
        point into one container, in edit order; at one point from two containers the
        order would be a guess."""
        if self.start == self.end == other.start == other.end:
            return self.claim.adds_to is None or self.claim.adds_to != other.claim.adds_to
        return self.start < other.end and other.start < self.end


def splice(text: str, edits: Sequence[Edit], path: str, positions: JsonPositions | None = None) -> str:
    """``text`` with ``edits`` applied in order; raises EditError when one does not fit.
    ``positions`` are those of ``text`` if the caller has them (saves a scan)."""
    root = positions.tree() if positions is not None and positions.text == text else None
    return _Splicer(text, path, root).apply(edits)


class _Splicer:
    def __init__(self, text: str, path: str, root: Span | None) -> None:
        self.text = text
        self.path = path
        self._root = root
        style = json_writer.detect(text)
        self.newline = style.newline
        self.unit = style.indent or "  "
        self.one_line_file = style.indent is None
        self.default_separators = (",", ":") if style.compact else (", ", ": ")

    @property
    def root(self) -> Span:
        if self._root is None:
            self._root = JsonPositions(self.text, self.path).tree()
        return self._root

    def apply(self, edits: Sequence[Edit]) -> str:
        group: list[_Splice] = []
        for edit in edits:
            claim = _Claim.of(edit)
            if any(claim.meets(other.claim) for other in group):
                self._flush(group)
            planned = self._plan(edit, claim)
            if any(planned.meets(other) for other in group):
                self._flush(group)
                planned = self._plan(edit, claim)
            group.append(planned)
        self._flush(group)
        return self.text

    def _flush(self, group: list[_Splice]) -> None:
        """Splice a group planned on the current text, and forget its spans."""
        if not group:
            return
        pieces: list[str] = []
        cursor = 0
        # An insertion where a replacement starts goes before it; sorting is stable, so
        # insertions at one point keep their edit order.
        for planned in sorted(group, key=lambda splice: (splice.start, splice.end)):
            pieces += [self.text[cursor : planned.start], planned.text]
            cursor = planned.end
        pieces.append(self.text[cursor:])
        self.text = "".join(pieces)
        self._root = None
        group.clear()

    # -- one edit ----------------------------------------------------------------------
    def _plan(self, edit: Edit, claim: _Claim) -> _Splice:
        if edit.pointer == "":
            raise EditError("the document root cannot be replaced, added or removed")
        if not edit.pointer.startswith("/"):
            raise EditError(f"{edit.pointer!r} is not a JSON pointer")
        chain = self._chain(jp.parent(edit.pointer))
        container, token = chain[-1], jp.last(edit.pointer)
        if container.members is None and container.items is None:
            raise EditError(f"{edit.pointer}: parent is not a mapping or list")
        if isinstance(edit, Set):
            start, end, text = self._set(container, token, edit.pointer, edit.value)
        elif isinstance(edit, Add):
            start, end, text = self._add(chain, token, edit)
        else:
            start, end, text = self._remove(container, token, edit.pointer)
        return _Splice(start, end, text, claim)

    def _chain(self, pointer: str) -> list[Span]:
        """The spans from the root down to ``pointer``."""
        chain = [self.root]
        for token in jp.split(pointer):
            node = chain[-1]
            if node.members is not None:
                if token not in node.members:
                    raise EditError(f"{pointer}: no key {token!r}")
                chain.append(node.members[token][1])
            elif node.items is not None:
                chain.append(node.items[_index(token, len(node.items), pointer, allow_end=False)])
            else:
                raise EditError(f"{pointer}: {token!r} is below a scalar")
        return chain

    def _set(self, container: Span, token: str, pointer: str, value: Any) -> tuple[int, int, str]:
        if container.members is not None:
            if token not in container.members:
                raise EditError(f"{pointer}: no key {token!r} to set")
            start, old = container.members[token]
        else:
            assert container.items is not None
            old = container.items[_index(token, len(container.items), pointer, allow_end=False)]
            start = old.start
        layout = self._layout([container, old])
        return old.start, old.end, self._value(value, layout, self._line_indent(start))

    def _add(self, chain: list[Span], token: str, edit: Add) -> tuple[int, int, str]:
        container = chain[-1]
        if container.members is None:
            assert container.items is not None
            index = _index(token, len(container.items), edit.pointer, allow_end=True)
            return self._insert(chain, index, None, edit.value)
        if token in container.members:
            raise EditError(f"{edit.pointer}: key {token!r} exists already")
        names = list(container.members)
        index = names.index(edit.before) if edit.before in container.members else len(names)
        return self._insert(chain, index, token, edit.value)

    def _insert(self, chain: list[Span], index: int, name: str | None, value: Any) -> tuple[int, int, str]:
        """A new entry at ``index``: before the entry there, with the separator that
        precedes it, or after the last one, with the separator between the last two."""
        container = chain[-1]
        entries = _entries(container)
        if not entries:
            return self._fill(chain, name, value)
        layout = self._layout([container])
        if index < len(entries):
            at = entries[index].start
            separator = self._separator(container, entries, max(index - 1, 0), layout)
            return at, at, self._entry(name, value, layout, self._line_indent(at)) + separator
        at = entries[-1].value.end
        separator = self._separator(container, entries, len(entries) - 2, layout)
        indent = _indent_after_break(separator)
        if indent is None:
            indent = self._line_indent(entries[-1].start)
        return at, at, separator + self._entry(name, value, layout, indent)

    def _fill(self, chain: list[Span], name: str | None, value: Any) -> tuple[int, int, str]:
        """The first entry of an empty object or array: on its line inside a one-line
        container, else on a line of its own."""
        container = chain[-1]
        brackets = self.text[container.start], self.text[container.end - 1]
        layout = self._layout(chain[-2:-1])
        if layout.one_line:
            return container.start, container.end, brackets[0] + self._entry(name, value, layout, "") + brackets[1]
        outer = self._line_indent(container.start)
        inner = outer + self.unit
        entry = self._entry(name, value, layout, inner)
        lines = f"{brackets[0]}{self.newline}{inner}{entry}{self.newline}{outer}{brackets[1]}"
        return container.start, container.end, lines

    def _remove(self, container: Span, token: str, pointer: str) -> tuple[int, int, str]:
        """The entry with the separator after it; the last one with the separator before
        it; the only one leaves the brackets."""
        entries = _entries(container)
        if container.members is not None:
            if token not in container.members:
                raise EditError(f"{pointer}: no key {token!r} to remove")
            index = list(container.members).index(token)
        else:
            index = _index(token, len(entries), pointer, allow_end=False)
        if len(entries) == 1:
            return container.start, container.end, self.text[container.start] + self.text[container.end - 1]
        if index + 1 < len(entries):
            return entries[index].start, entries[index + 1].start, ""
        return entries[index - 1].value.end, entries[index].value.end, ""

    # -- style -------------------------------------------------------------------------
    def _layout(self, candidates: Sequence[Span]) -> _Layout:
        """One line, with the separators of the first one-line container among
        ``candidates`` (the container edited, the value replaced); else lines."""
        one_line = [span for span in candidates if self._is_one_line(span)]
        if one_line or (not candidates and self.one_line_file):
            separators = next(filter(None, map(self._separators, one_line)), self.default_separators)
            return _Layout(True, *separators)
        key_separator = next(filter(None, map(self._key_separator, candidates)), self.default_separators[1])
        return _Layout(False, ",", key_separator)

    def _is_one_line(self, span: Span) -> bool:
        return bool(span.members or span.items) and not self._has_break(span.start, span.end)

    def _separators(self, span: Span) -> tuple[str, str] | None:
        """The item and key separators of a one-line container, as far as it shows them."""
        entries = _entries(span)
        item = self.text[entries[0].value.end : entries[1].start] if len(entries) > 1 else None
        key = self._key_separator(span)
        if item is None and key is None:
            return None
        spaced = " " if (key or item or "").endswith(" ") else ""
        return item or "," + spaced, key or ":" + spaced

    def _key_separator(self, span: Span) -> str | None:
        """What stands between the first key of an object and its value, if on one line."""
        if not span.members:
            return None
        key_start, value = next(iter(span.members.values()))
        match = _STRING.match(self.text, key_start)
        assert match is not None
        return None if self._has_break(match.end(), value.start) else self.text[match.end() : value.start]

    def _separator(self, container: Span, entries: list[_Entry], index: int, layout: _Layout) -> str:
        """The text between entry ``index`` and the next; for a lone entry, one in the
        container's style."""
        if len(entries) > 1:
            return self.text[entries[index].value.end : entries[index + 1].start]
        if layout.one_line:
            return layout.item_separator
        lone = entries[0].start
        if self._first_on_line(lone):
            return "," + self.newline + self._line_indent(lone)
        return "," + self.newline + self._line_indent(container.start) + self.unit

    # -- rendering ---------------------------------------------------------------------
    def _entry(self, name: str | None, value: Any, layout: _Layout, indent: str) -> str:
        rendered = self._value(value, layout, indent)
        return rendered if name is None else _encode(name) + layout.key_separator + rendered

    def _value(self, value: Any, layout: _Layout, indent: str) -> str:
        """``value`` as JSON; on lines, continued at ``indent`` (that of the line it starts on)."""
        if layout.one_line:
            return _encode(value, None, (layout.item_separator, layout.key_separator))
        return _encode(value, self.unit, (",", layout.key_separator)).replace("\n", self.newline + indent)

    # -- text helpers ------------------------------------------------------------------
    def _has_break(self, start: int, end: int) -> bool:
        return self.text.find("\n", start, end) >= 0 or self.text.find("\r", start, end) >= 0

    def _line_start(self, at: int) -> int:
        return max(self.text.rfind("\n", 0, at), self.text.rfind("\r", 0, at)) + 1

    def _line_indent(self, at: int) -> str:
        start = end = self._line_start(at)
        while end < at and self.text[end] in " \t":
            end += 1
        return self.text[start:end]

    def _first_on_line(self, at: int) -> bool:
        return not self.text[self._line_start(at) : at].strip(" \t")


def _entries(container: Span) -> list[_Entry]:
    if container.members is not None:
        return [_Entry(key_start, value) for key_start, value in container.members.values()]
    return [_Entry(item.start, item) for item in container.items or ()]


def _index(token: str, length: int, pointer: str, *, allow_end: bool) -> int:
    try:
        return jp.list_index(token, length, allow_end=allow_end)
    except ValueError as error:
        raise EditError(f"{pointer}: {error}") from None


def _indent_after_break(separator: str) -> str | None:
    """The indentation a separator leaves the next entry at, if it breaks the line."""
    last_break = max(separator.rfind("\n"), separator.rfind("\r"))
    if last_break < 0:
        return None
    tail = separator[last_break + 1 :]
    return tail[: len(tail) - len(tail.lstrip(" \t"))]


def _encode(value: Any, indent: str | None = None, separators: tuple[str, str] | None = None) -> str:
    try:
        return json_writer.encode(value, indent, separators, allow_nan=False)
    except (ValueError, TypeError, RecursionError) as error:
        raise EditError(f"the value cannot be written as JSON: {error}") from None
