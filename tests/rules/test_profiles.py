"""Profiles that extend one another: loops are located errors, and a chain that only
looks like a loop (two files of the same name in different folders) is none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import TemplateError
from app.core.findings import Severity
from rules import profiles
from rules.registry import RULE_IDS

Write = Callable[[str, str], Path]


def test_a_profile_that_extends_itself_is_a_located_error(write: Write) -> None:
    path = write("self.yaml", "# strict\nextends: self.yaml\n")
    with pytest.raises(TemplateError) as caught:
        profiles.load(str(path), RULE_IDS)
    assert (caught.value.path, caught.value.line) == (str(path), 2)
    assert caught.value.message == "profiles extend each other in a loop: self.yaml -> self.yaml"


def test_two_profiles_extending_each_other_are_a_located_error(write: Write) -> None:
    first = write("a.yaml", "extends: b.yaml\n")
    second = write("b.yaml", "rules:\n  CD1001: {enabled: false}\nextends: a.yaml\n")
    with pytest.raises(TemplateError) as caught:
        profiles.load(str(first), RULE_IDS)
    # The error is where the loop closes: b.yaml names a.yaml, which is being loaded.
    assert (caught.value.path, caught.value.line) == (str(second), 3)
    assert caught.value.message == "profiles extend each other in a loop: a.yaml -> b.yaml -> a.yaml"


def test_profiles_of_the_same_name_in_different_folders_are_no_loop(tmp_path: Path) -> None:
    files = {
        "team/strict.yaml": "extends: common.yaml\nrules:\n  CD1003: {severity: critical}\n",
        "team/common.yaml": "extends: ../org/base.yaml\nrules:\n  CD5002: {enabled: false}\n",
        "org/base.yaml": "extends: common.yaml\nrules:\n  CD5003: {enabled: false}\n",
        "org/common.yaml": "extends: financial-services\n",
    }
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(content)
    profile = profiles.load(str(tmp_path / "team/strict.yaml"), RULE_IDS)
    assert profile.disabled == {"CD5002", "CD5003"}
    assert profile.required == ("session-table",)
    assert profile.severities["CD1003"] is Severity.CRITICAL


@pytest.mark.parametrize(("content", "line", "words"), [
    ("extends: [a.yaml]\n", 1, "extends names a built-in profile or a profile file"),
    ("require: session-table\n", 1, "require lists components"),
])
def test_malformed_extends_and_require_are_located_errors(write: Write, content: str, line: int, words: str) -> None:
    path = write("p.yaml", content)
    with pytest.raises(TemplateError) as caught:
        profiles.load(str(path), RULE_IDS)
    assert caught.value.line == line and words in caught.value.message
