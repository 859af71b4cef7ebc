"""A common kind of rule: a resource property must be set to a safe value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from app.core import pointer as jp
from app.core.findings import Fix
from app.core.intrinsics import is_intrinsic
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context


class RequiredSetting(Rule[str]):
    """Base class; subclasses document themselves.  A violation's payload is the logical
    id of the resource to set the property on."""

    types: ClassVar[tuple[str, ...]]
    path: ClassVar[tuple[str, ...]]
    wanted: ClassVar[Any] = True
    fix_title: ClassVar[str]

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        return True

    def satisfied(self, value: Any) -> bool | tpl.Unknown:
        """True, False, or tpl.UNKNOWN when only a deployment can tell."""
        flag = tpl.literal_bool(value)
        return flag if flag is tpl.UNKNOWN else flag is True

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        raise NotImplementedError

    def check(self, context: Context) -> Iterator[Violation[str]]:
        for name, body in context.of_type(*self.types):
            if is_intrinsic(body.get("Properties")) or not self.applies(context, name, body):
                continue
            value = tpl.get_path(tpl.properties(body), *self.path)
            if value is not None and self.satisfied(value) is not False:
                continue
            yield Violation(self._pointer(name, body), self.message(context, name, body, value), name, data=name)

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        name = violation.data
        edits = tpl.set_nested(tpl.resource_pointer(name), context.resources[name], self.path, self.wanted)
        return [Fix(self.fix_title, tuple(edits))] if edits else []

    def _pointer(self, name: str, body: dict[str, Any]) -> str:
        """The deepest part of the setting's path that the template has."""
        pointer = tpl.resource_pointer(name)
        node: Any = body
        for key in ("Properties", *self.path):
            if not isinstance(node, dict) or key not in node:
                break
            pointer = jp.child(pointer, key)
            node = node[key]
        return pointer
