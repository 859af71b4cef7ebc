"""RuleTester-style helpers: findings of one rule, and the template after its fix."""

from __future__ import annotations

from app.analysis import analyse
from app.core.document import Document
from app.core.findings import Finding
from app.fixing import fix_all
from rules import profiles
from rules.registry import BY_ID


def document(yaml_text: str) -> Document:
    return Document.from_text(yaml_text, "template.yaml")


def findings(yaml_text: str, rule_id: str, profile: str = "default") -> list[Finding]:
    return analyse(document(yaml_text), profiles.load(profile), [BY_ID[rule_id]])


def fixed(yaml_text: str, rule_id: str, profile: str = "default", *, unsafe: bool = False) -> Document:
    """The template after every fix of ``rule_id``; asserts that fixing leaves nothing of
    the rule, and that a second round changes nothing (fixes are idempotent)."""
    doc = document(yaml_text)
    chosen = profiles.load(profile)
    report = fix_all(doc, chosen, analyse, rules={rule_id}, unsafe=unsafe)
    assert report.applied, "the rule offered no applicable fix"
    assert findings(doc.text, rule_id, profile) == [], "the fix left findings of its own rule"
    text = doc.text
    assert not fix_all(doc, chosen, analyse, rules={rule_id}, unsafe=unsafe).applied
    assert doc.text == text
    return doc
