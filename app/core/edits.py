"""Edits as data: the only way a template changes.

Every change — a fix, a property edit, undo and redo, the CLI's ``fix`` — is a sequence
of :class:`Set`, :class:`Add` and :class:`Remove` at JSON pointers.  Applying a batch
returns the batch that undoes it, and a batch applies entirely or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.core import pointer as jp
from app.core.errors import EditError


@dataclass(frozen=True)
class Set:
    """Replace the value at an existing pointer."""

    pointer: str
    value: Any


@dataclass(frozen=True)
class Add:
    """Add a mapping key that does not exist yet, or insert into a list.

    A new key goes at the end of its mapping, or just before ``before`` when given (undo
    uses it to put a removed key back where it was).  A list token is an index to
    insert at, or ``-`` for the end.
    """

    pointer: str
    value: Any
    before: str | None = None


@dataclass(frozen=True)
class Remove:
    """Remove an existing mapping key or list item."""

    pointer: str


Edit = Set | Add | Remove


def copy_data(value: Any) -> Any:
    """A deep copy of JSON-like data, much faster than ``copy.deepcopy``."""
    if isinstance(value, dict):
        return {key: copy_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_data(item) for item in value]
    return value


def get(data: Any, pointer: str) -> Any:
    """The value at ``pointer``; raises EditError if there is none."""
    node = data
    for token in jp.split(pointer):
        node = _step(node, token, pointer)
    return node


def exists(data: Any, pointer: str) -> bool:
    try:
        get(data, pointer)
    except EditError:
        return False
    return True


def _step(node: Any, token: str, pointer: str) -> Any:
    if isinstance(node, dict):
        if token in node:
            return node[token]
        raise EditError(f"{pointer}: no key {token!r}")
    if isinstance(node, list):
        try:
            return node[jp.list_index(token, len(node), allow_end=False)]
        except ValueError as error:
            raise EditError(f"{pointer}: {error}") from None
    raise EditError(f"{pointer}: {token!r} is below a scalar")


def _container(data: Any, pointer: str) -> tuple[Any, str]:
    if pointer == "":
        raise EditError("the document root cannot be replaced, added or removed")
    return get(data, jp.parent(pointer)), jp.last(pointer)


def apply_one(data: Any, edit: Edit) -> Edit:
    """Apply one edit in place and return its inverse."""
    container, token = _container(data, edit.pointer)
    if isinstance(edit, Set):
        if isinstance(container, dict):
            if token not in container:
                raise EditError(f"{edit.pointer}: no key {token!r} to set")
            old = container[token]
            container[token] = copy_data(edit.value)
        elif isinstance(container, list):
            index = _index(container, token, edit.pointer, allow_end=False)
            old = container[index]
            container[index] = copy_data(edit.value)
        else:
            raise EditError(f"{edit.pointer}: parent is not a mapping or list")
        return Set(edit.pointer, old)
    if isinstance(edit, Add):
        if isinstance(container, dict):
            if token in container:
                raise EditError(f"{edit.pointer}: key {token!r} exists already")
            if edit.before is not None and edit.before in container:
                _insert_before(container, token, copy_data(edit.value), edit.before)
            else:
                container[token] = copy_data(edit.value)
            return Remove(edit.pointer)
        if isinstance(container, list):
            index = _index(container, token, edit.pointer, allow_end=True)
            container.insert(index, copy_data(edit.value))
            return Remove(jp.child(jp.parent(edit.pointer), index))
        raise EditError(f"{edit.pointer}: parent is not a mapping or list")
    if isinstance(container, dict):
        if token not in container:
            raise EditError(f"{edit.pointer}: no key {token!r} to remove")
        keys = list(container)
        position = keys.index(token)
        following = keys[position + 1] if position + 1 < len(keys) else None
        return Add(edit.pointer, container.pop(token), before=following)
    if isinstance(container, list):
        index = _index(container, token, edit.pointer, allow_end=False)
        return Add(edit.pointer, container.pop(index))
    raise EditError(f"{edit.pointer}: parent is not a mapping or list")


def apply_edits(data: Any, edits: Sequence[Edit]) -> tuple[Edit, ...]:
    """Apply a batch in place, all or nothing; return the batch that undoes it."""
    inverses: list[Edit] = []
    try:
        for edit in edits:
            inverses.append(apply_one(data, edit))
    except EditError:
        for inverse in reversed(inverses):
            apply_one(data, inverse)
        raise
    return tuple(reversed(inverses))


def _index(container: list[Any], token: str, pointer: str, *, allow_end: bool) -> int:
    try:
        return jp.list_index(token, len(container), allow_end=allow_end)
    except ValueError as error:
        raise EditError(f"{pointer}: {error}") from None


def _insert_before(mapping: dict[str, Any], key: str, value: Any, before: str) -> None:
    items = list(mapping.items())
    mapping.clear()
    for existing, item in items:
        if existing == before:
            mapping[key] = value
        mapping[existing] = item


def same_data(left: Any, right: Any) -> bool:
    """Equality that also compares types and key order: ``True`` is not ``1`` here, and
    ``{"a", "b"}`` in another order is another text."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(same_data(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(same_data(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)
