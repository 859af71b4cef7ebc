"""Profiles that extend one another: loops are located errors, and a chain that only
looks like a loop (two files of the same name in different folders) is none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import TemplateError
from app.core.findings import Severity
from rules import profiles
from rules.catalog import DataClass, OnDelete, PolicyState
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


@pytest.mark.parametrize(("content", "line", "words"), [
    ("data_classes:\n  gold: {absent: high}\n", 2, "unknown data class 'gold' (known: record, rebuildable, transient)"),
    ("data_classes:\n  record:\n    forgotten: high\n", 3, "unknown policy state 'forgotten'"),
    ("data_classes:\n  record: {absent: scary}\n", 2, "unknown severity 'scary' (choose from info, low, medium, "
                                                       "high, critical) or off"),
    ("data_classes: [record]\n", 1, "data_classes maps record, rebuildable and transient"),
    ("stateful_types:\n  AWS::SQS::Queue: {class: precious}\n", 2,
     "class must be one of record, rebuildable, transient, not 'precious'"),
    ("stateful_types:\n  Custom::Ledger: {kind: ledger, colour: red}\n", 2, "unknown key 'colour'"),
    ("stateful_types:\n  Custom::Ledger: ledger\n", 2, "a stateful type is a mapping such as {kind: ledger}"),
])
def test_malformed_data_classes_and_stateful_types_are_located_errors(write: Write, content: str, line: int,
                                                                      words: str) -> None:
    path = write("p.yaml", content)
    with pytest.raises(TemplateError) as caught:
        profiles.load(str(path), RULE_IDS)
    assert caught.value.line == line and words in caught.value.message


def test_data_class_severities_extend_like_rules(write: Write) -> None:
    write("base.yaml", "data_classes:\n  transient: {explicit-delete: low}\n")
    path = write("team.yaml", "extends: base.yaml\ndata_classes:\n  record: {absent-snapshot: off}\n")
    table = profiles.load(str(path), RULE_IDS).data_classes
    assert table[DataClass.TRANSIENT][PolicyState.EXPLICIT_DELETE] is Severity.LOW
    assert table[DataClass.RECORD][PolicyState.ABSENT_SNAPSHOT] is None
    assert table[DataClass.RECORD][PolicyState.EXPLICIT_DELETE] is Severity.CRITICAL  # the default's, kept


def test_a_profile_changes_a_known_type_keeping_the_rest_of_its_entry(write: Write) -> None:
    path = write("p.yaml", "stateful_types:\n  AWS::RDS::DBCluster: {class: rebuildable}\n")
    cluster = profiles.load(str(path), RULE_IDS).stateful_types["AWS::RDS::DBCluster"]
    assert (cluster.kind, cluster.data_class, cluster.snapshot, cluster.deletion_default) == (
        "database cluster", DataClass.REBUILDABLE, True, "Snapshot")
    assert profiles.load("default").stateful_types["AWS::RDS::DBCluster"].data_class is DataClass.RECORD


def test_a_type_the_service_deletes_only_when_empty_is_capped() -> None:
    profile = profiles.load("default")
    bucket = profile.stateful_types["AWS::S3::Bucket"]
    assert profile.policy_rating(DataClass.RECORD, PolicyState.EXPLICIT_DELETE, bucket.on_delete) is Severity.MEDIUM
    assert profile.policy_rating(DataClass.RECORD, PolicyState.DELETE_IN_SOME_DEPLOYS, bucket.on_delete) is (
        Severity.LOW)
    assert profile.policy_rating(DataClass.RECORD, PolicyState.EXPLICIT_DELETE, OnDelete.DESTROYED) is (
        Severity.CRITICAL)
