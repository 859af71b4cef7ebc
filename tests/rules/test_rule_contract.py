"""What every rule promises, checked on every corpus template: it reads the template and
never changes it, and it keeps no state between ``check()`` calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.analysis import analyse
from app.core.document import Document
from app.core.edits import copy_data, same_data
from resources import EXAMPLE
from rules import profiles
from rules.base import Rule, Violation
from rules.context import Context
from rules.registry import RULES
from tests.conftest import corpus_files, corpus_id

# financial-services runs every rule the default profile runs, and the session table's too.
PROFILES = [profiles.load("default"), profiles.load("financial-services")]


def run(rule: Rule[Any], data: dict[str, Any], profile: profiles.Profile) -> list[Violation[Any]]:
    """What a rule reports on ``data``, building every fix it offers on the way."""
    context = Context(data, profile)
    violations = list(rule.check(context))
    for violation in violations:
        rule.fix(context, violation)
    return violations


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_rules_never_change_the_template(path: Path) -> None:
    original = Document.open(str(path)).data
    for profile in PROFILES:
        for rule_class in RULES:
            data = copy_data(original)
            run(rule_class(), data, profile)
            assert same_data(data, original), f"{rule_class.id} changed the template"


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_analysis_leaves_the_document_unchanged(path: Path) -> None:
    document = Document.open(str(path))
    data, text = copy_data(document.data), document.text
    for profile in PROFILES:
        analyse(document, profile)
    assert same_data(document.data, data) and document.text == text


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    """A template that trips most rules: a rule that kept state would carry some over."""
    data: dict[str, Any] = Document.open(str(EXAMPLE)).data
    return data


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_a_rule_reused_on_another_template_reports_what_a_new_one_does(path: Path, example: dict[str, Any]) -> None:
    data = Document.open(str(path)).data
    profile = PROFILES[1]
    for rule_class in RULES:
        reused = rule_class()
        run(reused, example, profile)
        assert run(reused, data, profile) == run(rule_class(), data, profile), rule_class.id
        assert vars(reused) == {}, f"{rule_class.id} keeps state on the instance"
