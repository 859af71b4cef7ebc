"""The engine around the rules: suppressions, profiles, errors, cfn-lint."""

from dataclasses import replace

import pytest

from app import cfn_lint
from app.analysis import analyse, analyse_all, merge_same_problems
from app.core.document import Document
from app.core.errors import TemplateError
from app.core.findings import Finding, Severity
from app.suppressions import suppress_edits
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


PASSWORDS = """Parameters:
  Secret: {Type: String}
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      Engine: aurora-mysql
      MasterUsername: admin
      MasterUserPassword: !Ref Secret
  Legacy:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      Engine: mysql
      DBInstanceClass: db.t3.micro
      AllocatedStorage: '20'
      MasterUsername: admin
      MasterUserPassword: hunter22
"""


def lint_finding(rule, pointer, severity=Severity.MEDIUM):
    return Finding(rule, rule, severity, f"{rule} says so", pointer, source="cfn-lint", line=1, column=1)


def test_a_problem_that_cfn_lint_reports_too_is_shown_once_naming_both():
    ours = Finding("CD2005", "password", Severity.HIGH, "Db's MasterUserPassword is plaintext",
                   "/Resources/Db/Properties/MasterUserPassword", "Db")
    data = Document.from_text(PASSWORDS, "t.yaml").data
    same_place = lint_finding("W2501", "/Resources/Db/Properties/MasterUserPassword")
    its_parameter = lint_finding("W2501", "/Parameters/Secret")
    elsewhere = lint_finding("W2501", "/Resources/Legacy/Properties/MasterUserPassword")
    unrelated = lint_finding("E3002", "/Resources/Db/Properties/MasterUserPassword", Severity.CRITICAL)
    merged = merge_same_problems(data, [ours], [same_place, its_parameter, elsewhere, unrelated])
    assert merged == [
        replace(ours, message="Db's MasterUserPassword is plaintext (cfn-lint W2501 reports the same)"),
        elsewhere, unrelated,  # another resource's password, and another problem, stay cfn-lint's
    ]


def test_the_worse_severity_of_the_two_is_kept():
    ours = Finding("CD2005", "password", Severity.LOW, "plaintext", "/Resources/Db/Properties/MasterUserPassword")
    (merged,) = merge_same_problems({}, [ours], [lint_finding("W2501", ours.pointer, Severity.MEDIUM)])
    assert merged.severity is Severity.MEDIUM


def test_check_reports_a_plaintext_password_once_per_place():
    found = analyse_all(Document.from_text(PASSWORDS, "t.yaml"), profiles.load("default"))
    passwords = [f for f in found if f.rule in ("CD2005", "W2501", "W1011")]
    assert [(f.rule, f.resource) for f in passwords] == [("CD2005", "Db"), ("CD2005", "Legacy")]
    assert passwords[0].message.endswith("(cfn-lint W1011 and W2501 report the same)")
    assert passwords[1].message.endswith("(cfn-lint W2501 reports the same)")


def test_a_finding_on_a_loop_made_resource_is_suppressed_in_the_loop_body():
    template = """Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Tables:
    - Name
    - [Orders, Refunds]
    - ${Name}Table:
        Type: AWS::DynamoDB::Table
        Properties:
          KeySchema: [{AttributeName: id, KeyType: HASH}]
          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
          BillingMode: PAY_PER_REQUEST
"""
    document = Document.from_text(template, "t.yaml")
    finding = next(f for f in analyse(document, profiles.load("default")) if f.rule == "CD1005")
    document.apply(suppress_edits(document.data, finding.rule, finding.resource, finding.pointer))
    assert "CD1005" in str(document.data["Resources"]["Fn::ForEach::Tables"][2]["${Name}Table"]["Metadata"])
    assert not [f for f in analyse(document, profiles.load("default")) if f.rule == "CD1005"]
