import pytest

from app.core.findings import Severity
from tests.rules.helpers import findings, fixed

CLUSTER = """Resources:
  LedgerCluster:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: {policy}
    UpdateReplacePolicy: {policy}
    Properties:
      Engine: aurora-mysql
"""


@pytest.mark.parametrize(("rule", "line", "retained"), [
    ("CD1001", 4, "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Delete\n"),
    ("CD1002", 5, "    DeletionPolicy: Delete\n    UpdateReplacePolicy: Retain\n"),
])
def test_delete_policy_on_a_database_is_critical_and_fixed_in_place(rule, line, retained):
    template = CLUSTER.format(policy="Delete")
    (finding,) = findings(template, rule)
    assert finding.severity is Severity.CRITICAL
    assert (finding.line, finding.column) == (line, 5)
    assert finding.resource == "LedgerCluster"
    assert "LedgerCluster" in finding.message and "Delete" in finding.message
    assert [fix.title.split()[-1] for fix in finding.fixes] == ["Retain", "Snapshot"]
    assert all(fix.safety == "safe" for fix in finding.fixes)
    expected = template.replace("    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n", retained)
    assert fixed(template, rule).text == expected


@pytest.mark.parametrize("policy", ["Retain", "Snapshot", "RetainExceptOnCreate", "!If [IsProd, Retain, Delete]"])
@pytest.mark.parametrize("rule", ["CD1001", "CD1002"])
def test_safe_or_undecidable_policies_pass(rule, policy):
    assert findings("Conditions: {IsProd: !Equals [a, a]}\n" + CLUSTER.format(policy=policy), rule) == []


def test_missing_policy_is_high_and_fix_adds_retain():
    template = ("Resources:\n  Sessions:\n    Type: AWS::DynamoDB::Table\n"
                "    Properties: {BillingMode: PAY_PER_REQUEST}\n")
    (finding,) = findings(template, "CD1001")
    assert finding.severity is Severity.HIGH
    assert "no DeletionPolicy" in finding.message
    assert [fix.title for fix in finding.fixes] == ["Set DeletionPolicy to Retain"]  # tables cannot snapshot
    assert fixed(template, "CD1001").text == template + "    DeletionPolicy: Retain\n"


def test_delete_fix_keeps_comments():
    template = "# ledger\n" + CLUSTER.format(policy="Delete  # oops")
    expected = template.replace("DeletionPolicy: Delete  # oops", "DeletionPolicy: Retain  # oops")
    assert fixed(template, "CD1001").text == expected


def test_aurora_member_instance_is_info_at_most():
    template = """Resources:
  Cluster: {Type: AWS::RDS::DBCluster, DeletionPolicy: Retain, UpdateReplacePolicy: Retain}
  Writer:
    Type: AWS::RDS::DBInstance
    Properties: {DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.serverless}
  Standalone:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: db.t4g.micro, Engine: postgres}
"""
    severities = {f.resource: f.severity for f in findings(template, "CD1001")}
    assert severities == {"Writer": Severity.INFO, "Standalone": Severity.HIGH}


@pytest.mark.parametrize(("rule", "attribute"), [("CD1001", "DeletionPolicy"), ("CD1002", "UpdateReplacePolicy")])
def test_stateless_resources_and_profile_added_types(tmp_path, rule, attribute):
    template = "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n  Ledger:\n    Type: Custom::Ledger\n"
    assert findings(template, rule) == []  # neither is stateful to the default profile
    profile = tmp_path / "ledger.yaml"
    profile.write_text("stateful_types:\n  Custom::Ledger: {kind: ledger}\n")
    (finding,) = findings(template, rule, str(profile))
    assert finding.resource == "Ledger" and "ledger and" in finding.message  # the kind the profile gave
    assert fixed(template, rule, str(profile)).text == template + f"    {attribute}: Retain\n"


def store(type_: str, props: str) -> str:
    return f"Resources:\n  Store:\n    Type: {type_}\n    DeletionPolicy: Retain\n    Properties:\n      {props}\n"


SETTINGS = [
    ("CD1003", "AWS::RDS::DBCluster", "DeletionProtection: false", "DeletionProtection: true"),
    ("CD1004", "AWS::RDS::DBCluster", "BackupRetentionPeriod: 1", "BackupRetentionPeriod: 7"),
    ("CD1005", "AWS::DynamoDB::Table", "BillingMode: PAY_PER_REQUEST",
     "BillingMode: PAY_PER_REQUEST\n      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true"),
    ("CD1006", "AWS::DynamoDB::Table", "BillingMode: PAY_PER_REQUEST",
     "BillingMode: PAY_PER_REQUEST\n      DeletionProtectionEnabled: true"),
]


@pytest.mark.parametrize(("rule", "type_", "bad", "good"), SETTINGS)
def test_settings_fire_fix_and_pass(rule, type_, bad, good):
    (finding,) = findings(store(type_, bad), rule)
    assert finding.resource == "Store" and "Store" in finding.message
    assert finding.fix is not None and finding.fix.safety == "safe"
    assert fixed(store(type_, bad), rule).text == store(type_, good)
    assert findings(store(type_, good), rule) == []


def test_backup_retention_message_counts_days_and_undecidable_passes():
    template = "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: {Engine: postgres}\n"
    (finding,) = findings(template, "CD1004")
    assert "1 day:" in finding.message
    conditional = ("Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
                   "    Properties: {BackupRetentionPeriod: !If [P, 14, 1]}\n")
    assert findings(conditional, "CD1004") == []


def test_pitr_fix_adds_the_whole_specification():
    template = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"
    assert fixed(template, "CD1005").text == template + (
        "    Properties:\n      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n")


def test_profile_raises_severity():
    template = "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n"
    (default,) = findings(template, "CD1003")
    (strict,) = findings(template, "CD1003", "financial-services")
    assert (default.severity, strict.severity) == (Severity.MEDIUM, Severity.HIGH)


def test_conditional_properties_are_left_alone():
    template = ("Conditions: {C: !Equals [a, a]}\nResources:\n  Db:\n    Type: AWS::RDS::DBCluster\n"
                "    Properties: !If [C, {Engine: aurora-mysql}, !Ref AWS::NoValue]\n")
    for rule in ("CD1003", "CD1004", "CD2001"):
        assert findings(template, rule) == [], rule


def test_aurora_engine_instance_belongs_to_its_cluster():
    template = ("Resources:\n  W:\n    Type: AWS::RDS::DBInstance\n"
                "    Properties: {Engine: aurora-mysql, DBInstanceClass: db.r6g.large}\n")
    assert findings(template, "CD1003") == [] and findings(template, "CD1004") == []
    assert findings(template, "CD1001")[0].severity is Severity.INFO
