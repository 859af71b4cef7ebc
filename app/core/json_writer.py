"""Write data as JSON in the style of the file it came from."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class JsonStyle:
    indent: str | None = "  "
    newline: str = "\n"
    final_newline: bool = True
    compact: bool = False


def detect(text: str) -> JsonStyle:
    """The indentation unit (first indented line), line ending (``\\n``, ``\\r\\n`` or a
    lone ``\\r``) and final newline of a file."""
    first_break = _LINE_BREAK.search(text)
    newline = first_break.group() if first_break else "\n"
    final_newline = text.endswith(("\n", "\r"))
    body = text.strip()
    if not _LINE_BREAK.search(body):
        return JsonStyle(None, newline, final_newline, compact='": ' not in body and '", ' not in body)
    match = re.search(r"[\r\n]([ \t]+)\S", text)
    return JsonStyle(match.group(1) if match else "  ", newline, final_newline)


def encode(value: Any, indent: str | None = None, separators: tuple[str, str] | None = None, *,
           allow_nan: bool = True) -> str:
    """``json.dumps`` with characters written as they are, except lone surrogates (a
    ``"\\ud800"`` read from a file): raw, they could not be encoded as UTF-8."""
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=False, allow_nan=allow_nan)
    return _LONE_SURROGATE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dump(data: Any, style: JsonStyle | None = None) -> str:
    style = style or JsonStyle()
    text = encode(data, style.indent, (",", ":") if style.compact else None)
    if style.newline != "\n":
        text = text.replace("\n", style.newline)
    return text + style.newline if style.final_newline else text
