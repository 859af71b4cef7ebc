"""Under which combinations of a template's conditions a grant exists.

A policy, a statement or a single action can sit in a branch of an ``Fn::If``; it exists
only when that branch is taken. A :data:`Circumstance` records the branches taken on the
way to it, and :class:`Conditions` tells, for a need that exists under one circumstance,
the deploys in which nothing satisfies it ("when IsProd is false").

Conditions are evaluated from what they compare: two conditions on the same parameter
(``IsProd: !Equals [!Ref Env, prod]``, ``IsDev: !Equals [!Ref Env, dev]``) cannot both
hold, and ``!Not [Condition: IsProd]`` is false whenever ``IsProd`` is true.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.intrinsics import is_intrinsic
from rules.values import Values

#: the ``Fn::If`` branches taken to reach something: (condition, branch) pairs, all of which hold
Circumstance = frozenset[tuple[str, bool]]
ALWAYS: Circumstance = frozenset()
NO_VALUE = {"Ref": "AWS::NoValue"}
MAX_DEPLOYS = 4096  # beyond this many combinations, conditions are taken as independent


def holds(circumstance: Circumstance, valuation: Mapping[str, bool]) -> bool:
    return all(valuation.get(name) is branch for name, branch in circumstance)


def joined(*circumstances: Circumstance) -> Circumstance | None:
    """Both circumstances at once; None when they contradict each other."""
    union = frozenset().union(*circumstances)
    names = [name for name, _ in union]
    return union if len(names) == len(set(names)) else None


def choices(value: Any, when: Circumstance = ALWAYS) -> Iterator[tuple[Any, Circumstance]]:
    """The items of a list or a single value, each with the circumstance it exists in:
    the branches of an ``Fn::If`` are items of their own, ``AWS::NoValue`` none."""
    if isinstance(value, list):
        for item in value:
            yield from choices(item, when)
    elif _is_if(value):
        condition, when_true, when_false = value["Fn::If"]
        for branch, chosen in ((True, when_true), (False, when_false)):
            inner = joined(when, frozenset({(condition, branch)}))
            if inner is not None:
                yield from choices(chosen, inner)
    elif value is not None and value != NO_VALUE:
        yield value, when


def leaves(value: Any, when: Circumstance = ALWAYS) -> Iterator[tuple[Any, Circumstance]]:
    """Every part of ``value`` outside the ``Fn::If`` around it, at any depth, with the
    circumstance it exists in (for finding the references a value makes, and when)."""
    if _is_if(value):
        for chosen, inner in choices(value, when):
            yield from leaves(chosen, inner)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, when)
    elif isinstance(value, dict) and not is_intrinsic(value):
        for item in value.values():
            yield from leaves(item, when)
    else:
        yield value, when


def _is_if(value: Any) -> bool:
    if not (isinstance(value, dict) and set(value) == {"Fn::If"}):
        return False
    argument = value["Fn::If"]
    return isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str)


@dataclass(frozen=True)
class Gap:
    """The deploys in which a need goes unmet: all of them, or those ``when`` describes."""

    always: bool
    when: str = ""  # "when IsProd is false (as deployed by default)"


_OTHER = object()  # a parameter value that no condition compares with


class Conditions:
    """The conditions of one template, evaluated by the parameter values they compare."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._definitions = _section(data, "Conditions")
        self._parameters = _section(data, "Parameters")
        self._values = Values(data)

    def gap(self, needed: Circumstance, names: set[str], met: Callable[[Mapping[str, bool]], bool]) -> Gap | None:
        """Whether ``met`` fails in some deploy where ``needed`` holds. ``met`` is asked with
        the truth of each condition in ``names`` (and in ``needed``) for one deploy."""
        names = names | {name for name, _ in needed}
        failing: list[dict[str, bool]] = []
        possible = 0
        for valuation in self._valuations(names):
            if not holds(needed, valuation):
                continue
            possible += 1
            if not met(valuation):
                failing.append(valuation)
        if not failing:
            return None
        if len(failing) == possible:
            return Gap(always=True)
        when = _describe(failing, names - {name for name, _ in needed})
        defaults = {name: self._values.condition_default(name) for name in names}
        if None not in defaults.values() and defaults in failing:
            when += " (as deployed by default)"
        return Gap(always=False, when=when)

    def _valuations(self, names: set[str]) -> Iterator[dict[str, bool]]:
        """The truth of each named condition in every distinct kind of deploy."""
        if not names:
            yield {}
            return
        variables = self._variables(names)
        domains = list(variables.values())
        sizes = [len(domain) for domain in domains]
        if not all(sizes) or _product(sizes) > MAX_DEPLOYS:
            for combination in itertools.product((True, False), repeat=len(names)):
                yield dict(zip(sorted(names), combination, strict=True))
            return
        seen: set[tuple[tuple[str, bool], ...]] = set()
        for combination in itertools.product(*domains):
            environment = dict(zip(variables, combination, strict=True))
            valuation = {name: self._truth(self._definitions.get(name), environment, set()) for name in names}
            key = tuple(sorted(valuation.items()))
            if key not in seen:
                seen.add(key)
                yield valuation

    def _variables(self, names: set[str]) -> dict[str, list[Any]]:
        """What a deploy chooses: each compared parameter's value, or an opaque comparison's truth."""
        compared: dict[str, list[Any]] = {}
        for name in names:
            self._collect(self._definitions.get(name), compared, set())
        return {key: self._domain(key, values) for key, values in compared.items()}

    def _collect(self, expression: Any, compared: dict[str, list[Any]], visiting: set[str]) -> None:
        call = _call(expression)
        if call is None:
            compared.setdefault(_opaque(expression), [])
            return
        function, argument = call
        if function == "Condition" and isinstance(argument, str):
            if argument not in visiting:
                self._collect(self._definitions.get(argument), compared, visiting | {argument})
        elif function == "Fn::Equals":
            parameter, literal = self._comparison(argument)
            if parameter is None:
                compared.setdefault(_opaque(expression), [])
            else:
                compared.setdefault(parameter, []).append(literal)
        elif function in ("Fn::Not", "Fn::And", "Fn::Or") and isinstance(argument, list):
            for part in argument:
                self._collect(part, compared, visiting)
        else:
            compared.setdefault(_opaque(expression), [])

    def _domain(self, key: str, literals: list[Any]) -> list[Any]:
        if key not in self._parameters:
            return [True, False]  # an opaque comparison
        parameter = self._parameters[key]
        allowed = parameter.get("AllowedValues") if isinstance(parameter, dict) else None
        values = list(dict.fromkeys(str(literal) for literal in literals))
        if isinstance(allowed, list):
            others = [str(value) for value in allowed if str(value) not in values]
            return [value for value in values if value in map(str, allowed)] + others[:1]
        return [*values, _OTHER]

    def _comparison(self, argument: Any) -> tuple[str | None, Any]:
        """(parameter, literal) of ``!Equals [!Ref P, literal]`` in either order."""
        if not (isinstance(argument, list) and len(argument) == 2):
            return None, None
        for side, other in (argument, reversed(argument)):
            name = side.get("Ref") if isinstance(side, dict) and set(side) == {"Ref"} else None
            if name in self._parameters and not isinstance(other, (dict, list)):
                return name, other
        return None, None

    def _truth(self, expression: Any, environment: Mapping[str, Any], visiting: set[str]) -> bool:
        call = _call(expression)
        if call is None:
            return bool(environment.get(_opaque(expression), False))
        function, argument = call
        if function == "Condition" and isinstance(argument, str):
            if argument in visiting:
                return False
            return self._truth(self._definitions.get(argument), environment, visiting | {argument})
        parts = argument if isinstance(argument, list) else []
        if function == "Fn::Equals":
            parameter, literal = self._comparison(argument)
            if parameter is not None:
                return environment.get(parameter) == str(literal)
        elif function == "Fn::Not" and len(parts) == 1:
            return not self._truth(parts[0], environment, visiting)
        elif function == "Fn::And":
            return all(self._truth(part, environment, visiting) for part in parts)
        elif function == "Fn::Or":
            return any(self._truth(part, environment, visiting) for part in parts)
        return bool(environment.get(_opaque(expression), False))


def _call(expression: Any) -> tuple[str, Any] | None:
    if not is_intrinsic(expression):
        return None
    ((function, argument),) = expression.items()
    return function, argument


def _opaque(expression: Any) -> str:
    return json.dumps(expression, sort_keys=True, default=str)


def _product(sizes: list[int]) -> int:
    total = 1
    for size in sizes:
        total *= size
    return total


def _describe(failing: list[dict[str, bool]], names: set[str]) -> str:
    """The conditions that have one value in every failing deploy: ``when A is false and B is true``."""
    fixed = [(name, failing[0][name]) for name in sorted(names)
             if all(valuation[name] is failing[0][name] for valuation in failing)]
    if not fixed:
        shown = ", ".join(f"{name} {'true' if value else 'false'}" for name, value in sorted(failing[0].items()))
        return f"in some combinations of conditions ({shown})"
    return "when " + " and ".join(f"{name} is {'true' if value else 'false'}" for name, value in fixed)


def _section(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    section = data.get(name)
    return section if isinstance(section, dict) else {}
