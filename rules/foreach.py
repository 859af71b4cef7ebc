"""``Fn::ForEach`` (``Transform: AWS::LanguageExtensions``): the resources and outputs a
loop makes, each with the way back to the loop body it is written in.

The simple cases are expanded here — an identifier, a literal collection or a list
parameter's ``Default``, ``${Identifier}`` and ``&{Identifier}`` in keys and ``Fn::Sub``
strings, ``Ref: Identifier`` — as CloudFormation's transform (and cfn-lint's copy of it,
``cfnlint/template/transforms/_language_extensions.py``) does.  cfn-lint's version is not
reused: it invents random names where a collection cannot be resolved and keeps no way
back to the text, which findings need.  A loop whose collection cannot be told from the
template makes nothing here.

Rules see the expanded resources; the engine turns their pointers back into the loop
body (:meth:`Expansion.source_pointer`), and writes a fix into the body only when the
same edits fix every element (:meth:`Expansion.body_edits`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core import pointer as jp
from app.core.edits import Add, Edit, Remove, Set, same_data
from app.core.intrinsics import is_intrinsic

PREFIX = "Fn::ForEach::"
TRANSFORM = "AWS::LanguageExtensions"
_VARIABLE = re.compile(r"\$\{(?!!)[^}]*\}")
#: a loop of loops of loops... is cut here (each level multiplies the resources)
MAX_DEPTH = 5


@dataclass(frozen=True)
class Origin:
    """Where an expanded resource is written: the loop body's pointer in the document,
    the body as written, and the identifiers' values that made this element."""

    pointer: str
    body: Any
    bindings: tuple[tuple[str, str], ...]

    @property
    def loop(self) -> str:
        """The outermost loop's key (``Fn::ForEach::Tables``)."""
        return jp.split(self.pointer)[1]


@dataclass(frozen=True)
class Mapped:
    """A pointer into an expanded item, mapped into the loop body: as deep as the body
    has it (``complete`` when all of it), and the body's node there."""

    pointer: str
    complete: bool
    node: Any


@dataclass
class Expansion:
    """One template section with its loops expanded."""

    section: str
    items: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)

    def elements(self, origin: Origin) -> list[str]:
        """The names one loop body makes, one per element."""
        return [name for name, other in self.origins.items() if other.pointer == origin.pointer]

    def origin(self, pointer: str) -> Origin | None:
        """The loop body that the item ``pointer`` leads into is made by, if any."""
        tokens = jp.split(pointer)
        return self.origins.get(tokens[1]) if len(tokens) > 1 and tokens[0] == self.section else None

    def source_pointer(self, pointer: str) -> str:
        """The document's pointer for ``pointer``: into the loop body, as deep as the body
        has it, for an expanded item; ``pointer`` itself otherwise."""
        mapped = self._map(pointer)
        return mapped.pointer if mapped else pointer

    def body_edits(self, edits: Sequence[Edit], origin: Origin) -> tuple[Edit, ...] | None:
        """``edits`` to an item ``origin`` makes, written into its loop body instead; None
        when one edits anything else, reaches past what the body has as written, or
        changes a value the loop fills in per element (``Ref: Identifier``)."""
        written: list[Edit] = []
        for edit in edits:
            parent = self._map(jp.parent(edit.pointer)) if self.origin(edit.pointer) is origin else None
            if parent is None or not parent.complete:
                return None
            token = jp.last(edit.pointer)
            key = _body_key(parent.node, token, origin)
            pointer = jp.child(parent.pointer, key or token)
            if isinstance(edit, Add):
                if key is not None:
                    return None  # the key exists in the body under a name the loop fills in
                before = edit.before and _body_key(parent.node, edit.before, origin)
                written.append(Add(pointer, edit.value, before))
                continue
            mapped = self._map(edit.pointer)
            if mapped is None or not mapped.complete or not same_data(mapped.node, self._expanded(edit.pointer)):
                return None
            written.append(Set(pointer, edit.value) if isinstance(edit, Set) else Remove(pointer))
        return tuple(written)

    def _expanded(self, pointer: str) -> Any:
        tokens = jp.split(pointer)
        node: Any = self.items.get(tokens[1])
        for token in tokens[2:]:
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def _map(self, pointer: str) -> Mapped | None:
        origin = self.origin(pointer)
        if origin is None:
            return None
        mapped = list(jp.split(origin.pointer))
        node = origin.body
        for token in jp.split(pointer)[2:]:
            key = _body_key(node, token, origin) if isinstance(node, dict) else None
            if key is not None:
                node = node[key]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                key, node = token, node[int(token)]
            else:
                return Mapped(jp.join(mapped), False, None)
            mapped.append(key)
        return Mapped(jp.join(mapped), True, node)


def uses_language_extensions(data: dict[str, Any]) -> bool:
    transform = data.get("Transform")
    return transform == TRANSFORM or (isinstance(transform, list) and TRANSFORM in transform)


def expand(data: dict[str, Any], section: str) -> Expansion:
    """The section's items with every loop expanded (none when the template does not
    declare the transform that runs them)."""
    expansion = Expansion(section)
    items = data.get(section)
    if not isinstance(items, dict):
        return expansion
    loops = uses_language_extensions(data)
    declared = data.get("Parameters")
    parameters: dict[str, Any] = declared if isinstance(declared, dict) else {}
    for key, value in items.items():
        if not key.startswith(PREFIX):
            expansion.items.setdefault(key, value)
        elif loops:
            for name, body, origin in _loop(value, (section, key), {}, parameters, 1):
                if name not in items and name not in expansion.items:
                    expansion.items[name] = body
                    expansion.origins[name] = origin
    return expansion


def _loop(value: Any, path: jp.Path, bindings: dict[str, str], parameters: dict[str, Any],
          depth: int) -> Iterator[tuple[str, Any, Origin]]:
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[2], dict)):
        return
    identifier, collection, body = value
    elements = _collection(collection, bindings, parameters)
    if elements is None or depth > MAX_DEPTH:
        return
    for element in elements:
        inner = {**bindings, identifier: element}
        for key, item in body.items():
            if key.startswith(PREFIX):
                yield from _loop(item, (*path, 2, key), inner, parameters, depth + 1)
            else:
                origin = Origin(jp.join((*path, 2, key)), item, tuple(inner.items()))
                yield substitute_text(key, inner), substitute(item, inner), origin


def _collection(value: Any, bindings: dict[str, str], parameters: dict[str, Any]) -> list[str] | None:
    """The elements a loop runs over: a literal list, or a list parameter's default."""
    if isinstance(value, list):
        if all(isinstance(element, str | int) and not isinstance(element, bool) for element in value):
            return [str(element) for element in value]
        return None
    if not (is_intrinsic(value) and isinstance(value.get("Ref"), str)):
        return None
    name = value["Ref"]
    if name in bindings:
        return None
    parameter = parameters.get(name)
    default = parameter.get("Default") if isinstance(parameter, dict) else None
    if isinstance(default, list):
        return [str(element) for element in default]
    if isinstance(default, str) and default:
        return [element.strip() for element in default.split(",")]
    return None


def substitute_text(text: str, bindings: dict[str, str]) -> str:
    """``${Identifier}`` becomes the element, ``&{Identifier}`` the element without its
    non-alphanumeric characters."""
    for identifier, element in bindings.items():
        text = text.replace(f"${{{identifier}}}", element)
        text = text.replace(f"&{{{identifier}}}", re.sub("[^0-9a-zA-Z]+", "", element))
    return text


def substitute(value: Any, bindings: dict[str, str]) -> Any:
    """A copy of ``value`` for one element: keys and ``Fn::Sub`` strings substituted (a
    ``Fn::Sub`` left with no variable becomes its text), ``Ref: Identifier`` replaced."""
    if isinstance(value, list):
        return [substitute(item, bindings) for item in value]
    if not isinstance(value, dict):
        return value
    if is_intrinsic(value):
        ((function, argument),) = value.items()
        if function == "Fn::Sub":
            return _sub(argument, bindings)
        if function == "Ref":
            target = substitute(argument, bindings)
            return bindings.get(target, {"Ref": target}) if isinstance(target, str) else {"Ref": target}
    return {substitute_text(key, bindings): substitute(item, bindings) for key, item in value.items()}


def _sub(argument: Any, bindings: dict[str, str]) -> Any:
    if isinstance(argument, str):
        text = substitute_text(argument, bindings)
        return text if not _VARIABLE.search(text) else {"Fn::Sub": text}
    if isinstance(argument, list) and argument and isinstance(argument[0], str):
        return {"Fn::Sub": [substitute_text(argument[0], bindings), *substitute(argument[1:], bindings)]}
    return {"Fn::Sub": substitute(argument, bindings)}


def _body_key(node: Any, token: str, origin: Origin) -> str | None:
    """The key of the body as written that becomes ``token`` for this element."""
    if not isinstance(node, dict):
        return None
    if token in node:
        return token
    bindings = dict(origin.bindings)
    return next((key for key in node if substitute_text(key, bindings) == token), None)
