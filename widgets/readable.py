"""Values as one readable line: ``Ref → LambdaExecutionRole``, ``GetAtt → Db.Arn``."""

from __future__ import annotations

from typing import Any

from app.core.intrinsics import function_call

ARROW = "→"


def summary(value: Any, limit: int = 80) -> str:
    text = _summary(value, limit)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary(value: Any, limit: int) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.replace("\n", " ⏎ ")
    if isinstance(value, list):
        return f"[{len(value)} item{'s' if len(value) != 1 else ''}]"
    if isinstance(value, dict):
        call = function_call(value)
        if call is None:
            return f"{{{len(value)} key{'s' if len(value) != 1 else ''}}}"
        name, argument = call
        if name == "GetAtt" and isinstance(argument, list) and len(argument) == 2:
            return f"GetAtt {ARROW} {argument[0]}.{argument[1]}"
        if name in ("Ref", "Sub", "ImportValue", "Condition", "Base64") and isinstance(argument, str):
            return f"{name} {ARROW} {argument}"
        if isinstance(argument, list):
            return f"{name}({', '.join(_summary(item, limit) for item in argument)})"
        return f"{name}({_summary(argument, limit)})"
    return str(value)
