"""JSON templates: parse with the standard library, find positions only when asked.

``json.loads`` is C-fast but knows no positions; the scanner here walks the text once,
on the first position request, and keeps a light tree of offsets.
"""

from __future__ import annotations

import bisect
import gc
import json
import re
from itertools import accumulate
from dataclasses import dataclass, field
from typing import Any

from app import pointer as jp
from app.errors import TemplateError
from app.source import Location

MAX_DEPTH = 200

_TOKEN = re.compile(r'[ \t\r\n]*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^ \t\r\n{}\[\]:,"]+))', re.S)
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|([\[{])|[\]}]', re.S)


@dataclass
class _Span:
    start: int
    members: dict[str, tuple[int, _Span]] | None = None
    items: list[_Span] = field(default_factory=list)


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class JsonPositions:
    def __init__(self, text: str, path: str = "") -> None:
        self._text = text
        self._path = path
        self._root: _Span | None = None
        self._line_starts: list[int] | None = None

    def location_of(self, offset: int) -> Location:
        if self._line_starts is None:
            self._line_starts = [0] + [match.end() for match in re.finditer("\n", self._text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return Location(line, offset - self._line_starts[line - 1] + 1)

    def _tree(self) -> _Span:
        if self._root is None:
            self._root = _scan(self._text, self)
        return self._root

    def locate(self, pointer: str) -> Location | None:
        span = self._tree()
        offset = span.start
        for token in jp.split(pointer):
            if span.members is not None:
                if token not in span.members:
                    return None
                offset, span = span.members[token]
            elif token.isdigit() and int(token) < len(span.items):
                span = span.items[int(token)]
                offset = span.start
            else:
                return None
        return self.location_of(offset)


def _scan(text: str, positions: JsonPositions) -> _Span:
    """A tree of member and item offsets; raises TemplateError on a duplicate key."""
    stack: list[_Span] = []
    root: _Span | None = None
    pending_key: tuple[str, int] | None = None
    expect_key = False
    for match in _TOKEN.finditer(text):
        string, punctuation, _literal = match.groups()
        start = match.start(1) if string else match.start(2) if punctuation else match.start(3)
        if punctuation in ("}", "]"):
            stack.pop()
            expect_key = False
            continue
        if punctuation == ",":
            expect_key = bool(stack) and stack[-1].members is not None
            continue
        if punctuation == ":":
            continue
        if expect_key and string is not None:
            name = json.loads(string) if "\\" in string else string[1:-1]
            if name in stack[-1].members:  # type: ignore[operator]
                where = positions.location_of(start)
                raise TemplateError(positions._path, where.line, where.column, f"duplicate key {name!r}")
            pending_key = (name, start)
            expect_key = False
            continue
        span = _Span(start, {} if punctuation == "{" else None)
        if stack:
            parent = stack[-1]
            if parent.members is not None and pending_key is not None:
                parent.members[pending_key[0]] = (pending_key[1], span)
                pending_key = None
            else:
                parent.items.append(span)
        elif root is None:
            root = span
        if punctuation in ("{", "["):
            stack.append(span)
            expect_key = punctuation == "{"
    return root if root is not None else _Span(0)


_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(_DEPTH_STEP)))


def _bracket_depth_estimate(text: str) -> int:
    """Nesting depth counting brackets inside strings too: a cheap filter (about 1 ms on
    500 kB) that decides whether the exact, string-aware scan is worth running."""
    brackets = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def _check_depth(text: str, path: str, positions: JsonPositions) -> None:
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group(1):
            depth += 1
            if depth > MAX_DEPTH:
                where = positions.location_of(match.start())
                raise TemplateError(path, where.line, where.column, f"nesting deeper than {MAX_DEPTH} levels")
        elif match.group(0) in "]}":
            depth -= 1


def load(text: str, path: str) -> tuple[Any, JsonPositions]:
    positions = JsonPositions(text, path)
    collecting = gc.isenabled()
    gc.disable()  # as in yaml_source.compose: thousands of fresh containers, no cycles
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise TemplateError(path, error.lineno, error.colno, error.msg) from None
    except _DuplicateKey:
        positions.locate("")  # the scan raises the located error
        raise TemplateError(path, 1, 1, "duplicate key") from None
    except RecursionError:
        _check_depth(text, path, positions)
        raise TemplateError(path, 1, 1, "nesting too deep") from None
    except ValueError as error:
        raise TemplateError(path, 1, 1, str(error)) from None
    finally:
        if collecting:
            gc.enable()
    if _bracket_depth_estimate(text) > MAX_DEPTH // 2:
        _check_depth(text, path, positions)
    return data, positions
