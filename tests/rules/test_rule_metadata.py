"""Every rule documents itself: the reference in docs/rules.md is generated from this."""

from pathlib import Path

import pytest

from app.rule_docs import markdown
from rules.registry import RULES

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Fix", "## References")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_metadata_and_docstring_sections(rule):
    assert rule.id.startswith("CD") and rule.id[2:].isdigit()
    assert rule.title and rule.docs_url.startswith("https://")
    text = rule.documentation()
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert rule.rationale()


def test_ids_are_unique():
    assert len({rule.id for rule in RULES}) == len(RULES)


def test_generated_reference_is_current():
    reference = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert reference.read_text() == markdown(), "run: cfn-doctor rules --markdown > docs/rules.md"
