"""Every real template of the corpus: `fix` produces a template that loads, adds no
cfn-lint error, leaves no safely fixable finding, and no rule raises on the way."""

from collections import Counter

import pytest

from app.analysis import ENGINE_ERROR, analyse
from app.cfn_lint import lint
from app.core.document import Document
from app.fixing import eligible, fix_all
from rules import profiles
from tests.conftest import corpus_files, corpus_id

PROFILE = profiles.load("default")


def errors(text: str) -> Counter[str]:
    return Counter(f.rule for f in lint(text) if f.rule.startswith("E") or f.rule == "cfn-lint")


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_fix_is_clean(path):
    document = Document.open(str(path))
    before = document.text
    assert not [f for f in analyse(document, PROFILE) if f.rule == ENGINE_ERROR]
    report = fix_all(document, PROFILE, analyse)
    after = Document.from_text(document.text, path.name)
    assert after.data == document.data and document.warnings == []
    remaining = analyse(after, PROFILE)
    assert not [f for f in remaining if f.rule == ENGINE_ERROR]
    assert eligible(remaining) == []
    if report.applied:
        now = errors(document.text)
        added = now - errors(before) if now else Counter()
        assert not added, f"fixing added cfn-lint errors {dict(added)}"
