"""What a value can be once the stack is deployed, and when.

A template's value is often not a literal: ``DeletionPolicy: !Ref Policy``,
``StorageEncrypted: !If [HasKey, true, false]``, ``CidrIp: !Ref AllowedCidr``.  A rule judges
such a value by every literal a deploy can give it — a parameter's ``Default`` and
``AllowedValues``, both branches of an ``Fn::If``, the entries of a mapping — and says
which one is dangerous and when ("by default: Policy defaults to 'Delete'").
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.intrinsics import is_intrinsic

NO_VALUE = "AWS::NoValue"
MAX_OUTCOMES = 64  # a value built from many parameters is judged by its first outcomes


class Special(enum.Enum):
    ABSENT = "absent"  #: ``Ref: AWS::NoValue``: the property is not set at all
    UNKNOWN = "unknown"  #: only a deployment can tell (a free-form parameter, an attribute...)


ABSENT = Special.ABSENT
UNKNOWN = Special.UNKNOWN


@dataclass(frozen=True)
class Outcome:
    """One value a deploy can give, the circumstances in words ("" when always), and
    whether a deploy that overrides no parameter gets it."""

    value: Any
    when: str = ""
    default: bool = True

    def described(self) -> str:
        """``'Delete'``, or ``'Delete' by default (Policy defaults to it)``."""
        shown = "not set" if self.value is ABSENT else "unknown" if self.value is UNKNOWN else repr(self.value)
        return f"{shown} {self.when}" if self.when else shown


class Values:
    """Outcomes of values in one template (its parameters, conditions and mappings)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._parameters = _section(data, "Parameters")
        self._conditions = _section(data, "Conditions")
        self._mappings = _section(data, "Mappings")
        self._condition_defaults: dict[str, bool | None] = {}

    def outcomes(self, value: Any) -> list[Outcome]:
        """Every literal ``value`` can take, each once (the first circumstance named)."""
        seen: list[Outcome] = []
        for outcome in self._outcomes(value):
            if not any(_same(outcome.value, other.value) for other in seen):
                seen.append(outcome)
            if len(seen) >= MAX_OUTCOMES:
                break
        return seen

    def default(self, value: Any) -> Any:
        """What a deploy that overrides no parameter gives (UNKNOWN if it cannot be told)."""
        for outcome in self._outcomes(value):
            if outcome.default:
                return outcome.value
        return UNKNOWN

    def condition_default(self, name: str) -> bool | None:
        """Whether a condition holds for a deploy with the parameters' defaults; None when
        that cannot be told."""
        if name not in self._condition_defaults:
            self._condition_defaults[name] = None  # a condition that refers to itself stays unknown
            self._condition_defaults[name] = self._evaluate(self._conditions.get(name))
        return self._condition_defaults[name]

    # -- outcomes ----------------------------------------------------------------------
    def _outcomes(self, value: Any) -> Iterator[Outcome]:
        if not is_intrinsic(value):
            yield Outcome(value)
            return
        ((function, argument),) = value.items()
        if function == "Ref":
            yield from self._reference(argument)
        elif function == "Fn::If":
            yield from self._branches(argument)
        elif function == "Fn::FindInMap":
            yield from self._mapping(argument)
        else:
            yield Outcome(UNKNOWN)

    def _reference(self, name: Any) -> Iterator[Outcome]:
        if name == NO_VALUE:
            yield Outcome(ABSENT)
            return
        parameter = self._parameters.get(name) if isinstance(name, str) else None
        if not isinstance(parameter, dict):
            yield Outcome(UNKNOWN)  # a resource, a pseudo parameter
            return
        default = parameter.get("Default")
        allowed = parameter.get("AllowedValues")
        if default is not None:
            yield Outcome(default, f"by default ({name} defaults to {default!r})")
        for choice in allowed if isinstance(allowed, list) else []:
            yield Outcome(choice, f"when {name} is {choice!r}", default=False)
        if not isinstance(allowed, list):
            yield Outcome(UNKNOWN, f"when {name} is given another value", default=default is None)

    def _branches(self, argument: Any) -> Iterator[Outcome]:
        if not (isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str)):
            yield Outcome(UNKNOWN)
            return
        condition, when_true, when_false = argument
        holds = self.condition_default(condition)
        for branch, value, taken in ((True, when_true, holds is not False), (False, when_false, holds is not True)):
            circumstance = f"when {condition} is {'true' if branch else 'false'}"
            for outcome in self._outcomes(value):
                when = f"{circumstance}, {outcome.when}" if outcome.when else circumstance
                yield Outcome(outcome.value, when, default=taken and outcome.default and holds is not None)

    def _mapping(self, argument: Any) -> Iterator[Outcome]:
        if not (isinstance(argument, list) and len(argument) >= 3 and isinstance(argument[0], str)):
            yield Outcome(UNKNOWN)
            return
        table = self._mappings.get(argument[0])
        if not isinstance(table, dict):
            yield Outcome(UNKNOWN)
            return
        for first in self._keys(argument[1], table):
            level = table.get(first)
            for second in self._keys(argument[2], level if isinstance(level, dict) else {}):
                found = level[second] if isinstance(level, dict) else None
                literal = not is_intrinsic(argument[1]) and not is_intrinsic(argument[2])
                when = "" if literal else f"for {argument[0]} {first}/{second}"
                yield Outcome(found, when, default=literal)

    def _keys(self, key: Any, level: Mapping[str, Any]) -> list[str]:
        if isinstance(key, str) and not is_intrinsic(key):
            return [key] if key in level else []
        return list(level)

    # -- conditions --------------------------------------------------------------------
    def _evaluate(self, expression: Any) -> bool | None:
        if not isinstance(expression, dict) or len(expression) != 1:
            return None
        ((function, argument),) = expression.items()
        if function == "Condition" and isinstance(argument, str):
            return self.condition_default(argument)
        if function == "Fn::Equals" and isinstance(argument, list) and len(argument) == 2:
            left, right = (self.default(side) for side in argument)
            if UNKNOWN in (left, right) or ABSENT in (left, right):
                return None
            return str(left) == str(right)
        parts = [self._evaluate(part) for part in argument] if isinstance(argument, list) else []
        if function == "Fn::Not" and len(parts) == 1:
            return None if parts[0] is None else not parts[0]
        if function == "Fn::And" and parts:
            return False if False in parts else None if None in parts else True
        if function == "Fn::Or" and parts:
            return True if True in parts else None if None in parts else False
        return None


def _section(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    section = data.get(name)
    return section if isinstance(section, dict) else {}


def _same(left: Any, right: Any) -> bool:
    return type(left) is type(right) and left == right
