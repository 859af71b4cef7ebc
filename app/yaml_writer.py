"""Render data as CloudFormation-flavoured YAML: block style, short-form tags, literal
blocks for multi-line text, and quotes wherever a YAML 1.1 or 1.2 reader would otherwise
read a string as something else.

The same pieces serve a whole-document export and the splices that edit a YAML file in
place (a value after ``key:``, an item after ``- ``, a value inside a flow collection).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from app.intrinsics import short_form
from app.yaml_source import resolve_plain

_YAML11 = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_SAFE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\x00-\x1f\x7f]*\Z")
_PLAIN_SAFE_DASHED = re.compile(r"[-?:][^\s,\[\]{}][^\x00-\x1f\x7f]*\Z")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
# Characters YAML treats as line breaks or that a literal block cannot carry.
_NOT_LITERAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff\r]")
_DOUBLE_QUOTE_ESCAPES = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\ufeff"}


@dataclass(frozen=True)
class YamlStyle:
    """How a file indents: ``indent`` spaces a level, and whether block sequences under a
    key are indented (``Key:\\n  - a``) or not (``Key:\\n- a``)."""

    indent: int = 2
    indent_sequences: bool = True
    custom_tags: frozenset[str] = frozenset()


def is_plain_safe(text: str, *, in_flow: bool = False) -> bool:
    """Whether ``text`` can be written unquoted and read back as the same string."""
    if not text or text != text.strip() or "\n" in text or "\t" in text or _NOT_LITERAL.search(text):
        return False
    if not (_PLAIN_SAFE.match(text) or _PLAIN_SAFE_DASHED.match(text)):
        return False
    if ": " in text or " #" in text or text.endswith(":") or text.startswith("- "):
        return False
    if in_flow and _FLOW_UNSAFE.search(text):
        return False
    if not isinstance(resolve_plain(text), str):
        return False
    return _YAML11.resolve(ScalarNode, text, (True, False)) == _STR_TAG


def _double_quoted(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    for char, escape in _DOUBLE_QUOTE_ESCAPES.items():
        quoted = quoted.replace(char, escape)
    return quoted


def quote(text: str, *, in_flow: bool = False) -> str:
    if is_plain_safe(text, in_flow=in_flow):
        return text
    if _NOT_LITERAL.search(text) or "\n" in text or "\t" in text:
        return _double_quoted(text)
    return "'" + text.replace("'", "''") + "'"


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
        text = repr(value)
        if "e" in text and "." not in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent if exponent[0] in '+-' else '+' + exponent}"
        if text in ("inf", "-inf", "nan"):
            return _double_quoted(text)
        return text
    return quote(str(value), in_flow=in_flow)


def _literal_ok(text: str) -> bool:
    if "\n" not in text.rstrip("\n") or _NOT_LITERAL.search(text):
        return False
    lines = text.split("\n")
    # A first line that starts with a space needs an indentation indicator, and a line
    # holding only spaces reads back as empty: both are rare enough to double-quote.
    if lines[0].startswith((" ", "\t")):
        return False
    return not any(line and not line.strip(" ") for line in lines)


def _literal(text: str, indent: int) -> tuple[str, list[str]]:
    """Header (``|``, ``|-`` or ``|+``) and the indented lines of a literal block."""
    stripped = text.rstrip("\n")
    trailing = len(text) - len(stripped)
    header = "|-" if trailing == 0 else "|" if trailing == 1 else "|+"
    lines = [(" " * indent + line) if line else "" for line in stripped.split("\n")]
    lines.extend([""] * (trailing - 1 if trailing > 1 else 0))
    return header, lines


class Emitter:
    def __init__(self, style: YamlStyle) -> None:
        self.style = style

    # -- inline pieces ---------------------------------------------------------------
    def key(self, name: str) -> str:
        return quote(name)

    def inline(self, value: Any) -> str | None:
        """A one-line block-context rendering of ``value``, or None if it needs lines."""
        if isinstance(value, dict):
            if not value:
                return "{}"
            call = short_form(value, self.style.custom_tags)
            if call is None:
                return None
            tag, argument = call
            if tag == "!GetAtt" and _dotted_getatt(argument):
                return f"!GetAtt {argument[0]}.{argument[1]}"
            if isinstance(argument, (dict, list)):
                inner = "{}" if argument == {} else "[]" if argument == [] else None
                return f"{tag} {inner}" if inner else None
            if isinstance(argument, str) and "\n" in argument and _literal_ok(argument):
                return None
            return f"{tag} {scalar(argument)}"
        if isinstance(value, list):
            return None if value else "[]"
        if isinstance(value, str) and _literal_ok(value):
            return None
        return scalar(value)

    def flow(self, value: Any) -> str:
        """A flow-context rendering (inside ``[...]`` or ``{...}``)."""
        if isinstance(value, dict):
            call = short_form(value, self.style.custom_tags)
            if call is not None:
                tag, argument = call
                if tag == "!GetAtt" and _dotted_getatt(argument):
                    return f"!GetAtt {argument[0]}.{argument[1]}"
                return f"{tag} {self.flow(argument)}"
            return "{" + ", ".join(f"{quote(k, in_flow=True)}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(item) for item in value) + "]"
        if isinstance(value, str) and "\n" in value:
            return _double_quoted(value)
        return scalar(value, in_flow=True)

    # -- block pieces ----------------------------------------------------------------
    def after_key(self, value: Any, key_column: int) -> str:
        """What follows ``key:`` for a key at ``key_column``: `` value`` or a block."""
        inline = self.inline(value)
        if inline is not None:
            return " " + inline
        tag, inner = self._untag(value)
        prefix = f" {tag}" if tag else ""
        if isinstance(inner, str):
            header, lines = _literal(inner, key_column + self.style.indent)
            return f"{prefix} {header}\n" + "\n".join(lines)
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
            header, lines = _literal(inner, child)
            return f"{tag + ' ' if tag else ''}{header}\n" + "\n".join(lines)
        if tag:
            return tag + "\n" + "\n".join(self.block(inner, child))
        lines = self.block(inner, child)
        return lines[0][child:] + "".join("\n" + line for line in lines[1:])

    def block(self, value: Any, indent: int) -> list[str]:
        """The lines of a non-empty mapping or sequence at ``indent``."""
        pad = " " * indent
        if isinstance(value, dict):
            return [f"{pad}{self.key(name)}:{self.after_key(item, indent)}" for name, item in value.items()]
        return [f"{pad}- {self.after_dash(item, indent)}" for item in value]

    def document(self, data: Any) -> str:
        if isinstance(data, (dict, list)) and data:
            return "\n".join(self.block(data, 0)) + "\n"
        return self.flow(data) + "\n"

    def _untag(self, value: Any) -> tuple[str, Any]:
        call = short_form(value, self.style.custom_tags)
        if call is None:
            return "", value
        return call


def _dotted_getatt(argument: Any) -> bool:
    return (
        isinstance(argument, list)
        and len(argument) == 2
        and all(isinstance(part, str) and part and is_plain_safe(part) for part in argument)
        and "." not in argument[0]
    )


def dump(data: Any, style: YamlStyle | None = None) -> str:
    return Emitter(style or YamlStyle()).document(data)
