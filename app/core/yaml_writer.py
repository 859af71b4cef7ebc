"""Render data as CloudFormation-flavoured YAML: block style, short-form tags, literal
blocks for multi-line text, and quotes wherever a YAML 1.1 or 1.2 reader would otherwise
read a string as something else.

The same pieces serve a whole-document export and the splices that edit a YAML file in
place (a value after ``key:``, an item after ``- ``, a value inside a flow collection).
Whatever they write reads back as the same data; a value no YAML file can carry (a lone
surrogate, an infinite number) raises ValueError instead.
"""

from __future__ import annotations

import math
import re
import reprlib
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from app.core.intrinsics import short_form
from app.core.yaml_source import resolve_plain

_YAML11 = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
# What a YAML 1.2 core-schema reader (Go's yaml.v3, which Rain uses) reads as a number: 1e5, 0o17, 012.
_YAML12_NUMBER = re.compile(
    r"[-+]?(?:0o[0-7]+|0x[0-9a-fA-F]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF))\Z"
    r"|\.(?:nan|NaN|NAN)\Z"
)
# Characters only a double-quoted escape can carry: those libyaml refuses in a stream (C0
# and C1 controls, DEL, U+FFFE/U+FFFF, surrogates), the line breaks YAML 1.1 adds to \n
# (\r, NEL, U+2028/U+2029), and a byte-order mark, which libyaml skips at a line start.
_ESCAPE_ONLY = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_DOUBLE_QUOTE_ESCAPED = re.compile('[\\\\"\t\n]|' + _ESCAPE_ONLY.pattern)
_DOUBLE_QUOTE_ESCAPES = {
    "\\": "\\\\", '"': '\\"', "\x00": "\\0", "\t": "\\t", "\n": "\\n", "\r": "\\r",
    "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P",
}
_SURROGATE = re.compile("[\ud800-\udfff]")
# An indicator cannot start a plain scalar; '-', '?' and ':' can when a non-space follows,
# except that '?' and ':' are indicators wherever they stand in a flow collection.
_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]|-[^\s,\[\]{}]")
_PLAIN_START_IN_BLOCK = re.compile(r"[?:][^\s,\[\]{}]")
# In a flow collection, libyaml also refuses ':' followed by '?' inside a plain scalar.
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]|:\?")
# At the start of a line, these begin or end a document instead of a scalar.
_DOCUMENT_MARKER = re.compile(r"(?:---|\.\.\.)(?:\s|\Z)")
# libyaml reads an implicit key only if its ':' comes within 1024 characters of its start.
_SIMPLE_KEY_LIMIT = 1024
_MAX_INDENTATION_INDICATOR = 9
# A tag's suffix may hold more (URI escapes, '!', ','), but not in a form that reads back as the key.
_TAG = re.compile(r"![A-Za-z0-9][A-Za-z0-9:._-]*\Z")
_SHOWN = reprlib.Repr()
_SHOWN.maxstring = 80


@dataclass(frozen=True)
class YamlStyle:
    """How a file indents: ``indent`` spaces a level, and whether block sequences under a
    key are indented (``Key:\\n  - a``) or not (``Key:\\n- a``)."""

    indent: int = 2
    indent_sequences: bool = True
    custom_tags: frozenset[str] = frozenset()
    #: Multi-line text as literal blocks (``|``); off, it is double-quoted on one line.  A
    #: splice turns them off where the lines after it (comments indented as deep as the
    #: block) would read as part of the block.
    literal_blocks: bool = True


def is_plain_safe(text: str, *, in_flow: bool = False) -> bool:
    """Whether ``text`` can be written unquoted and read back as the same string."""
    if not text or text != text.strip() or "\n" in text or "\t" in text or _ESCAPE_ONLY.search(text):
        return False
    if not (_PLAIN_START.match(text) or (not in_flow and _PLAIN_START_IN_BLOCK.match(text))):
        return False
    if ": " in text or " #" in text or text.endswith(":") or _DOCUMENT_MARKER.match(text):
        return False
    if in_flow and _FLOW_UNSAFE.search(text):
        return False
    if not isinstance(resolve_plain(text), str) or _YAML12_NUMBER.match(text):
        return False
    return _yaml11_plain_tag(text) == _STR_TAG


def _yaml11_plain_tag(text: str) -> str:
    """The tag a YAML 1.1 reader (PyYAML, cfn-lint) gives ``text`` written plain."""
    tag: str = _YAML11.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]  # untyped in the stub
    return tag


def quote(text: str, *, in_flow: bool = False) -> str:
    """``text`` as a one-line scalar: plain where that reads back, else quoted."""
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise ValueError(
            f"cannot write {_SHOWN.repr(text)} as YAML: it holds the lone surrogate "
            f"U+{ord(surrogate.group()):04X}, which no UTF-8 file can carry"
        )
    if is_plain_safe(text, in_flow=in_flow):
        return text
    if "\n" in text or "\t" in text or _ESCAPE_ONLY.search(text):
        return '"' + _DOUBLE_QUOTE_ESCAPED.sub(_escape, text) + '"'
    return "'" + text.replace("'", "''") + "'"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    escape = _DOUBLE_QUOTE_ESCAPES.get(char)
    if escape is not None:
        return escape
    code = ord(char)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"


def scalar(value: Any, *, in_flow: bool = False) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return quote(value, in_flow=in_flow)
    raise ValueError(f"cannot write {_SHOWN.repr(value)} as YAML: a {type(value).__name__} is no JSON value")


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"cannot write the number {value} as YAML: a template holds only finite numbers")
    text = repr(value)
    # A dot and a signed exponent, the only float spelling YAML 1.1 and 1.2 readers share.
    if "e" in text and "." not in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _literal_ok(text: str) -> bool:
    return "\n" in text.rstrip("\n") and not _ESCAPE_ONLY.search(text)


def _literal(text: str, parent_column: int, step: int) -> str:
    """A literal block (``|``, ``|-`` or ``|+`` header and lines) whose lines are indented
    ``step`` columns past the node that holds it, at ``parent_column``."""
    step = min(step, _MAX_INDENTATION_INDICATOR)
    stripped = text.rstrip("\n")
    trailing = len(text) - len(stripped)
    chomping = "-" if trailing == 0 else "" if trailing == 1 else "+"
    # Without an indicator, the first line with content sets the indentation: its own
    # leading spaces would count into it, and a leading tab is an error.
    indicator = str(step) if text.lstrip("\n")[0] in " \t" else ""
    pad = " " * (parent_column + step)
    lines = [pad + line if line else "" for line in stripped.split("\n")]
    return f"|{indicator}{chomping}\n" + "\n".join(lines + [""] * max(trailing - 1, 0))


class Emitter:
    def __init__(self, style: YamlStyle) -> None:
        self.style = style

    # -- inline pieces ---------------------------------------------------------------
    def key(self, name: str) -> str:
        """``name`` as a simple key, the kind written ``name:`` on one line."""
        rendered = quote(name)
        if _is_simple_key(rendered):
            return rendered
        raise ValueError(
            f"the key {_SHOWN.repr(name)} is too long for a YAML simple key ({len(rendered)} characters, "
            f"at most {_SIMPLE_KEY_LIMIT}); only the explicit '? key' form can carry it"
        )

    def inline(self, value: Any) -> str | None:
        """A one-line block-context rendering of ``value``, or None if it needs lines."""
        if isinstance(value, dict):
            if not value:
                return "{}"
            call = self._short_form(value)
            if call is None:
                return None
            tag, argument = call
            dotted = _dotted_getatt(tag, argument, in_flow=False)
            if dotted is not None:
                return dotted
            rendered = self.inline(argument)
            return None if rendered is None else f"{tag} {rendered}"
        if isinstance(value, list):
            return None if value else "[]"
        if isinstance(value, str) and self.style.literal_blocks and _literal_ok(value):
            return None
        return scalar(value)

    def flow(self, value: Any) -> str:
        """A flow-context rendering (inside ``[...]`` or ``{...}``)."""
        if isinstance(value, dict):
            call = self._short_form(value)
            if call is None:
                return "{" + ", ".join(self._flow_member(name, item) for name, item in value.items()) + "}"
            tag, argument = call
            dotted = _dotted_getatt(tag, argument, in_flow=True)
            return dotted if dotted is not None else f"{tag} {self.flow(argument)}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(item) for item in value) + "]"
        return scalar(value, in_flow=True)

    def _flow_member(self, name: str, value: Any) -> str:
        rendered = quote(name, in_flow=True)
        key = rendered if _is_simple_key(rendered) else f"? {rendered}"
        return f"{key}: {self.flow(value)}"

    # -- block pieces ----------------------------------------------------------------
    def after_key(self, value: Any, key_column: int) -> str:
        """What follows ``key:`` for a key at ``key_column``: `` value`` or a block."""
        inline = self.inline(value)
        if inline is not None:
            return " " + inline
        tag, inner = self._untag(value)
        prefix = f" {tag}" if tag else ""
        if isinstance(inner, str):
            return f"{prefix} " + _literal(inner, key_column, self.style.indent)
        if isinstance(inner, list) and not tag and not self.style.indent_sequences:
            child = key_column
        else:
            child = key_column + self.style.indent
        return prefix + "\n" + "\n".join(self.block(inner, child))

    def after_dash(self, value: Any, dash_column: int) -> str:
        """What follows ``- `` for a sequence item whose dash is at ``dash_column``."""
        inline = self.inline(value)
        if inline is not None:
            return inline
        child = dash_column + 2
        tag, inner = self._untag(value)
        if isinstance(inner, str):
            return f"{tag + ' ' if tag else ''}" + _literal(inner, dash_column, 2)
        if tag:
            return tag + "\n" + "\n".join(self.block(inner, child))
        lines = self.block(inner, child)
        return lines[0][child:] + "".join("\n" + line for line in lines[1:])

    def block(self, value: Any, indent: int) -> list[str]:
        """The lines of a non-empty mapping or sequence at ``indent``."""
        pad = " " * indent
        if isinstance(value, dict):
            return [self._block_member(name, item, indent) for name, item in value.items()]
        return [f"{pad}- {self.after_dash(item, indent)}" for item in value]

    def _block_member(self, name: str, value: Any, indent: int) -> str:
        pad = " " * indent
        rendered = quote(name)
        key = rendered if _is_simple_key(rendered) else f"? {rendered}\n{pad}"
        return f"{pad}{key}:{self.after_key(value, indent)}"

    def document(self, data: Any) -> str:
        if isinstance(data, (dict, list)) and data:
            return "\n".join(self.block(data, 0)) + "\n"
        return self.flow(data) + "\n"

    # -- short forms -------------------------------------------------------------------
    def _short_form(self, value: Any) -> tuple[str, Any] | None:
        """The (tag, argument) to write ``value`` with, or None for the long form."""
        call = short_form(value, self.style.custom_tags)
        if call is None:
            return None
        tag, argument = call
        if tag == "!GetAtt" and isinstance(argument, str):
            return None  # the loader splits a tagged string at its dot into the list form
        if not _TAG.match(tag):
            return None
        if self._short_form(argument) is not None:
            return None  # a node takes one tag: ``!Base64 !Sub x`` is no YAML
        return call

    def _untag(self, value: Any) -> tuple[str, Any]:
        call = self._short_form(value)
        if call is None:
            return "", value
        return call


def _is_simple_key(rendered: str) -> bool:
    return len(rendered) <= _SIMPLE_KEY_LIMIT


def _dotted_getatt(tag: str, argument: Any, *, in_flow: bool) -> str | None:
    """``!GetAtt Resource.Attribute`` for a list argument that reads back from it."""
    if tag != "!GetAtt" or not isinstance(argument, list) or len(argument) != 2:
        return None
    resource, attribute = argument
    if not (isinstance(resource, str) and isinstance(attribute, str) and resource and attribute):
        return None
    dotted = f"{resource}.{attribute}"
    if "." in resource or not is_plain_safe(dotted, in_flow=in_flow):
        return None
    return f"{tag} {dotted}"


def dump(data: Any, style: YamlStyle | None = None) -> str:
    return Emitter(style or YamlStyle()).document(data)
