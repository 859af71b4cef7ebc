"""CD1001/CD1002 rated by what the data is worth and what the template says, and the
settings every database and table needs (CD1003–CD1006)."""

import pytest

from app.core.findings import Severity
from tests.rules.helpers import document, findings, fixed

CLUSTER = """Resources:
  LedgerCluster:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: {policy}
    UpdateReplacePolicy: {policy}
    Properties:
      Engine: aurora-mysql
"""


@pytest.mark.parametrize(("rule", "line", "retained", "message"), [
    ("CD1001", 4, "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Delete\n",
     "LedgerCluster (AWS::RDS::DBCluster) has DeletionPolicy: Delete: deleting the stack deletes the database "
     "cluster and all its data (a system of record)"),
    ("CD1002", 5, "    DeletionPolicy: Delete\n    UpdateReplacePolicy: Retain\n",
     "LedgerCluster (AWS::RDS::DBCluster) has UpdateReplacePolicy: Delete: an update that replaces LedgerCluster "
     "deletes the old database cluster and its data (a system of record)"),
])
def test_delete_policy_on_a_database_is_critical_and_fixed_in_place(rule, line, retained, message):
    template = CLUSTER.format(policy="Delete")
    (finding,) = findings(template, rule)
    assert finding.severity is Severity.CRITICAL
    assert (finding.line, finding.column) == (line, 5)
    assert finding.resource == "LedgerCluster"
    assert finding.message == message
    assert [fix.title.split()[-1] for fix in finding.fixes] == ["Retain", "Snapshot"]
    assert all(fix.safety == "safe" for fix in finding.fixes)
    expected = template.replace("    DeletionPolicy: Delete\n    UpdateReplacePolicy: Delete\n", retained)
    assert fixed(template, rule).text == expected


@pytest.mark.parametrize("policy", ["Retain", "Snapshot", "RetainExceptOnCreate"])
@pytest.mark.parametrize("rule", ["CD1001", "CD1002"])
def test_safe_policies_pass(rule, policy):
    assert findings(CLUSTER.format(policy=policy), rule) == []


def test_missing_policy_on_a_table_is_high_and_fix_adds_retain():
    template = ("Resources:\n  Sessions:\n    Type: AWS::DynamoDB::Table\n"
                "    Properties: {BillingMode: PAY_PER_REQUEST}\n")
    (finding,) = findings(template, "CD1001")
    assert finding.severity is Severity.HIGH
    assert finding.message == (
        "Sessions (AWS::DynamoDB::Table) has no DeletionPolicy, so CloudFormation uses Delete "
        "(its default for a table): deleting the stack deletes the table and all its data (a system of record)")
    assert [fix.title for fix in finding.fixes] == ["Set DeletionPolicy to Retain"]  # tables cannot snapshot
    assert fixed(template, "CD1001").text == template + "    DeletionPolicy: Retain\n"


def test_delete_fix_keeps_comments():
    template = "# ledger\n" + CLUSTER.format(policy="Delete  # oops")
    expected = template.replace("DeletionPolicy: Delete  # oops", "DeletionPolicy: Retain  # oops")
    assert fixed(template, "CD1001").text == expected


# -- what CloudFormation does by default, per type -----------------------------------------

STANDALONE = """Resources:
  Reports:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: db.t4g.micro, Engine: postgres}
"""


def test_rds_without_deletion_policy_is_snapshotted_but_replaced_by_delete():
    (deletion,) = findings(STANDALONE, "CD1001")
    assert deletion.severity is Severity.LOW
    assert "has no DeletionPolicy, so CloudFormation snapshots it before deleting it" in deletion.message
    assert "survives only in that final snapshot" in deletion.message
    assert [fix.title for fix in deletion.fixes] == ["Set DeletionPolicy to Retain", "Set DeletionPolicy to Snapshot"]
    (replacement,) = findings(STANDALONE, "CD1002")
    assert replacement.severity is Severity.HIGH
    assert "has no UpdateReplacePolicy, so CloudFormation uses Delete (its default for every type)" in (
        replacement.message)


@pytest.mark.parametrize(("rule", "words"), [
    ("CD1001", "one that still holds data makes the stack deletion fail rather than lose it"),
    ("CD1002", "leaves the old one behind, outside the stack, while it holds data"),
])
def test_a_bucket_is_deleted_only_when_empty_so_at_most_medium(rule, words):
    template = "Resources:\n  Invoices:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Delete\n"
    (finding,) = findings(template, rule)
    assert finding.severity is Severity.MEDIUM and words in finding.message
    assert finding.fix is not None and finding.fix.safety == "safe"


def test_a_kms_key_is_deleted_after_its_waiting_period_and_never_replaced():
    template = ("Resources:\n  DataKey:\n    Type: AWS::KMS::Key\n"
                "    Properties: {KeyPolicy: {Version: '2012-10-17', Statement: []}}\n")
    (finding,) = findings(template, "CD1001")
    assert finding.severity is Severity.HIGH
    assert ("schedules the KMS key for deletion, and once the waiting period (30 days, the default) ends, "
            "everything encrypted with it can never be decrypted") in finding.message
    assert findings(template, "CD1002") == []  # an update that would replace a key fails instead


# -- what the data is worth -----------------------------------------------------------------

def test_transient_data_is_not_flagged_even_with_an_explicit_delete():
    """The wild case: a dead-letter queue and a log group with DeletionPolicy Delete."""
    template = """Resources:
  DeadLetters:
    Type: AWS::SQS::Queue
    DeletionPolicy: Delete
    UpdateReplacePolicy: Delete
  HandlerLogs:
    Type: AWS::Logs::LogGroup
    DeletionPolicy: Delete
  Events:
    Type: AWS::Kinesis::Stream
    Properties: {ShardCount: 1}
"""
    assert findings(template, "CD1001") == [] and findings(template, "CD1002") == []


NESTED = """Transform: AWS::Serverless-2016-10-31
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: https://example.com/network.yaml}
  Tables:
    Type: AWS::Serverless::Application
    Properties: {Location: ./tables.yaml}
"""


def test_nested_stacks_are_rebuildable_information_without_a_fix_and_never_replaced():
    found = findings(NESTED, "CD1001")
    assert [(f.resource, f.severity) for f in found] == [("Network", Severity.INFO), ("Tables", Severity.INFO)]
    assert all(f.fixes == () for f in found)
    assert "every resource in it that its own template does not retain" in found[1].message
    assert findings(NESTED, "CD1002") == []


WEBSITE = """Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties: {WebsiteConfiguration: {IndexDocument: index.html}}
  Artifacts:
    Type: AWS::S3::Bucket
  Scratch:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules: [{Id: DeleteAfter7Days, Prefix: '', Status: Enabled, ExpirationInDays: 7}]
  Archive:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules: [{Id: OldLogs, Prefix: logs/, Status: Enabled, ExpirationInDays: 7}]
      LoggingConfiguration: {DestinationBucketName: !Ref AccessLogs}
  AccessLogs:
    Type: AWS::S3::Bucket
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      ArtifactStore: {Type: S3, Location: !Ref Artifacts}
"""


def test_a_bucket_is_judged_by_what_it_holds():
    found = {f.resource: f for f in findings(WEBSITE, "CD1001")}
    assert {name: f.severity for name, f in found.items()} == {
        "Site": Severity.INFO, "Artifacts": Severity.INFO, "Archive": Severity.MEDIUM,
    }  # Scratch's objects all expire in 7 days, AccessLogs receives access logs: transient
    assert found["Site"].message.endswith("(rebuildable data: it serves a website published from elsewhere)")
    assert found["Artifacts"].message.endswith("(rebuildable data: CodePipeline's artifact store)")


def test_cluster_instances_are_information_pointing_at_their_clusters():
    """Aurora, DocumentDB and Neptune instances hold no data of their own."""
    template = """Resources:
  Docs:
    Type: AWS::DocDB::DBCluster
  DocsWriter:
    Type: AWS::DocDB::DBInstance
    Properties: {DBClusterIdentifier: !Ref Docs, DBInstanceClass: db.r5.large}
  Graph:
    Type: AWS::Neptune::DBCluster
  GraphWriter:
    Type: AWS::Neptune::DBInstance
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties: {DBClusterIdentifier: !Ref Graph, DBInstanceClass: db.r5.large}
  Aurora:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-postgresql}
  AuroraWriter:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Delete
    Properties: {DBClusterIdentifier: !Ref Aurora, Engine: aurora-postgresql, DBInstanceClass: db.r6g.large}
"""
    found = {f.resource: f for f in findings(template, "CD1001")}
    # no DeletionPolicy: DocumentDB and Neptune clusters are deleted, an RDS cluster is snapshotted
    assert {name: f.severity for name, f in found.items()} == {
        "Docs": Severity.HIGH, "DocsWriter": Severity.INFO, "Graph": Severity.HIGH, "Aurora": Severity.LOW,
        "AuroraWriter": Severity.INFO,
    }
    assert found["DocsWriter"].message == ("DocsWriter is an instance of the cluster Docs, which holds the data: its "
                                           "DeletionPolicy matters little; make sure Docs's is Retain or Snapshot")
    assert found["AuroraWriter"].fixes == ()  # retaining an instance would make its cluster's deletion fail
    assert sorted(f.resource for f in findings(template, "CD1002")) == ["Aurora", "AuroraWriter", "Docs",
                                                                       "DocsWriter", "Graph"]


def test_a_read_replica_is_rebuildable():
    template = STANDALONE + ("  Replica:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
                             "      {SourceDBInstanceIdentifier: !Ref Reports, DBInstanceClass: db.t4g.micro}\n")
    severities = {f.resource: f.severity for f in findings(template, "CD1002")}
    assert severities == {"Reports": Severity.HIGH, "Replica": Severity.INFO}


def test_a_sam_simple_table_is_a_table():
    template = """Transform: AWS::Serverless-2016-10-31
Resources:
  ItemTable:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: PK, Type: String}
"""
    (finding,) = findings(template, "CD1001")
    assert finding.severity is Severity.HIGH and finding.message.startswith(
        "ItemTable (AWS::Serverless::SimpleTable) has no DeletionPolicy") and "(a system of record)" in finding.message
    assert fixed(template, "CD1001").text == template + "    DeletionPolicy: Retain\n"


# -- policies from parameters and conditions ------------------------------------------------

PARAMETER = """Parameters:
  DeletionPolicyParameter:
    Type: String
    AllowedValues: [Delete, Retain]
    Default: Delete
Resources:
  Orders:
    DeletionPolicy: !Ref DeletionPolicyParameter
    Type: AWS::DynamoDB::Table
"""


def test_a_parameter_that_deletes_by_default_is_high_and_its_default_is_fixed():
    (finding,) = findings(PARAMETER, "CD1001")
    assert finding.severity is Severity.HIGH
    assert ("has DeletionPolicy 'Delete' by default (DeletionPolicyParameter defaults to 'Delete'): deleting the "
            "stack deletes the table") in finding.message
    (fix,) = finding.fixes
    assert (fix.title, fix.safety) == ("Make DeletionPolicyParameter default to Retain", "safe")
    doc = document(PARAMETER)
    doc.apply(fix.edits)
    assert doc.text == PARAMETER.replace("Default: Delete", "Default: Retain")
    (left,) = findings(doc.text, "CD1001")  # a deploy may still choose Delete: the template's choice
    assert left.severity is Severity.LOW and "'Delete' when DeletionPolicyParameter is 'Delete'" in left.message
    assert left.fixes == ()


def test_a_parameter_that_other_properties_use_is_not_changed():
    template = PARAMETER + "    Properties: {TableName: !Sub 'orders-${DeletionPolicyParameter}'}\n"
    (finding,) = findings(template, "CD1001")
    assert finding.severity is Severity.HIGH and finding.fixes == ()


CONDITIONAL = """Parameters:
  Env: {{Type: String, Default: {env}, AllowedValues: [dev, prod]}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Ledger:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: !If [IsProd, Snapshot, Delete]
    UpdateReplacePolicy: !If [IsProd, Snapshot, Delete]
    Properties: {{Engine: aurora-mysql}}
"""


def test_a_condition_that_deletes_in_a_default_deploy_is_fixed_in_its_branch():
    template = CONDITIONAL.format(env="dev")
    (finding,) = findings(template, "CD1001")
    assert finding.severity is Severity.HIGH
    assert "has DeletionPolicy 'Delete' when IsProd is false (the default)" in finding.message
    assert finding.fix.title == "Set DeletionPolicy to Retain where a default deploy takes Delete"
    expected = template.replace("DeletionPolicy: !If [IsProd, Snapshot, Delete]",
                                "DeletionPolicy: !If [IsProd, Snapshot, Retain]")
    result = document(template)
    result.apply(finding.fix.edits)
    assert result.text == expected and "!If" in result.text


def test_a_delete_that_only_some_deploys_choose_is_low_and_left_to_the_template():
    template = CONDITIONAL.format(env="prod")
    (finding,) = findings(template, "CD1001")
    assert finding.severity is Severity.LOW and "'Delete' when IsProd is false" in finding.message
    assert finding.fixes == ()


# -- profiles -------------------------------------------------------------------------------

def test_a_profile_rates_data_classes_and_reclassifies_types(tmp_path):
    profile = tmp_path / "strict.yaml"
    profile.write_text("data_classes:\n  transient: {explicit-delete: low}\n  record: {absent-snapshot: medium}\n"
                       "stateful_types:\n  AWS::Logs::LogGroup: {class: record}\n")
    template = ("Resources:\n  Dlq: {Type: AWS::SQS::Queue, DeletionPolicy: Delete}\n"
                "  Audit: {Type: AWS::Logs::LogGroup}\n" + STANDALONE.split("\n", 1)[1])
    severities = {f.resource: f.severity for f in findings(template, "CD1001", str(profile))}
    assert severities == {"Dlq": Severity.LOW, "Audit": Severity.HIGH, "Reports": Severity.MEDIUM}
    (audit,) = [f for f in findings(template, "CD1001", str(profile)) if f.resource == "Audit"]
    assert audit.message.endswith("deletes the log group and all its data (a system of record)")


def test_financial_services_wants_data_to_survive_stack_deletion():
    assert [f.severity for f in findings(STANDALONE, "CD1001", "financial-services")] == [Severity.MEDIUM]
    network, _ = findings(NESTED, "CD1001", "financial-services")
    assert network.severity is Severity.LOW and network.fix.title == "Set DeletionPolicy to Retain"


def test_a_resource_is_never_worth_more_than_its_type(tmp_path):
    profile = tmp_path / "scratch.yaml"
    profile.write_text("stateful_types:\n  AWS::S3::Bucket: {class: transient}\n")
    assert findings(WEBSITE, "CD1001", str(profile)) == []  # not even the website, rebuildable by itself


def test_a_profile_can_turn_a_state_off(tmp_path):
    profile = tmp_path / "lenient.yaml"
    profile.write_text("data_classes:\n  record: {absent-snapshot: off}\n")
    assert findings(STANDALONE, "CD1001", str(profile)) == []


@pytest.mark.parametrize(("rule", "attribute"), [("CD1001", "DeletionPolicy"), ("CD1002", "UpdateReplacePolicy")])
def test_stateless_resources_and_profile_added_types(tmp_path, rule, attribute):
    template = "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n  Ledger:\n    Type: Custom::Ledger\n"
    assert findings(template, rule) == []  # neither is stateful to the default profile
    profile = tmp_path / "ledger.yaml"
    profile.write_text("stateful_types:\n  Custom::Ledger: {kind: ledger}\n")
    (finding,) = findings(template, rule, str(profile))
    assert finding.resource == "Ledger" and "ledger and" in finding.message  # the kind the profile gave
    assert finding.severity is Severity.HIGH  # a type a profile adds is a system of record unless it says
    assert fixed(template, rule, str(profile)).text == template + f"    {attribute}: Retain\n"


# -- CD1003–CD1006 ---------------------------------------------------------------------------

def store(type_: str, props: str) -> str:
    return f"Resources:\n  Store:\n    Type: {type_}\n    DeletionPolicy: Retain\n    Properties:\n      {props}\n"


SETTINGS = [
    ("CD1003", "AWS::RDS::DBCluster", "DeletionProtection: false", "DeletionProtection: true"),
    ("CD1004", "AWS::RDS::DBCluster", "BackupRetentionPeriod: 1", "BackupRetentionPeriod: 7"),
    ("CD1005", "AWS::DynamoDB::Table", "BillingMode: PAY_PER_REQUEST",
     "BillingMode: PAY_PER_REQUEST\n      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true"),
    ("CD1006", "AWS::DynamoDB::Table", "BillingMode: PAY_PER_REQUEST",
     "BillingMode: PAY_PER_REQUEST\n      DeletionProtectionEnabled: true"),
    ("CD1005", "AWS::Serverless::SimpleTable", "PrimaryKey: {Name: id, Type: String}",
     "PrimaryKey: {Name: id, Type: String}\n      PointInTimeRecoverySpecification:\n"
     "        PointInTimeRecoveryEnabled: true"),
]


@pytest.mark.parametrize(("rule", "type_", "bad", "good"), SETTINGS)
def test_settings_fire_fix_and_pass(rule, type_, bad, good):
    (finding,) = findings(store(type_, bad), rule)
    assert finding.resource == "Store" and "Store" in finding.message
    assert finding.fix is not None and finding.fix.safety == "safe"
    assert fixed(store(type_, bad), rule).text == store(type_, good)
    assert findings(store(type_, good), rule) == []


def test_backup_retention_message_counts_days():
    template = "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: {Engine: postgres}\n"
    (finding,) = findings(template, "CD1004")
    assert "1 day:" in finding.message


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
    for rule in ("CD1003", "CD1004", "CD2001"):
        assert findings(template, rule) == [], rule
    assert [f.severity for f in findings(template, "CD1001")] == [Severity.INFO]
