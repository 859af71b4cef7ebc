"""The rule API as the engine uses it: the payload ``check()`` puts in a violation is what
``fix()`` gets back, and a fix that cannot be built still leaves the finding."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.analysis import analyse
from app.core.edits import Add
from app.core.findings import Fix, Severity
from rules import profiles
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from tests.rules.helpers import document

TEMPLATE = "Resources:\n  Queue: {Type: AWS::SQS::Queue}\n  Topic: {Type: AWS::SNS::Topic}\n"


@dataclass(frozen=True)
class Untagged:
    name: str
    tag: str


class TagEverything(Rule[Untagged]):
    id, title, severity, docs_url = "CD9001", "untagged", Severity.LOW, "https://example.com"

    def check(self, context: Context) -> Iterator[Violation[Untagged]]:
        for name, _body in context.resources.items():
            yield Violation(tpl.resource_pointer(name), f"{name} has no tags", name, data=Untagged(name, f"{name}-tag"))

    def fix(self, context: Context, violation: Violation[Untagged]) -> list[Fix]:
        pointer = tpl.resource_pointer(violation.data.name, "Properties")
        return [Fix("Tag it", (Add(pointer, {"Tags": [{"Key": "Name", "Value": violation.data.tag}]}),))]


class BrokenFix(TagEverything):
    id = "CD9002"

    def fix(self, context: Context, violation: Violation[Untagged]) -> list[Fix]:
        raise KeyError(violation.data.name)


def test_fix_gets_the_payload_check_gave_each_violation() -> None:
    findings = analyse(document(TEMPLATE), profiles.load("default"), [TagEverything])
    assert [(f.resource, f.line) for f in findings] == [("Queue", 2), ("Topic", 3)]
    assert [f.fix.edits for f in findings if f.fix] == [
        (Add("/Resources/Queue/Properties", {"Tags": [{"Key": "Name", "Value": "Queue-tag"}]}),),
        (Add("/Resources/Topic/Properties", {"Tags": [{"Key": "Name", "Value": "Topic-tag"}]}),),
    ]


def test_a_fix_that_fails_to_build_still_leaves_the_finding() -> None:
    findings = analyse(document(TEMPLATE), profiles.load("default"), [BrokenFix])
    assert [(f.rule, f.resource, f.fixes) for f in findings] == [("CD9002", "Queue", ()), ("CD9002", "Topic", ())]


def test_a_rule_without_fix_says_so_and_one_with_fix_too() -> None:
    class NoFix(Rule[None]):
        id, title, severity, docs_url = "CD9003", "no fix", Severity.LOW, "https://example.com"

    assert TagEverything.can_fix() and not NoFix.can_fix()
