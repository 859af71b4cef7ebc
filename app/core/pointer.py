"""JSON pointers (RFC 6901): the address of every node in a template."""

from __future__ import annotations

from collections.abc import Iterable

Token = str | int
Path = tuple[Token, ...]


def escape(token: Token) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(tokens: Iterable[Token]) -> str:
    """``('Resources', 'Db', 'Properties')`` -> ``/Resources/Db/Properties``."""
    return "".join("/" + escape(token) for token in tokens)


def split(pointer: str) -> tuple[str, ...]:
    """``/Resources/Db`` -> ``('Resources', 'Db')``; list indexes stay strings here."""
    if pointer == "":
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return tuple(unescape(token) for token in pointer[1:].split("/"))


def child(pointer: str, token: Token) -> str:
    return f"{pointer}/{escape(token)}"


def parent(pointer: str) -> str:
    return pointer[: pointer.rfind("/")] if pointer else ""


def last(pointer: str) -> str:
    return unescape(pointer[pointer.rfind("/") + 1 :])


def list_index(token: str, length: int, *, allow_end: bool) -> int:
    """The list position a token names, or ValueError if it names none."""
    if token == "-" and allow_end:
        return length
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise ValueError(f"{token!r} is not a list index")
    index = int(token)
    limit = length if allow_end else length - 1
    if index > limit:
        raise ValueError(f"list index {index} is out of range (length {length})")
    return index


def is_within(pointer: str, ancestor: str) -> bool:
    """True if ``pointer`` is ``ancestor`` or lies below it."""
    return pointer == ancestor or pointer.startswith(ancestor + "/")
