"""Realise edits on a YAML text as splices, so that everything an edit does not touch —
comments, blank lines, quoting, key order, short-form tags — stays byte for byte.

Each edit becomes one replacement of a text range: a value's span, a new key line at the
mapping's indentation, a removed key's lines.  Edits whose ranges cannot interact are
spliced together from the bottom of the file up; an edit that lands inside or next to an
earlier one waits for the text to be re-composed.  Where no small splice can express an
edit (an empty ``{}``, the last key of a mapping, a function's argument) the edit is
widened to a replacement of the nearest enclosing value.  The caller re-parses the result
and compares it with the edited data: this module may be wrong, the check may not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app import pointer as jp
from app.edits import Add, Edit, Remove, Set, apply_one
from app.errors import EditError
from app.intrinsics import TAG_TO_KEY
from app.yaml_source import build, compose, is_merge_key, mapping_members
from app.yaml_writer import Emitter, YamlStyle, quote


class _Widen(Exception):
    """This edit needs the enclosing value rewritten."""


@dataclass(frozen=True)
class _Step:
    pointer: str
    key: Node | None
    node: Node
    kind: str  # "root", "member", "item", "tag" (a function name), "scalar" (inside one)


@dataclass(frozen=True)
class _Splice:
    start: int
    end: int
    text: str


def content_end(text: str, node: Node) -> int:
    """Where a node's own text ends: before the trailing comments, blank lines and the
    next line's indentation that PyYAML counts into block scalars and collections."""
    if isinstance(node, ScalarNode):
        end = node.end_mark.index
        if node.style in ("|", ">"):
            while end > node.start_mark.index and text[end - 1] in " \t\r\n":
                end -= 1
        return end
    if node.flow_style or not node.value:
        return int(node.end_mark.index)
    last = node.value[-1]
    return content_end(text, last[1] if isinstance(node, MappingNode) else last)


class Splicer:
    def __init__(self, text: str, style: YamlStyle, newline: str, path: str, root: Node | None = None) -> None:
        self.text = text
        self.root = root if root is not None else compose(text, path)
        self.emitter = Emitter(style)
        self.newline = newline
        self.path = path

    def apply(self, edits: Sequence[Edit], *, together: bool = True) -> tuple[str, Node]:
        """The text with every edit spliced in, and its node tree.  ``together=False``
        re-composes after each edit: slower, for when grouping went wrong."""
        group: list[tuple[_Splice, str, str | None]] = []
        for edit in edits:
            planned = self._plan(edit)
            if group and (not together or _conflicts(planned, group)):
                self._flush(group)
                group = []
                planned = self._plan(edit)
            group.append(planned)
        if group:
            self._flush(group)
        return self.text, self.root

    # -- grouping ----------------------------------------------------------------------
    def _flush(self, group: list[tuple[_Splice, str, str | None]]) -> None:
        """Apply a group bottom-up.  Insertions at one point go in edit order, except
        that one into a deeper container goes first: the end of a nested mapping is also
        the end of the mapping around it, and its lines must stay inside."""

        def order(i: int) -> tuple[int, int, int]:
            splice, pointer, _ = group[i]
            return splice.start, -pointer.count("/"), i

        text = self.text
        for index in sorted(range(len(group)), key=order, reverse=True):
            splice = group[index][0]
            text = text[: splice.start] + splice.text + text[splice.end :]
        self.text = text
        self.root = compose(text, self.path)

    def _plan(self, edit: Edit) -> tuple[_Splice, str, str | None]:
        """The splice for ``edit``, the pointer it rewrites, and the list it shifts."""
        try:
            splice = self._splice(edit)
        except _Widen:
            return self._widened(edit)
        token = jp.last(edit.pointer)
        shifts_list = not isinstance(edit, Set) and (token == "-" or token.isdigit())
        return splice, edit.pointer, jp.parent(edit.pointer) if shifts_list else None

    # -- locating ----------------------------------------------------------------------
    def _chain(self, pointer: str) -> list[_Step]:
        steps = [_Step("", None, self.root, "root")]
        node: Node = self.root
        current = ""
        for token in jp.split(pointer):
            current = jp.child(current, token)
            last = steps[-1]
            if last.kind in ("tag", "scalar") and isinstance(node, ScalarNode):
                steps.append(_Step(current, None, node, "scalar"))
                continue
            if last.kind != "tag" and node.tag.startswith("!") and token == TAG_TO_KEY.get(node.tag, node.tag[1:]):
                steps.append(_Step(current, None, node, "tag"))
                continue
            if isinstance(node, MappingNode):
                for key, value in mapping_members(node, self.path):
                    if key.value == token:
                        steps.append(_Step(current, key, value, "member"))
                        node = value
                        break
                else:
                    raise _Missing(current)
            elif isinstance(node, SequenceNode):
                if not token.isdigit() or int(token) >= len(node.value):
                    raise _Missing(current)
                node = node.value[int(token)]
                steps.append(_Step(current, None, node, "item"))
            else:
                raise _Missing(current)
        return steps

    def _in_flow(self, steps: list[_Step]) -> bool:
        return any(getattr(step.node, "flow_style", False) for step in steps)

    # -- one edit ----------------------------------------------------------------------
    def _splice(self, edit: Edit) -> _Splice:
        if isinstance(edit, Set):
            try:
                steps = self._chain(edit.pointer)
            except _Missing:
                raise _Widen from None
            target = steps[-1]
            if target.kind not in ("member", "item"):
                raise _Widen
            return self._replace(steps, edit.value)
        parent_pointer = jp.parent(edit.pointer)
        try:
            steps = self._chain(parent_pointer)
        except _Missing:
            raise _Widen from None
        container = steps[-1].node
        if steps[-1].kind == "scalar" or isinstance(container, ScalarNode) or not container.value:
            raise _Widen
        if any(is_merge_key(key) for key, _ in container.value) if isinstance(container, MappingNode) else False:
            raise _Widen
        token = jp.last(edit.pointer)
        flow = self._in_flow(steps)
        if isinstance(edit, Add):
            if isinstance(container, MappingNode):
                return self._add_member(container, token, edit.value, edit.before, flow)
            return self._add_item(container, token, edit.value, flow)
        if isinstance(container, MappingNode):
            return self._remove_member(container, token, flow)
        return self._remove_item(container, token, flow)

    def _replace(self, steps: list[_Step], value: Any) -> _Splice:
        target = steps[-1]
        end = content_end(self.text, target.node)
        if self._in_flow(steps[:-1]):
            return _Splice(target.node.start_mark.index, end, self._nl(self.emitter.flow(value)))
        if target.kind == "member":
            assert target.key is not None
            column = target.key.start_mark.column
            start = self._colon_end(target.key)
            return _Splice(start, max(start, end), self._nl(self.emitter.after_key(value, column)))
        dash = self._dash(target.node)
        return _Splice(target.node.start_mark.index, end, self._nl(self.emitter.after_dash(value, self._column(dash))))

    def _add_member(self, mapping: MappingNode, name: str, value: Any, before: str | None, flow: bool) -> _Splice:
        keys = [key for key, _ in mapping.value]
        following = next((key for key in keys if key.value == before), None) if before else None
        if flow or mapping.flow_style:
            entry = f"{quote(name, in_flow=True)}: {self.emitter.flow(value)}"
            if following is not None:
                return _Splice(following.start_mark.index, following.start_mark.index, entry + ", ")
            at = content_end(self.text, mapping.value[-1][1])
            return _Splice(at, at, ", " + self._nl(entry))
        column = keys[0].start_mark.column
        line = " " * column + self.emitter.key(name) + ":" + self.emitter.after_key(value, column)
        if following is not None:
            if not self._first_on_line(following.start_mark.index):
                raise _Widen
            at = self._line_start(following.start_mark.index)
        else:
            at = self._line_end(content_end(self.text, mapping.value[-1][1]))
        return _Splice(at, at, self._nl(self._line_break_before(at) + line + "\n"))

    def _add_item(self, sequence: SequenceNode, token: str, value: Any, flow: bool) -> _Splice:
        items = sequence.value
        try:
            index = jp.list_index(token, len(items), allow_end=True)
        except ValueError:
            raise _Widen from None
        if flow or sequence.flow_style:
            rendered = self.emitter.flow(value)
            if index == len(items):
                at = content_end(self.text, items[-1])
                return _Splice(at, at, ", " + self._nl(rendered))
            at = items[index].start_mark.index
            return _Splice(at, at, self._nl(rendered) + ", ")
        anchor = items[min(index, len(items) - 1)]
        dash = self._dash(anchor)
        if not self._first_on_line(dash):
            raise _Widen
        column = self._column(dash)
        line = " " * column + "- " + self.emitter.after_dash(value, column)
        at = self._line_start(dash) if index < len(items) else self._line_end(content_end(self.text, anchor))
        return _Splice(at, at, self._nl(self._line_break_before(at) + line + "\n"))

    def _remove_member(self, mapping: MappingNode, name: str, flow: bool) -> _Splice:
        pairs = mapping.value
        if len(pairs) < 2:
            raise _Widen
        position = next(i for i, (key, _) in enumerate(pairs) if key.value == name)
        key, value = pairs[position]
        following = pairs[position + 1][0] if position + 1 < len(pairs) else None
        if flow or mapping.flow_style:
            if following is not None:
                return _Splice(key.start_mark.index, following.start_mark.index, "")
            return _Splice(content_end(self.text, pairs[position - 1][1]), content_end(self.text, value), "")
        if self._first_on_line(key.start_mark.index):
            start = self._line_start(key.start_mark.index)
            return _Splice(start, self._line_end(content_end(self.text, value)), "")
        if following is None:
            raise _Widen
        return _Splice(key.start_mark.index, following.start_mark.index, "")

    def _remove_item(self, sequence: SequenceNode, token: str, flow: bool) -> _Splice:
        items = sequence.value
        if len(items) < 2:
            raise _Widen
        index = int(token)
        item = items[index]
        if flow or sequence.flow_style:
            if index + 1 < len(items):
                return _Splice(item.start_mark.index, items[index + 1].start_mark.index, "")
            return _Splice(content_end(self.text, items[index - 1]), content_end(self.text, item), "")
        dash = self._dash(item)
        if not self._first_on_line(dash):
            raise _Widen
        return _Splice(self._line_start(dash), self._line_end(content_end(self.text, item)), "")

    def _widened(self, edit: Edit) -> tuple[_Splice, str, str | None]:
        """Replace the nearest enclosing member or item with its edited value."""
        pointer = jp.parent(edit.pointer)
        while True:
            try:
                steps = self._chain(pointer)
            except _Missing as missing:
                pointer = jp.parent(missing.pointer)
                continue
            if steps[-1].kind in ("member", "item"):
                break
            if pointer == "":
                raise EditError(f"{edit.pointer}: no enclosing value to rewrite")
            pointer = jp.parent(pointer)
        holder = {"value": build(steps[-1].node, self.path)[0]}
        relative = "/value" + edit.pointer[len(pointer) :]
        if isinstance(edit, Set):
            apply_one(holder, Set(relative, edit.value))
        elif isinstance(edit, Add):
            apply_one(holder, Add(relative, edit.value, edit.before))
        else:
            apply_one(holder, Remove(relative))
        return self._replace(steps, holder["value"]), pointer, None

    # -- text helpers ------------------------------------------------------------------
    def _colon_end(self, key: Node) -> int:
        at = key.end_mark.index
        while at < len(self.text) and self.text[at] in " \t":
            at += 1
        if at >= len(self.text) or self.text[at] != ":":
            raise _Widen
        return at + 1

    def _dash(self, item: Node) -> int:
        at = item.start_mark.index - 1
        while at >= 0 and self.text[at] in " \t":
            at -= 1
        if at < 0 or self.text[at] != "-":
            raise _Widen
        return at

    def _line_start(self, at: int) -> int:
        return self.text.rfind("\n", 0, at) + 1

    def _line_end(self, at: int) -> int:
        found = self.text.find("\n", at)
        return len(self.text) if found < 0 else found + 1

    def _first_on_line(self, at: int) -> bool:
        return not self.text[self._line_start(at) : at].strip()

    def _column(self, at: int) -> int:
        return at - self._line_start(at)

    def _line_break_before(self, at: int) -> str:
        return "\n" if at == len(self.text) and self.text and not self.text.endswith("\n") else ""

    def _nl(self, rendered: str) -> str:
        return rendered.replace("\n", self.newline) if self.newline != "\n" else rendered


class _Missing(Exception):
    def __init__(self, pointer: str) -> None:
        super().__init__(pointer)
        self.pointer = pointer


def _conflicts(planned: tuple[_Splice, str, str | None], group: list[tuple[_Splice, str, str | None]]) -> bool:
    """Whether a planned splice may not join the group computed on the same tree.

    It may not if it addresses a subtree another edit of the group creates or rewrites,
    shifts the same list, or its text range meets another's (two insertions at one point
    are fine: they keep their order).
    """
    splice, pointer, list_parent = planned
    for other, other_pointer, other_list in group:
        if jp.is_within(pointer, other_pointer) or jp.is_within(other_pointer, pointer):
            return True
        if list_parent is not None and list_parent == other_list:
            return True
        inserting_at_same_point = splice.start == splice.end == other.start == other.end
        if not inserting_at_same_point and splice.start <= other.end and other.start <= splice.end:
            return True
    return False


def splice(text: str, edits: Sequence[Edit], style: YamlStyle, newline: str, path: str,
           root: Node | None = None, *, together: bool = True) -> tuple[str, Node]:
    """The text with ``edits`` applied and its node tree; raises TemplateError or
    EditError on failure.  ``root`` is the text's node tree if the caller has it."""
    return Splicer(text, style, newline, path, root).apply(edits, together=together)

