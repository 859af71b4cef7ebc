"""The Lambda functions of a template as they are deployed: plain ``AWS::Lambda::Function``
and SAM's ``AWS::Serverless::Function``, with the environment each one gets (a SAM
function's own variables merged over ``Globals.Function``, as SAM merges them)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.core import pointer as jp
from app.core.intrinsics import is_intrinsic
from rules import template as tpl
from rules.context import Context

LAMBDA = "AWS::Lambda::Function"
SAM = "AWS::Serverless::Function"


@dataclass(frozen=True)
class Variable:
    """One environment variable a function gets; ``from_globals`` when the function does
    not set it itself (SAM's ``Globals.Function``), so it may not use it."""

    name: str
    value: Any
    pointer: str  # where the template writes it
    from_globals: bool = False


@dataclass(frozen=True)
class Function:
    name: str
    body: dict[str, Any]
    variables: tuple[Variable, ...]

    @property
    def sam(self) -> bool:
        return bool(self.body["Type"] == SAM)

    @property
    def properties(self) -> dict[str, Any]:
        return tpl.properties(self.body)

    @property
    def condition(self) -> str | None:
        condition = self.body.get("Condition")
        return condition if isinstance(condition, str) else None


def functions(context: Context) -> Iterator[Function]:
    """Every function of the template, plain and SAM, in template order."""
    globals_variables = _globals_variables(context.data)
    for name, body in context.of_type(LAMBDA, SAM):
        own = _own_variables(name, body)
        inherited = globals_variables if body["Type"] == SAM and _merges_globals(body) else {}
        merged = {**inherited, **own}
        yield Function(name, body, tuple(merged.values()))


def _own_variables(name: str, body: dict[str, Any]) -> dict[str, Variable]:
    variables = tpl.get_path(tpl.properties(body), "Environment", "Variables")
    if not isinstance(variables, dict) or is_intrinsic(variables):
        return {}
    base = tpl.resource_pointer(name, "Properties", "Environment", "Variables")
    return {key: Variable(key, value, jp.child(base, key)) for key, value in variables.items()}


def _globals_variables(data: dict[str, Any]) -> dict[str, Variable]:
    variables = tpl.get_path(data.get("Globals"), "Function", "Environment", "Variables")
    if not isinstance(variables, dict) or is_intrinsic(variables):
        return {}
    base = jp.join(("Globals", "Function", "Environment", "Variables"))
    return {key: Variable(key, value, jp.child(base, key), from_globals=True) for key, value in variables.items()}


def _merges_globals(body: dict[str, Any]) -> bool:
    """SAM merges mappings key by key, but a local value of another kind — an intrinsic
    function, a list — replaces the global one whole."""
    properties = body.get("Properties")
    if properties is not None and (not isinstance(properties, dict) or is_intrinsic(properties)):
        return False
    environment = tpl.properties(body).get("Environment")
    if environment is None:
        return True
    if not isinstance(environment, dict) or is_intrinsic(environment):
        return False
    variables = environment.get("Variables")
    return variables is None or isinstance(variables, dict) and not is_intrinsic(variables)
