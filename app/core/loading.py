"""From bytes to a parsed template: decoding, format detection, the shape of a template."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from typing import Any, Literal

from app.core import json_source, yaml_source
from app.core.errors import TemplateError
from app.core.source import PositionIndex

Format = Literal["json", "yaml"]
MAX_BYTES = 10 * 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class Parsed:
    data: dict[str, Any]
    positions: PositionIndex
    format: Format
    text: str
    custom_tags: frozenset[str]


def format_for_name(name: str) -> Format | None:
    """The format a file name asks for; None when only the content can tell."""
    extension = os.path.splitext(name)[1].lower()
    if extension == ".json":
        return "json"
    if extension in (".yaml", ".yml"):
        return "yaml"
    return None


def sniff_format(text: str) -> Format:
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


def special_file_kind(mode: int) -> str | None:
    """What a file that is not a regular file is ("a folder", "a named pipe (FIFO)", ...);
    None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def read_file(path: str) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES.  Anything else (a folder, a FIFO,
    a device, a socket) is refused before it is opened, so that nothing blocks or reads
    forever; O_NONBLOCK and a second look at the opened file cover a swap in between."""
    try:
        _check_readable_kind(path, os.stat(path))
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(handle, "rb") as stream:
            _check_readable_kind(path, os.fstat(handle))
            return stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise TemplateError(path, 0, 0, f"cannot read: {error.strerror or error}") from None


def _check_readable_kind(path: str, status: os.stat_result) -> None:
    kind = special_file_kind(status.st_mode)
    if kind is not None:
        raise TemplateError(path, 0, 0, f"is {kind}, not a template file")
    if status.st_size > MAX_BYTES:
        raise TemplateError(path, 0, 0, f"file is {status.st_size / 1048576:.1f} MB; templates over 10 MB are refused")


def decode(raw: bytes, path: str) -> tuple[str, bool]:
    """The text and whether it began with a UTF-8 byte-order mark."""
    if len(raw) > MAX_BYTES:
        raise TemplateError(path, 0, 0, "templates over 10 MB are refused")
    if raw.startswith(_OTHER_BOMS):
        raise TemplateError(path, 1, 1, "file is UTF-16; CloudFormation templates must be UTF-8")
    bom = raw.startswith(_UTF8_BOM)
    if bom:
        raw = raw[len(_UTF8_BOM):]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _byte_location(raw, nul)
        raise TemplateError(path, line, column, "binary data (a NUL byte): not a text template")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_location(raw, error.start)
        raise TemplateError(path, line, column, f"invalid UTF-8 (byte 0x{raw[error.start]:02x})") from None
    return text, bom


def _byte_location(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def parse_text(text: str, path: str, format: Format | None = None) -> Parsed:
    """Parse a template's text; raises TemplateError for anything that is not one."""
    if not text.strip():
        raise TemplateError(path, 1, 1, "the file is empty")
    chosen = format or format_for_name(path) or sniff_format(text)
    custom_tags: frozenset[str] = frozenset()
    positions: PositionIndex
    if chosen == "json":
        data, positions = json_source.load(text, path)
    else:
        data, positions, custom_tags = yaml_source.load(text, path)
    check_shape(data, positions, path)
    return Parsed(data, positions, chosen, text, custom_tags)


def check_shape(data: Any, positions: PositionIndex, path: str) -> None:
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a string", type(None): "nothing"}.get(type(data), "a single value")
        raise TemplateError(path, 1, 1, f"a template must be a mapping at the top level, not {kind}")
    if "Resources" not in data:
        raise TemplateError(path, 1, 1, "no Resources section: not a CloudFormation template")
    if not isinstance(data["Resources"], dict):
        where = positions.locate("/Resources")
        line, column = (where.line, where.column) if where else (1, 1)
        raise TemplateError(path, line, column, "Resources must be a mapping of logical ids to resources")


def newline_of(text: str) -> str:
    """The file's line break: ``\\n``, ``\\r\\n``, or a lone ``\\r`` (old Mac files)."""
    match = re.search(r"\r\n?|\n", text)
    return match.group(0) if match else "\n"
