"""What a value can be once the stack is deployed, and when.

A template's value is often not a literal: ``DeletionPolicy: !Ref Policy``,
``StorageEncrypted: !If [HasKey, true, false]``, ``CidrIp: !Ref AllowedCidr``.  A rule judges
such a value by every literal a deploy can give it — a parameter's ``Default`` and
``AllowedValues``, both branches of an ``Fn::If``, the entries of a mapping — and says
which one is dangerous and when ("by default: Policy defaults to 'Delete'").

A setting can be looked up by its keys (``outcomes(properties, "SSESpecification",
"SSEEnabled")``): an ``Fn::If`` on the way counts too, a missing key is ``ABSENT``, and each
outcome's ``path`` says where it is written, so that a fix can edit inside the branch that
needs it rather than flatten the template's logic.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from app.core.intrinsics import is_intrinsic
from app.core.pointer import Path

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
    #: where the value is written, as keys and indexes from the value looked up: a literal
    #: (inside ``("Fn::If", 2)`` when a branch gives it), the ``Ref`` to a parameter, the
    #: ``AWS::NoValue`` branch, or where a missing key would go (its keys included)
    path: Path = field(default=(), compare=False)

    def described(self) -> str:
        """``'Delete'``, ``'Delete' by default (Policy defaults to 'Delete')``, or
        ``False when HasKey is false (the default)``."""
        shown = "not set" if self.value is ABSENT else "unknown" if self.value is UNKNOWN else shown_value(self.value)
        if not self.when:
            return shown
        by_default = " (the default)" if self.default and "by default" not in self.when else ""
        return f"{shown} {self.when}{by_default}"

    @property
    def conditional(self) -> bool:
        """Whether only some deploys get this value (a parameter or a condition decides)."""
        return bool(self.when)


class Values:
    """Outcomes of values in one template (its parameters, conditions and mappings)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._parameters = _section(data, "Parameters")
        self._conditions = _section(data, "Conditions")
        self._mappings = _section(data, "Mappings")
        self._condition_defaults: dict[str, bool | None] = {}

    def outcomes(self, value: Any, *keys: str) -> list[Outcome]:
        """Every literal ``value`` (or ``value[key][...]``, through any ``Fn::If``) can take,
        each once: the circumstance named is a default deploy's when it gets that value,
        else the first."""
        return _distinct(self._outcomes(value, keys, ()), by_place=False)

    def all_outcomes(self, value: Any, *keys: str) -> list[Outcome]:
        """Like :meth:`outcomes`, but once per place a value is written (a fix edits each)."""
        return _distinct(self._outcomes(value, keys, ()), by_place=True)

    def branches(self, value: Any, *keys: str) -> list[Outcome]:
        """What each ``Fn::If`` branch gives, as written: functions other than ``Fn::If``
        are left unevaluated (``{"Ref": "Password"}``), for a rule that judges how a value
        is built rather than what it is."""
        return list(islice(self._outcomes(value, keys, (), evaluate=False), MAX_OUTCOMES))

    def default(self, value: Any) -> Any:
        """What a deploy that overrides no parameter gives (UNKNOWN if it cannot be told)."""
        for outcome in self._outcomes(value, (), ()):
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
    def _outcomes(self, value: Any, keys: tuple[str, ...], path: Path, *, evaluate: bool = True) -> Iterator[Outcome]:
        function, argument = next(iter(value.items())) if is_intrinsic(value) else (None, None)
        if function == "Fn::If":
            yield from self._branches(argument, keys, (*path, "Fn::If"), evaluate)
        elif function == "Ref" and argument == NO_VALUE:
            yield Outcome(ABSENT, path=(*path, *keys))
        elif keys:
            yield from self._lookup(value, keys, path, evaluate)
        elif not evaluate:
            yield Outcome(value, path=path)
        elif function == "Ref":
            yield from self._reference(argument, path)
        elif function == "Fn::FindInMap":
            yield from self._mapping(argument, path)
        elif function is not None:
            yield Outcome(UNKNOWN, path=path)
        else:
            yield Outcome(value, path=path)

    def _lookup(self, value: Any, keys: tuple[str, ...], path: Path, evaluate: bool) -> Iterator[Outcome]:
        """``value[keys[0]]...``: a missing key is absent, what a function gives is unknown."""
        if value is None or (isinstance(value, dict) and not is_intrinsic(value) and keys[0] not in value):
            yield Outcome(ABSENT, path=(*path, *keys))
        elif isinstance(value, dict) and not is_intrinsic(value):
            yield from self._outcomes(value[keys[0]], keys[1:], (*path, keys[0]), evaluate=evaluate)
        else:
            yield Outcome(UNKNOWN, path=path)

    def _reference(self, name: Any, path: Path) -> Iterator[Outcome]:
        parameter = self._parameters.get(name) if isinstance(name, str) else None
        if not isinstance(parameter, dict):
            yield Outcome(UNKNOWN, path=path)  # a resource, a pseudo parameter
            return
        default = parameter.get("Default")
        allowed = parameter.get("AllowedValues")
        if default is not None:
            yield Outcome(default, f"by default ({name} defaults to {shown_value(default)})", path=path)
        for choice in allowed if isinstance(allowed, list) else []:
            yield Outcome(choice, f"when {name} is {shown_value(choice)}", default=False, path=path)
        if not isinstance(allowed, list):
            yield Outcome(UNKNOWN, f"when {name} is given another value", default=default is None, path=path)

    def _branches(self, argument: Any, keys: tuple[str, ...], path: Path, evaluate: bool) -> Iterator[Outcome]:
        if not (isinstance(argument, list) and len(argument) == 3 and argument[0] in self._conditions):
            yield Outcome(UNKNOWN, path=path)  # malformed, or a condition the template does not define
            return
        condition = argument[0]
        holds = self.condition_default(condition)
        for index, branch, taken in ((1, True, holds is not False), (2, False, holds is not True)):
            circumstance = f"when {condition} is {'true' if branch else 'false'}"
            for outcome in self._outcomes(argument[index], keys, (*path, index), evaluate=evaluate):
                when = _both(circumstance, outcome.when)
                default = taken and outcome.default and holds is not None
                yield Outcome(outcome.value, when, default=default, path=outcome.path)

    def _mapping(self, argument: Any, path: Path) -> Iterator[Outcome]:
        if not (isinstance(argument, list) and len(argument) >= 3 and isinstance(argument[0], str)):
            yield Outcome(UNKNOWN, path=path)
            return
        table = self._mappings.get(argument[0])
        if not isinstance(table, dict):
            yield Outcome(UNKNOWN, path=path)
            return
        for first in self._keys(argument[1], table):
            level = table.get(first)
            for second in self._keys(argument[2], level if isinstance(level, dict) else {}):
                found = level[second] if isinstance(level, dict) else None
                literal = not is_intrinsic(argument[1]) and not is_intrinsic(argument[2])
                when = "" if literal else f"for {argument[0]} {first}/{second}"
                yield Outcome(found, when, default=literal, path=path)

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


def shown_value(value: Any) -> str:
    """A literal as a template spells it: ``true``, ``null``, ``'Delete'``, ``7``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else repr(value)


def circumstances(outcomes: Sequence[Outcome]) -> str:
    """The unsafe outcomes of a value and when each happens, for a message ("false when
    HasKey is false (the default)"); "" when one of them happens on every deploy."""
    if any(not outcome.conditional for outcome in outcomes):
        return ""
    return "; ".join(outcome.described() for outcome in outcomes)


def _distinct(outcomes: Iterator[Outcome], *, by_place: bool) -> list[Outcome]:
    """Each value once (once per place, ``by_place``), as a default deploy gets it if one
    does; no more than MAX_OUTCOMES."""
    seen: list[Outcome] = []
    for outcome in islice(outcomes, MAX_OUTCOMES * 4):
        index = next((i for i, other in enumerate(seen) if _same(outcome.value, other.value)
                      and (not by_place or outcome.path == other.path)), None)
        if index is None:
            seen.append(outcome)
        elif outcome.default and not seen[index].default:
            seen[index] = outcome
    return seen[:MAX_OUTCOMES]


def _section(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    section = data.get(name)
    return section if isinstance(section, dict) else {}


def _same(left: Any, right: Any) -> bool:
    return type(left) is type(right) and left == right


def _both(circumstance: str, inner: str) -> str:
    """``when A is true`` and ``when B is false`` -> ``when A is true and B is false``."""
    if not inner:
        return circumstance
    return f"{circumstance} and {inner[len('when '):]}" if inner.startswith("when ") else f"{circumstance}, {inner}"
