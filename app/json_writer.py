"""Write data as JSON in the style of the file it came from."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JsonStyle:
    indent: str | None = "  "
    newline: str = "\n"
    final_newline: bool = True
    compact: bool = False


def detect(text: str) -> JsonStyle:
    """The indentation unit (first indented line), line ending and final newline of a file."""
    first_break = text.find("\n")
    newline = "\r\n" if first_break > 0 and text[first_break - 1] == "\r" else "\n"
    final_newline = text.endswith(("\n", "\r"))
    body = text.strip()
    if "\n" not in body:
        return JsonStyle(None, newline, final_newline, compact='": ' not in body and '", ' not in body)
    match = re.search(r"\n([ \t]+)\S", text)
    return JsonStyle(match.group(1) if match else "  ", newline, final_newline)


def dump(data: Any, style: JsonStyle | None = None) -> str:
    style = style or JsonStyle()
    separators = (",", ":") if style.compact else None
    text = json.dumps(data, indent=style.indent, ensure_ascii=False, separators=separators)
    if style.newline != "\n":
        text = text.replace("\n", style.newline)
    return text + style.newline if style.final_newline else text
