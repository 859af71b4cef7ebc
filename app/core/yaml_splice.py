"""Realise edits on a YAML text as splices, so that everything an edit does not touch —
comments, blank lines, quoting, key order, short-form tags — stays byte for byte.

Each edit becomes one replacement of a text range: a value's span, a new key line at the
mapping's indentation, a removed key's lines.  Edits are planned against the batch's own
intermediate state: edits whose ranges cannot interact are spliced together from the bottom
of the file up, and an edit that depends on an earlier one of the batch (it addresses what
that one created, or a list that one shifted) waits until the text has been re-composed.
Where no small splice can express an edit (an empty ``{}``, the last key of a mapping, a
function's argument) it is widened to a replacement of the nearest enclosing value.

An edit never writes through a YAML alias into the other users of a shared node: the
place it edits is first given an explicit copy of the shared value (see
:class:`_Sharing`).  The caller re-parses the result and compares it with the edited data:
this module may be wrong, the check may not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from app.core import pointer as jp
from app.core.edits import Add, Edit, Remove, Set, apply_one
from app.core.errors import EditError
from app.core.intrinsics import TAG_TO_KEY
from app.core.yaml_source import Members, alias_spans, build, compose, is_merge_key
from app.core.yaml_writer import Emitter, YamlStyle, quote

#: An anchor can only start a node: after a line start, a space, a flow indicator.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.MULTILINE)
_LINE_BREAKS = "\r\n"


class _WidenError(Exception):
    """This edit needs the enclosing value rewritten."""


class _MissingNodeError(Exception):
    """The text has no node at ``pointer``."""

    def __init__(self, pointer: str) -> None:
        super().__init__(pointer)
        self.pointer = pointer


@dataclass(frozen=True)
class _Step:
    pointer: str
    syntax: str  # the place in the text: merge keys spelled out (``/A/<</0/k``)
    key: Node | None
    node: Node
    kind: str  # "root", "member", "item", "tag" (a function name), "scalar" (inside one)


@dataclass(frozen=True)
class _Splice:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Planned:
    splice: _Splice
    pointer: str  # the data pointer whose text the splice rewrites (or creates)
    shifts: str | None  # the list whose later items the edit renumbers
    member_of: str | None = None  # the container an Add or Remove changes the members of
    removes: bool = False


def content_end(text: str, node: Node) -> int:
    """Where a node's own text ends: before the trailing comments, blank lines and the
    next line's indentation that PyYAML counts into block scalars and collections."""
    if isinstance(node, ScalarNode):
        end = node.end_mark.index
        if node.style in ("|", ">"):
            while end > node.start_mark.index and text[end - 1] in " \t\r\n":
                end -= 1
        return int(end)
    if not isinstance(node, CollectionNode) or node.flow_style or not node.value:
        return int(node.end_mark.index)
    last = node.value[-1]
    return content_end(text, last[1] if isinstance(node, MappingNode) else last)


# -- shared nodes ------------------------------------------------------------------------
@dataclass(frozen=True)
class _AliasSite:
    """One ``*name`` in the text: where it stands (``syntax``), the node it repeats, the
    alias token's span, and what holds it (a mapping ``key``, else a list item)."""

    syntax: str
    node: Node
    start: int
    end: int
    key: Node | None
    in_flow: bool
    is_key: bool = False  # an alias used as a mapping key: kept, never unshared


@dataclass
class _Sharing:
    """The aliases of a text and the nodes they share.

    The composer builds the node tree from the event stream in document order and hands
    out the anchored node again for each alias, so a walk of the tree in that order meets
    the repeated nodes exactly where the alias events stand.
    """

    sites: list[_AliasSite] = field(default_factory=list)
    #: syntax of the first, anchored place of each node that aliases repeat
    anchored_at: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str, root: Node) -> _Sharing | None:
        if not _ANCHOR.search(text):
            return None
        places: list[_Place] = []
        first: dict[int, str] = {}
        _walk(root, "", None, False, first, places)
        if not places:
            return None
        spans = alias_spans(text)
        if len(spans) != len(places):
            raise EditError("the YAML aliases of this text could not be located")
        sharing = cls()
        for (syntax, node, key, in_flow, is_key), (start, end) in zip(places, spans, strict=True):
            sharing.sites.append(_AliasSite(syntax, node, start, end, key, in_flow, is_key))
            if not is_key:
                sharing.anchored_at[id(node)] = first[id(node)]
        return sharing

    def to_unshare(self, path: str, region: str | None) -> list[_AliasSite]:
        """The alias sites to expand before editing at syntax ``path`` (and rewriting the
        text of ``region``, when the edit replaces one): an alias the path passes through,
        the other users of a shared node the path passes through, and the users outside
        the region of anchors defined inside it."""
        on_path = {jp.join(jp.split(path)[:depth]) for depth in range(1, len(jp.split(path)) + 1)}
        sites = [site for site in self.sites if not site.is_key]
        for site in sites:
            if site.syntax in on_path:
                return [site]
        for node_id, anchored in self.anchored_at.items():
            if anchored in on_path:
                return [site for site in sites if id(site.node) == node_id]
        if region is None:
            return []
        return [site for site in sites
                if jp.is_within(self.anchored_at[id(site.node)], region) and not jp.is_within(site.syntax, region)]


#: syntax, node, holding key, inside a flow collection, is itself a key
_Place = tuple[str, Node, Node | None, bool, bool]


def _walk(node: Node, syntax: str, key: Node | None, in_flow: bool, first: dict[int, str],
          places: list[_Place], *, is_key: bool = False) -> None:
    if id(node) in first:
        places.append((syntax, node, key, in_flow, is_key))
        return
    first[id(node)] = syntax
    if not isinstance(node, CollectionNode):
        return
    inner = jp.child(syntax, TAG_TO_KEY.get(node.tag, node.tag[1:])) if _is_function_tag(node.tag) else syntax
    in_flow = in_flow or bool(node.flow_style)
    if isinstance(node, MappingNode):
        for member_key, value in node.value:
            # A key that is itself an alias is walked (to keep the order) but never unshared.
            _walk(member_key, jp.child(inner, "?"), None, in_flow, first, places, is_key=True)
            _walk(value, jp.child(inner, member_key.value if isinstance(member_key, ScalarNode) else "?"),
                  member_key, in_flow, first, places)
    else:
        for index, item in enumerate(node.value):
            _walk(item, jp.child(inner, index), None, in_flow, first, places)


def _is_function_tag(tag: str) -> bool:
    return tag.startswith("!") and tag != "!"


# -- splicing ----------------------------------------------------------------------------
class Splicer:
    def __init__(self, text: str, style: YamlStyle, newline: str, path: str, root: Node | None = None) -> None:
        self.style = style
        self.emitter = Emitter(style)
        self.newline = newline
        self.path = path
        self.shared = False
        self._adopt(text, root if root is not None else compose(text, path))

    def _adopt(self, text: str, root: Node) -> None:
        self.text = text
        self.root = root
        self._members = Members(self.path)
        self._member_index: dict[int, dict[str, tuple[Node, Node, tuple[str, ...]]]] = {}
        self.sharing = _Sharing.of(text, root)
        self.shared = self.shared or self.sharing is not None

    def apply(self, edits: Sequence[Edit], *, together: bool = True) -> tuple[str, Node]:
        """The text with every edit spliced in, and its node tree.  ``together=False``
        re-composes after each edit: slower, for when grouping went wrong."""
        group: list[_Planned] = []
        for edit in edits:
            if group and (not together or _depends(edit, group)):
                group = self._flush(group)
            planned = self._plan(edit, group)
            if planned is None:  # the text changed to unshare a node: plan again
                group = self._flush(group)
                planned = self._plan(edit, group)
                assert planned is not None
            if group and _overlaps(planned, group):
                group = self._flush(group)
                planned = self._plan(edit, group)
                assert planned is not None
            group.append(planned)
        self._flush(group)
        return self.text, self.root

    def _flush(self, group: list[_Planned]) -> list[_Planned]:
        """Apply a group bottom-up.  Insertions at one point go in edit order, except
        that one into a deeper container goes first: the end of a nested mapping is also
        the end of the mapping around it, and its lines must stay inside."""
        if group:
            def order(i: int) -> tuple[int, int, int]:
                return group[i].splice.start, -group[i].pointer.count("/"), i

            self._replace_text([group[index].splice for index in sorted(range(len(group)), key=order, reverse=True)])
        return []

    def _replace_text(self, bottom_up: Sequence[_Splice]) -> None:
        text = self.text
        for splice in bottom_up:
            text = text[: splice.start] + splice.text + text[splice.end :]
        self._adopt(text, compose(text, self.path))

    def _plan(self, edit: Edit, group: list[_Planned]) -> _Planned | None:
        """The splice for ``edit``; None when the text first had to change to unshare a
        node the edit would otherwise write through (only with an empty ``group``)."""
        while True:
            planned = self._plan_once(edit)
            sites = self._to_unshare(edit, planned)
            if not sites:
                return planned
            if group:
                return None
            self._unshare(sites)

    def _plan_once(self, edit: Edit) -> _Planned:
        try:
            splice = self._splice(edit)
        except _WidenError:
            return self._widened(edit)
        token = jp.last(edit.pointer)
        shifts_list = not isinstance(edit, Set) and (token == "-" or token.isdigit())
        member_of = None if isinstance(edit, Set) else jp.parent(edit.pointer)
        return _Planned(splice, edit.pointer, jp.parent(edit.pointer) if shifts_list else None, member_of,
                        isinstance(edit, Remove))

    # -- unsharing ---------------------------------------------------------------------
    def _to_unshare(self, edit: Edit, planned: _Planned) -> list[_AliasSite]:
        if self.sharing is None:
            return []
        target = edit.pointer if not isinstance(edit, Add) else jp.parent(edit.pointer)
        try:
            path = self._chain(target)[-1].syntax
        except _MissingNodeError:
            return []
        region = None
        if isinstance(edit, (Set, Remove)) or planned.pointer != edit.pointer:
            try:
                region = self._chain(planned.pointer)[-1].syntax
            except _MissingNodeError:
                region = None
        return self.sharing.to_unshare(path, region)

    def _unshare(self, sites: list[_AliasSite]) -> None:
        """Give each alias site an explicit copy of the value it repeats."""
        splices = [self._explicit_copy(site) for site in sorted(sites, key=lambda site: site.start, reverse=True)]
        self._replace_text(splices)

    def _explicit_copy(self, site: _AliasSite) -> _Splice:
        value = build(site.node, self.path)[0]
        if site.in_flow:
            return _Splice(site.start, site.end, self._nl(self.emitter.flow(value)))
        if site.key is not None:
            start = self._colon_end(site.key)
            return _Splice(start, site.end, self._nl(self.emitter.after_key(value, site.key.start_mark.column)))
        dash = self._dash_before(site.start)
        return _Splice(site.start, site.end, self._nl(self.emitter.after_dash(value, self._column(dash))))

    # -- locating ----------------------------------------------------------------------
    def _members_of(self, node: MappingNode) -> dict[str, tuple[Node, Node, tuple[str, ...]]]:
        index = self._member_index.get(id(node))
        if index is None:
            index = {key.value: (key, value, via) for key, value, via in self._members.of(node)}
            self._member_index[id(node)] = index
        return index

    def _chain(self, pointer: str) -> list[_Step]:
        steps = [_Step("", "", None, self.root, "root")]
        node: Node = self.root
        current = syntax = ""
        for token in jp.split(pointer):
            current = jp.child(current, token)
            last = steps[-1]
            if last.kind in ("tag", "scalar") and isinstance(node, ScalarNode):
                steps.append(_Step(current, syntax, None, node, "scalar"))
                continue
            if last.kind != "tag" and _is_function_tag(node.tag) and token == TAG_TO_KEY.get(node.tag, node.tag[1:]):
                syntax = jp.child(syntax, token)
                steps.append(_Step(current, syntax, None, node, "tag"))
                continue
            if isinstance(node, MappingNode):
                member = self._members_of(node).get(token)
                if member is None:
                    raise _MissingNodeError(current)
                key, node, via = member
                syntax = jp.join([*jp.split(syntax), *via, token])
                steps.append(_Step(current, syntax, key, node, "member"))
            elif isinstance(node, SequenceNode):
                if not token.isdigit() or int(token) >= len(node.value):
                    raise _MissingNodeError(current)
                node = node.value[int(token)]
                syntax = jp.child(syntax, token)
                steps.append(_Step(current, syntax, None, node, "item"))
            else:
                raise _MissingNodeError(current)
        return steps

    def _in_flow(self, steps: list[_Step]) -> bool:
        return any(isinstance(step.node, CollectionNode) and bool(step.node.flow_style) for step in steps)

    # -- one edit ----------------------------------------------------------------------
    def _splice(self, edit: Edit) -> _Splice:
        if isinstance(edit, Set):
            try:
                steps = self._chain(edit.pointer)
            except _MissingNodeError:
                raise _WidenError from None
            target = steps[-1]
            if target.kind not in ("member", "item"):
                raise _WidenError
            return self._replace(steps, edit.value)
        parent_pointer = jp.parent(edit.pointer)
        try:
            steps = self._chain(parent_pointer)
        except _MissingNodeError:
            raise _WidenError from None
        container = steps[-1].node
        if steps[-1].kind == "scalar" or not isinstance(container, (MappingNode, SequenceNode)) or not container.value:
            raise _WidenError
        if _is_function_tag(container.tag) and steps[-1].kind != "tag":
            raise _WidenError  # the container is the one-key mapping that the short form stands for
        if isinstance(container, MappingNode) and any(is_merge_key(key) for key, _ in container.value):
            raise _WidenError
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
            return self._block_value(start, max(start, end), self.emitter.after_key(value, column))
        dash = self._dash_before(target.node.start_mark.index)
        return self._block_value(target.node.start_mark.index, end, self.emitter.after_dash(value, self._column(dash)))

    def _block_value(self, start: int, end: int, rendered: str) -> _Splice:
        """A replacement of a value that may be written on several lines.  Such a value
        takes the rest of its first line with it: an end-of-line comment moves to the end
        of the first line (a literal block would swallow it), trailing blanks go (a
        literal block's last line would keep them), and a kept (``|+``) block, which
        owns every blank line after it, takes the blank lines that follow."""
        if "\n" not in rendered:
            return _Splice(start, end, self._nl(rendered))
        line_break = self._line_end(end, keep_break=False)
        rest = self.text[end:line_break].strip()
        if rest and not rest.startswith("#"):
            return _Splice(start, end, self._nl(rendered))
        if rest:
            first, _, following = rendered.partition("\n")
            rendered = f"{first} {rest}\n{following}"
        if rendered.endswith("\n"):
            return _Splice(start, self._past_blank_lines(self._line_end(line_break)), self._nl(rendered + "\n"))
        return _Splice(start, line_break, self._nl(rendered))

    def _inserted_lines(self, at: int, lines: str) -> _Splice:
        """New lines at the line start ``at`` (a kept block takes the blank lines there)."""
        if lines.endswith("\n\n"):
            return _Splice(at, self._past_blank_lines(at), self._nl(self._line_break_before(at) + lines))
        return _Splice(at, at, self._nl(self._line_break_before(at) + lines))

    def _past_blank_lines(self, at: int) -> int:
        """The start of the first line at or after the line start ``at`` that is not blank."""
        while at < len(self.text):
            following = self._line_end(at)
            if self.text[at:following].strip():
                return at
            at = following
        return at

    def _add_member(self, mapping: MappingNode, name: str, value: Any, before: str | None, flow: bool) -> _Splice:
        keys = [key for key, _ in mapping.value]
        following = next((key for key in keys if key.value == before), None) if before else None
        if flow or mapping.flow_style:
            if self.text[mapping.start_mark.index] != "{":
                raise _WidenError  # a single pair in a flow sequence (``[a: 1]``): a second key needs braces
            entry = f"{quote(name, in_flow=True)}: {self.emitter.flow(value)}"
            if following is not None:
                return _Splice(following.start_mark.index, following.start_mark.index, entry + ", ")
            at = content_end(self.text, mapping.value[-1][1])
            return _Splice(at, at, ", " + self._nl(entry))
        column = keys[0].start_mark.column
        line = " " * column + self.emitter.key(name) + ":" + self.emitter.after_key(value, column)
        if following is not None:
            if not self._first_on_line(following.start_mark.index):
                raise _WidenError
            at = self._line_start(following.start_mark.index)
        else:
            at = self._line_end(content_end(self.text, mapping.value[-1][1]))
        return self._inserted_lines(at, line + "\n")

    def _add_item(self, sequence: SequenceNode, token: str, value: Any, flow: bool) -> _Splice:
        items = sequence.value
        try:
            index = jp.list_index(token, len(items), allow_end=True)
        except ValueError:
            raise _WidenError from None
        if flow or sequence.flow_style:
            rendered = self.emitter.flow(value)
            if index == len(items):
                at = content_end(self.text, items[-1])
                return _Splice(at, at, ", " + self._nl(rendered))
            at = items[index].start_mark.index
            return _Splice(at, at, self._nl(rendered) + ", ")
        anchor = items[min(index, len(items) - 1)]
        dash = self._dash_before(anchor.start_mark.index)
        if not self._first_on_line(dash):
            raise _WidenError
        column = self._column(dash)
        line = " " * column + "- " + self.emitter.after_dash(value, column)
        at = self._line_start(dash) if index < len(items) else self._line_end(content_end(self.text, anchor))
        return self._inserted_lines(at, line + "\n")

    def _remove_member(self, mapping: MappingNode, name: str, flow: bool) -> _Splice:
        pairs = mapping.value
        if len(pairs) < 2:
            raise _WidenError
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
            raise _WidenError
        return _Splice(key.start_mark.index, following.start_mark.index, "")

    def _remove_item(self, sequence: SequenceNode, token: str, flow: bool) -> _Splice:
        items = sequence.value
        if len(items) < 2:
            raise _WidenError
        index = int(token)
        item = items[index]
        if flow or sequence.flow_style:
            if index + 1 < len(items):
                return _Splice(item.start_mark.index, items[index + 1].start_mark.index, "")
            return _Splice(content_end(self.text, items[index - 1]), content_end(self.text, item), "")
        dash = self._dash_before(item.start_mark.index)
        if not self._first_on_line(dash):
            raise _WidenError
        return _Splice(self._line_start(dash), self._line_end(content_end(self.text, item)), "")

    def _widened(self, edit: Edit) -> _Planned:
        """Replace the nearest enclosing member or item with its edited value."""
        pointer = jp.parent(edit.pointer)
        while True:
            try:
                steps = self._chain(pointer)
            except _MissingNodeError as missing:
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
        return _Planned(self._replace(steps, holder["value"]), pointer, None)

    # -- text helpers ------------------------------------------------------------------
    def _colon_end(self, key: Node) -> int:
        at = key.end_mark.index
        while at < len(self.text) and self.text[at] in " \t":
            at += 1
        if at >= len(self.text) or self.text[at] != ":":
            raise _WidenError
        return at + 1

    def _dash_before(self, at: int) -> int:
        at -= 1
        while at >= 0 and self.text[at] in " \t":
            at -= 1
        if at < 0 or self.text[at] != "-":
            raise _WidenError
        return at

    def _line_start(self, at: int) -> int:
        return max(self.text.rfind("\n", 0, at), self.text.rfind("\r", 0, at)) + 1

    def _line_end(self, at: int, *, keep_break: bool = True) -> int:
        """The start of the next line (or, without ``keep_break``, where this one's line
        break begins); the end of the text on the last line."""
        for index in range(at, len(self.text)):
            if self.text[index] in _LINE_BREAKS:
                if not keep_break:
                    return index
                return index + 2 if self.text.startswith("\r\n", index) else index + 1
        return len(self.text)

    def _first_on_line(self, at: int) -> bool:
        return not self.text[self._line_start(at) : at].strip()

    def _column(self, at: int) -> int:
        return at - self._line_start(at)

    def _line_break_before(self, at: int) -> str:
        return "\n" if at == len(self.text) and self.text and not self.text.endswith(("\n", "\r")) else ""

    def _nl(self, rendered: str) -> str:
        return rendered.replace("\n", self.newline) if self.newline != "\n" else rendered


def _depends(edit: Edit, group: list[_Planned]) -> bool:
    """Whether ``edit`` addresses the batch's intermediate state in a way the group's
    (not yet applied) splices change: something they create or rewrite, a subtree they
    belong to, or a list whose items they renumber — or it renumbers one of theirs."""
    token = jp.last(edit.pointer)
    shifts = jp.parent(edit.pointer) if not isinstance(edit, Set) and (token == "-" or token.isdigit()) else None
    parent = jp.parent(edit.pointer)
    for planned in group:
        # Removing from a container another edit also adds to or removes from may empty
        # it, which makes a rewrite of the container: only the intermediate state shows it.
        if (not isinstance(edit, Set) and planned.member_of == parent
                and (isinstance(edit, Remove) or planned.removes)):
            return True
        if jp.is_within(edit.pointer, planned.pointer) or jp.is_within(planned.pointer, edit.pointer):
            return True
        if planned.shifts is not None and jp.is_within(edit.pointer, planned.shifts):
            return True
        if shifts is not None and jp.is_within(planned.pointer, shifts):
            return True
    return False


def _overlaps(planned: _Planned, group: list[_Planned]) -> bool:
    """Whether a planned splice's text range meets another's of the group (two
    insertions at one point are fine: they keep their order)."""
    splice = planned.splice
    for other in group:
        if jp.is_within(planned.pointer, other.pointer) or jp.is_within(other.pointer, planned.pointer):
            return True
        inserting_at_same_point = splice.start == splice.end == other.splice.start == other.splice.end
        if not inserting_at_same_point and splice.start <= other.splice.end and other.splice.start <= splice.end:
            return True
    return False


def splice(text: str, edits: Sequence[Edit], style: YamlStyle, newline: str, path: str,
           root: Node | None = None, *, together: bool = True) -> tuple[str, Node, bool]:
    """The text with ``edits`` applied, its node tree, and whether aliases shared nodes
    in it (then only a full read-back proves the result); raises on failure.  ``root``
    is the text's node tree if the caller has it."""
    splicer = Splicer(text, style, newline, path, root)
    result, new_root = splicer.apply(edits, together=together)
    return result, new_root, splicer.shared
