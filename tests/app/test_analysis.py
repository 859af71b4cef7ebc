"""The engine around the rules: suppressions, profiles, errors, cfn-lint."""

import pytest

from app import cfn_lint
from app.analysis import analyse
from app.core.document import Document
from app.core.errors import TemplateError
from app.core.findings import Severity
from rules import profiles
from rules.base import Rule
from rules.registry import BY_ID, RULE_IDS

TEMPLATE = """Resources:
  Db:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: Delete
    UpdateReplacePolicy: Retain
    Properties: {DeletionProtection: true, BackupRetentionPeriod: 7, StorageEncrypted: true}
Outputs:
  Db: {Value: !Ref Db, Export: {Name: db}}
"""


def rules_of(text, profile="default"):
    return sorted({f.rule for f in analyse(Document.from_text(text, "t.yaml"), profiles.load(profile))})


def without_cd1001(rules):
    return [rule for rule in rules if rule != "CD1001"]


def test_baseline():
    assert "CD1001" in rules_of(TEMPLATE)


def test_resource_metadata_suppresses_a_rule_for_that_resource():
    ignored = "    DeletionPolicy: Delete\n    Metadata: {cfn-doctor: {ignore: [CD1001]}}\n"
    text = TEMPLATE.replace("    DeletionPolicy: Delete\n", ignored)
    assert rules_of(text) == without_cd1001(rules_of(TEMPLATE))


def test_template_metadata_suppresses_everywhere():
    text = "Metadata:\n  cfn-doctor:\n    ignore: CD1001\n" + TEMPLATE
    assert rules_of(text) == without_cd1001(rules_of(TEMPLATE))


def test_user_profile_extends_disables_and_adds_types(tmp_path):
    (tmp_path / "strict.yaml").write_text(
        "extends: financial-services\nrules:\n  CD1001: {enabled: false}\n  CD5003: {severity: high}\n"
        "stateful_types:\n  Custom::Ledger: {kind: ledger}\n")
    profile = profiles.load(str(tmp_path / "strict.yaml"), RULE_IDS)
    assert not profile.enabled("CD1001") and profile.severity("CD5003", Severity.LOW) is Severity.HIGH
    assert profile.required == ("session-table",)
    text = "Resources:\n  L: {Type: Custom::Ledger}\n"
    found = {f.rule for f in analyse(Document.from_text(text, "t.yaml"), profile)}
    # The added type is checked as a ledger (CD1002), the base profile's requirement holds
    # (CD6001), and the disabled rule, which the ledger would break, stays silent.
    assert {"CD1002", "CD6001"} <= found and "CD1001" not in found


def test_profile_beside_the_template_is_found(tmp_path):
    (tmp_path / ".cfn-doctor.yaml").write_text("rules:\n  CD1001: {enabled: false}\n")
    template = tmp_path / "stack.yaml"
    template.write_text(TEMPLATE)
    assert not profiles.for_template(None, str(template)).enabled("CD1001")
    assert profiles.for_template("default", str(template)).enabled("CD1001")


@pytest.mark.parametrize(("content", "line", "words"), [
    ("rules:\n  CD9999: {enabled: false}\n", 2, "unknown rule 'CD9999'"),
    ("rules:\n  CD1001: {severity: scary}\n", 2, "unknown severity 'scary'"),
    ("colour: red\n", 1, "unknown profile key 'colour'"),
    ("require: [coffee]\n", 1, "unknown component 'coffee'"),
    ("extends: nowhere.yaml\n", 1, "cannot extend 'nowhere.yaml'"),
])
def test_bad_profile_is_a_located_error(tmp_path, content, line, words):
    path = tmp_path / "p.yaml"
    path.write_text(content)
    with pytest.raises(TemplateError) as caught:
        profiles.load(str(path), RULE_IDS)
    assert caught.value.line == line and words in caught.value.message


def test_a_crashing_rule_becomes_one_finding_and_the_rest_runs():
    class Broken(Rule):
        id, title, severity, docs_url = "CD9000", "broken", Severity.LOW, "x"

        def check(self, context):
            raise KeyError("boom")
            yield

    document = Document.from_text(TEMPLATE, "t.yaml")
    findings = analyse(document, profiles.load("default"), [Broken, BY_ID["CD1001"]])
    assert [f.rule for f in findings] == ["CD0001", "CD1001"]
    assert "CD9000 failed" in findings[0].message


def test_cfn_lint_findings_and_superseded_rules():
    text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {Nope: 1}\n"
    findings = cfn_lint.lint(text)
    assert any(f.rule == "E3002" and f.line == 4 and f.source == "cfn-lint" and f.resource == "B" for f in findings)
    assert not any(f.rule in ("I3011", "W3011") for f in findings)


def test_cfn_lint_crash_is_one_finding(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("internal")

    monkeypatch.setattr(cfn_lint, "_run", explode)
    (finding,) = cfn_lint.lint("Resources: {}\n")
    assert finding.rule == "cfn-lint" and "RuntimeError: internal" in finding.message
