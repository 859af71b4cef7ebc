"""JSON templates: parse with the standard library, find positions only when asked.

``json.loads`` is C-fast but knows no positions; the scanner here walks the text once,
on the first position request, and keeps a light tree of offsets.
"""

from __future__ import annotations

import bisect
import gc
import json
import math
import re
import sys
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, NoReturn

from app.core import pointer as jp
from app.core.errors import TemplateError
from app.core.source import Location

MAX_DEPTH = 200

_TOKEN = re.compile(r'[ \t\r\n]*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^ \t\r\n{}\[\]:,"]+))', re.S)
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|([\[{])|[\]}]', re.S)


@dataclass(slots=True)
class Span:
    """Where a value is in the text, ``start`` to ``end`` (exclusive).  An object has
    ``members`` (name -> offset of the key's opening quote, and the value), an array
    ``items``; a scalar has neither."""

    start: int
    end: int
    members: dict[str, tuple[int, Span]] | None = None
    items: list[Span] | None = None


class _DuplicateKeyError(Exception):
    pass


class _BadNumberError(Exception):
    """A number literal that has no faithful Python value; located after the parse."""

    def __init__(self, token: str, message: str) -> None:
        super().__init__(message)
        self.token = token
        self.message = message


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeyError
    return result


def _reject_constant(name: str) -> NoReturn:
    raise _BadNumberError(name, f"{name} is not valid JSON")


def _parse_float(token: str) -> float:
    value = float(token)
    if math.isinf(value):
        # Written back it would be ``Infinity``, which is not JSON.
        raise _BadNumberError(token, f"number {_shortened(token)} is too large (it overflows to infinity)")
    return value


def _parse_int(token: str) -> int:
    try:
        return int(token)
    except ValueError:  # over Python's limit on the digits of an integer
        digits, limit = len(token.lstrip("-")), sys.get_int_max_str_digits()
        raise _BadNumberError(token, f"integer of {digits} digits: more than {limit} digits") from None


def _shortened(token: str) -> str:
    return token if len(token) <= 24 else token[:20] + "…"


class JsonPositions:
    def __init__(self, text: str, path: str = "") -> None:
        self._text = text
        self._path = path
        self._root: Span | None = None
        self._line_starts: list[int] | None = None

    @property
    def text(self) -> str:
        return self._text

    def location_of(self, offset: int) -> Location:
        if self._line_starts is None:
            # Lines as editors count them: CR-only files (old Mac) are files of lines too.
            self._line_starts = [0] + [match.end() for match in re.finditer("\r\n|\r|\n", self._text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return Location(line, offset - self._line_starts[line - 1] + 1)

    def tree(self) -> Span:
        """The span of the root value, with every value below it (scanned on first use)."""
        if self._root is None:
            self._root = _scan(self._text, self)
        return self._root

    def locate(self, pointer: str) -> Location | None:
        span = self.tree()
        offset = span.start
        for token in jp.split(pointer):
            if span.members is not None:
                if token not in span.members:
                    return None
                offset, span = span.members[token]
            elif span.items is not None and token.isdecimal() and int(token) < len(span.items):
                span = span.items[int(token)]
                offset = span.start
            else:
                return None
        return self.location_of(offset)


def _scan(text: str, positions: JsonPositions) -> Span:
    """A tree of value spans and key offsets; raises TemplateError on a duplicate key."""
    stack: list[Span] = []
    root: Span | None = None
    pending_key: tuple[str, int] | None = None
    key_of: dict[str, tuple[int, Span]] | None = None  # the members of the object whose key comes next
    for match in _TOKEN.finditer(text):
        string, punctuation, _literal = match.groups()
        if punctuation in ("}", "]"):
            stack.pop().end = match.end()
            key_of = None
            continue
        if punctuation == ",":
            key_of = stack[-1].members if stack else None
            continue
        if punctuation == ":":
            continue
        start = match.start(match.lastindex or 0)
        if key_of is not None and string is not None:
            name = json.loads(string) if "\\" in string else string[1:-1]
            if name in key_of:
                where = positions.location_of(start)
                raise TemplateError(positions._path, where.line, where.column, f"duplicate key {name!r}")
            pending_key = (name, start)
            key_of = None
            continue
        span = Span(start, match.end(), {} if punctuation == "{" else None, [] if punctuation == "[" else None)
        if stack:
            parent = stack[-1]
            if parent.members is not None and pending_key is not None:
                parent.members[pending_key[0]] = (pending_key[1], span)
                pending_key = None
            elif parent.items is not None:
                parent.items.append(span)
        elif root is None:
            root = span
        if punctuation is not None:
            stack.append(span)
            key_of = span.members
    return root if root is not None else Span(0, len(text))


_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS_OR_QUOTES = bytes(sorted(set(range(256)) - set(_DEPTH_STEP) - {ord('"')}))


def _depth_outside_strings(text: str) -> int:
    """The nesting depth of a valid JSON text, at C speed (a few ms on 500 kB): with the
    escaped backslashes and quotes dropped, every other quote opens a string, and the
    brackets between the pairs are skipped.  Counting all brackets would be faster, but a
    string such as ``"]]]"`` would hide the nesting after it."""
    raw = text.encode("utf-8", "surrogatepass").replace(b"\\\\", b"").replace(b'\\"', b"")
    quotes_and_brackets = raw.translate(None, _NOT_BRACKETS_OR_QUOTES)
    brackets = b"".join(quotes_and_brackets.split(b'"')[0::2])
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def _check_depth(text: str, path: str, positions: JsonPositions) -> None:
    """Raise the located TemplateError at the first bracket deeper than MAX_DEPTH."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group(1):
            depth += 1
            if depth > MAX_DEPTH:
                where = positions.location_of(match.start())
                raise TemplateError(path, where.line, where.column, f"nesting deeper than {MAX_DEPTH} levels")
        elif match.group(0) in "]}":
            depth -= 1


def _number_error(text: str, path: str, positions: JsonPositions, error: _BadNumberError) -> TemplateError:
    """The error at the number's place: the parse reads in text order, so the first
    literal spelled like it is the one it stopped at."""
    for match in _TOKEN.finditer(text):
        if match.group(3) == error.token:
            where = positions.location_of(match.start(3))
            return TemplateError(path, where.line, where.column, error.message)
    return TemplateError(path, 1, 1, error.message)


def load(text: str, path: str) -> tuple[Any, JsonPositions]:
    positions = JsonPositions(text, path)
    collecting = gc.isenabled()
    gc.disable()  # as in yaml_source.compose: thousands of fresh containers, no cycles
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant,
                          parse_float=_parse_float, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        where = positions.location_of(error.pos)
        raise TemplateError(path, where.line, where.column, error.msg) from None
    except _DuplicateKeyError:
        positions.locate("")  # the scan raises the located error
        raise TemplateError(path, 1, 1, "duplicate key") from None
    except _BadNumberError as error:
        raise _number_error(text, path, positions, error) from None
    except RecursionError:
        _check_depth(text, path, positions)
        raise TemplateError(path, 1, 1, "nesting too deep") from None
    finally:
        if collecting:
            gc.enable()
    if _depth_outside_strings(text) > MAX_DEPTH:
        _check_depth(text, path, positions)
    return data, positions
