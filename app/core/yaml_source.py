"""YAML templates: parse with libyaml, build plain data, keep the node tree for positions.

The composer is PyYAML's C one; we build the data ourselves rather than through PyYAML's
constructors so that nothing in a template is ever constructed as a Python object, short
tags become CloudFormation's long form, and plain scalars resolve the way a careful reader
expects (``2012-10-17`` and ``yes`` stay text; ``true``, ``12``, ``1.5`` do not).
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.cyaml import CParser  # type: ignore[attr-defined]  # PyYAML's stub leaves it out of cyaml's __all__
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.core import pointer as jp
from app.core.errors import TemplateError
from app.core.intrinsics import TAG_TO_KEY
from app.core.source import Location

MAX_DEPTH = 200
MAX_EXPANDED_NODES = 250_000

PLAIN = "?plain"
_STD = "tag:yaml.org,2002:"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
# A dot and a signed exponent, so YAML 1.1 readers (cfn-lint, CloudFormation) agree.
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?\Z")
_NUMERIC_START = frozenset("0123456789-+.")
_YAML11_BOOLS = {
    **{word: True for word in ("yes", "Yes", "YES", "on", "On", "ON", "y", "Y")},
    **{word: False for word in ("no", "No", "NO", "off", "Off", "OFF", "n", "N")},
    **_BOOLS,
}


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar."""
    if text in _NULLS:
        return None
    boolean = _BOOLS.get(text)
    if boolean is not None:
        return boolean
    if text[0] in _NUMERIC_START:
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
    return text


class _Composer(CParser):
    """libyaml's parser and composer with every implicit tag left for us to resolve."""

    def resolve(self, kind: type[Node], value: object, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return PLAIN if implicit[0] else _STD + "str"
        return _STD + ("seq" if kind is SequenceNode else "map")

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def compose(text: str, path: str) -> Node:
    """The node tree of a one-document YAML text."""
    composer = _Composer(text)
    # Composing allocates hundreds of thousands of nodes and marks, none of them in a
    # cycle: the cyclic collector's passes over them cost more than the parse itself.
    collecting = gc.isenabled()
    gc.disable()
    try:
        root = composer.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.context, error.problem) if part)
        if mark is None:
            raise TemplateError(path, 1, 1, message or "invalid YAML") from None
        raise TemplateError(path, mark.line + 1, mark.column + 1, message) from None
    except yaml.YAMLError as error:
        raise TemplateError(path, 1, 1, f"invalid YAML: {error}") from None
    finally:
        composer.dispose()
        if collecting:
            gc.enable()
    if root is None:
        raise TemplateError(path, 1, 1, "the file holds no YAML document")
    return root


def alias_spans(text: str) -> list[tuple[int, int]]:
    """Where each alias (``*name``) of a composable YAML text starts and ends, in order."""
    parser = CParser(text)
    spans: list[tuple[int, int]] = []
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, AliasEvent) and event.start_mark is not None and event.end_mark is not None:
                spans.append((event.start_mark.index, event.end_mark.index))
    finally:
        parser.dispose()
    return spans


def _where(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def is_merge_key(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == PLAIN and node.value == "<<"


#: A mapping member in effect: key node, value node, and the path of merge keys (``("<<",)``,
#: ``("<<", "1")`` for the second source of a list, nested ones appended) through which it
#: came; ``()`` for the mapping's own members.
Member = tuple[ScalarNode, Node, tuple[str, ...]]


class Members:
    """The members in effect of mappings, with ``<<`` merges resolved as YAML specifies:
    own keys win over merged ones, and an earlier merge source over a later one.  Each
    mapping is resolved once (a chain of merges that each name the previous mapping
    twice stays linear), and a merge that reaches back into itself is refused."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._cache: dict[int, list[Member]] = {}
        self._active: set[int] = set()

    def of(self, node: MappingNode) -> list[Member]:
        cached = self._cache.get(id(node))
        if cached is None:
            if id(node) in self._active:
                raise TemplateError(self.path, *_where(node), "a '<<' merge refers to the mapping that contains it")
            self._active.add(id(node))
            try:
                cached = self._resolve(node)
            finally:
                self._active.discard(id(node))
            self._cache[id(node)] = cached
        return cached

    def _resolve(self, node: MappingNode) -> list[Member]:
        merged: list[Member] = []
        own: list[Member] = []
        for key, value in node.value:
            if is_merge_key(key):
                sources = list(enumerate(value.value)) if isinstance(value, SequenceNode) else [(None, value)]
                for index, source in sources:
                    if not isinstance(source, MappingNode):
                        raise TemplateError(self.path, *_where(source), "'<<' merges only mappings")
                    via = ("<<",) if index is None else ("<<", str(index))
                    merged.extend((k, v, via + inner) for k, v, inner in self.of(source))
                continue
            if not isinstance(key, ScalarNode):
                raise TemplateError(self.path, *_where(key), "a mapping key must be a plain value, not a collection")
            if key.tag not in (PLAIN, _STD + "str", "!"):
                raise TemplateError(self.path, *_where(key), f"a mapping key cannot carry the tag {key.tag}")
            own.append((key, value, ()))
        if not merged:
            return own
        taken = {key.value for key, _, _ in own}
        effective: list[Member] = []
        for member in merged:
            if member[0].value not in taken:
                taken.add(member[0].value)
                effective.append(member)
        return effective + own


def mapping_members(node: MappingNode, path: str) -> Iterator[tuple[ScalarNode, Node]]:
    """A mapping's (key, value) nodes in effect order, ``<<`` merges included."""
    for key, value, _ in Members(path).of(node):
        yield key, value


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.custom_tags: set[str] = set()
        self.members = Members(path)
        self._seen: set[int] = set()
        self._active: set[int] = set()
        self._expanding = 0
        self._expanded_nodes = 0

    def build(self, node: Node, depth: int = 0) -> Any:
        tag = node.tag
        if tag == PLAIN:
            try:
                value = resolve_plain(node.value)
            except ValueError:  # an integer past Python's 4,300-digit conversion limit
                digits = f"a number of {len(node.value):,} digits; refusing it"
                raise TemplateError(self.path, *_where(node), digits) from None
            if value.__class__ is float and not math.isfinite(value):
                raise self._non_finite(node)
            return value
        if isinstance(node, ScalarNode):
            if tag.startswith("!") and tag != "!":
                return self._tagged(node, tag, depth)
            return self._standard_scalar(node, tag)
        if depth > MAX_DEPTH:
            raise TemplateError(self.path, *_where(node), f"nesting deeper than {MAX_DEPTH} levels")
        identity = id(node)
        if identity in self._active:
            raise TemplateError(self.path, *_where(node), "an alias refers to a node that contains it (a cycle)")
        # An alias copies its node's whole subtree: what costs time and memory is the
        # number of nodes the aliases expand to, not the number of aliases.
        repeated = identity in self._seen
        self._seen.add(identity)
        self._active.add(identity)
        self._expanding += repeated
        try:
            if self._expanding:
                self._count(node)
            if tag.startswith("!") and tag != "!":
                return self._tagged(node, tag, depth)
            if tag not in (_STD + "map", _STD + "seq", "!"):
                raise self._unsupported(node, tag)
            return self._collection(node, depth)
        finally:
            self._active.discard(identity)
            self._expanding -= repeated

    def _count(self, node: Node) -> None:
        self._expanded_nodes += len(node.value) + 1
        if self._expanded_nodes > MAX_EXPANDED_NODES:
            raise TemplateError(
                self.path, *_where(node),
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes; refusing (alias bomb?)",
            )

    def _collection(self, node: Node, depth: int) -> Any:
        build = self.build
        if not isinstance(node, MappingNode):  # a sequence: the composer makes no other collection
            return [build(item, depth + 1) for item in node.value]
        result: dict[str, Any] = {}
        for key, value in node.value:
            if key.tag != PLAIN or not isinstance(key, ScalarNode) or key.value == "<<":
                return self._checked_mapping(node, depth)
            name = key.value
            if name in result:
                raise TemplateError(self.path, *_where(key), f"duplicate key {name!r}")
            result[name] = build(value, depth + 1)
        return result

    def _checked_mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        """A mapping with merges, quoted or tagged keys: the slower, thorough path."""
        own: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, ScalarNode) and not is_merge_key(key):
                if key.value in own:
                    raise TemplateError(self.path, *_where(key), f"duplicate key {key.value!r}")
                own.add(key.value)
        members = self.members.of(node)
        if len(members) > len(own):
            self._expanded_nodes += len(members) - len(own)
        return {key.value: self.build(value, depth + 1) for key, value, _ in members}

    def _tagged(self, node: Node, tag: str, depth: int) -> Any:
        key = TAG_TO_KEY.get(tag)
        if key is None:
            key = tag[1:]
            self.custom_tags.add(key)
        if isinstance(node, ScalarNode):
            argument: Any = node.value
            if key == "Fn::GetAtt":
                argument = argument.split(".", 1)
        else:
            argument = self._collection(node, depth)
        return {key: argument}

    def _standard_scalar(self, node: ScalarNode, tag: str) -> Any:
        text = node.value
        kind = tag[len(_STD):] if tag.startswith(_STD) else tag
        if kind in ("str", "!"):
            return text
        try:
            if kind == "int":
                return int(text.replace("_", ""), 0)
            if kind == "float":
                number = float(text.replace("_", ""))
                if not math.isfinite(number):
                    raise self._non_finite(node)
                return number
        except ValueError:
            raise TemplateError(self.path, *_where(node), f"{text!r} is not a valid !!{kind}") from None
        if kind == "bool" and text in _YAML11_BOOLS:
            return _YAML11_BOOLS[text]
        if kind == "null":
            return None
        raise self._unsupported(node, tag)

    def _non_finite(self, node: Node) -> TemplateError:
        return TemplateError(self.path, *_where(node), f"the number {node.value} is out of range (it would read as "
                             "infinity, which no JSON or YAML reader takes back); write it as a string")

    def _unsupported(self, node: Node, tag: str) -> TemplateError:
        shown = "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag
        if "python/" in tag:
            refused = f"refused tag {shown}: a template cannot create Python objects"
            return TemplateError(self.path, *_where(node), refused)
        return TemplateError(self.path, *_where(node), f"unsupported YAML tag {shown}")


def build(root: Node, path: str) -> tuple[Any, frozenset[str]]:
    """The data of a node tree and the custom (non-CloudFormation) tags it uses."""
    builder = _Builder(path)
    return builder.build(root), frozenset(builder.custom_tags)


class YamlPositions:
    """Locations by JSON pointer, looked up in the retained node tree on demand."""

    def __init__(self, root: Node, path: str = "") -> None:
        self.root = root
        self._path = path
        self._resolved = Members(path)
        self._members: dict[int, dict[str, tuple[Node, Node]]] = {}

    def _member(self, mapping: MappingNode, token: str) -> tuple[Node, Node] | None:
        """A mapping's member by key, through an index built on first use."""
        members = self._members.get(id(mapping))
        if members is None:
            members = {key.value: (key, value) for key, value, _ in self._resolved.of(mapping)}
            self._members[id(mapping)] = members
        return members.get(token)

    def find(self, pointer: str) -> tuple[Node | None, Node] | None:
        """(key node or None, value node) of ``pointer``; None if it is not in the text.

        A short-form tag adds a level to the data (``!Sub x`` is ``{"Fn::Sub": x}``) but
        not to the node tree, so a pointer through the function name stays on the tagged
        node, as does an index into the dotted ``!GetAtt A.Arn``.
        """
        key: Node | None = None
        node = self.root
        through_tag = False
        for token in jp.split(pointer):
            if through_tag:
                through_tag = False
                if isinstance(node, ScalarNode):
                    continue
            if node.tag.startswith("!") and token == TAG_TO_KEY.get(node.tag, node.tag[1:]):
                through_tag = True
                continue
            if isinstance(node, MappingNode):
                member = self._member(node, token)
                if member is None:
                    return None
                key, node = member
            elif isinstance(node, SequenceNode):
                if not token.isdigit() or int(token) >= len(node.value):
                    return None
                key, node = None, node.value[int(token)]
            else:
                return None
        return key, node

    def locate(self, pointer: str) -> Location | None:
        found = self.find(pointer)
        if found is None:
            return None
        key, value = found
        mark = (key or value).start_mark
        return Location(mark.line + 1, mark.column + 1)


def load(text: str, path: str) -> tuple[Any, YamlPositions, frozenset[str]]:
    root = compose(text, path)
    data, custom_tags = build(root, path)
    return data, YamlPositions(root, path), custom_tags
