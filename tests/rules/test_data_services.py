"""Neptune and DocumentDB like Aurora (CD2001), and dashboards that need data services
only (CD5001)."""

import json

import pytest

from app.core.findings import Severity
from tests.rules.helpers import findings, fixed

NEPTUNE = """Resources:
  Graph:
    Type: AWS::Neptune::DBCluster
    Properties:
      DBClusterIdentifier: graph
      StorageEncrypted: {encrypted}
  GraphWriter:
    Type: AWS::Neptune::DBInstance
    Properties: {{DBClusterIdentifier: graph, DBInstanceClass: db.r5.large}}
"""


@pytest.mark.parametrize("encrypted", ["false", "'false'", "!Ref AWS::NoValue"])
def test_an_unencrypted_neptune_cluster_is_flagged_and_its_instance_is_not(encrypted):
    (finding,) = findings(NEPTUNE.format(encrypted=encrypted), "CD2001")
    assert (finding.resource, finding.severity) == ("Graph", Severity.HIGH)
    assert finding.fix.safety == "unsafe" and "replaces Graph" in finding.fix.note


def test_an_encrypted_neptune_cluster_passes_and_the_fix_encrypts():
    template = NEPTUNE.format(encrypted="false")
    assert fixed(template, "CD2001", unsafe=True).text == NEPTUNE.format(encrypted="true")


def test_a_documentdb_instance_is_a_member_of_its_cluster():
    template = """Resources:
  Docs:
    Type: AWS::DocDB::DBCluster
    Properties: {StorageEncrypted: true, DeletionProtection: true, BackupRetentionPeriod: 7}
  DocsWriter:
    Type: AWS::DocDB::DBInstance
    Properties: {DBClusterIdentifier: !Ref Docs, DBInstanceClass: db.r5.large}
"""
    for rule in ("CD1003", "CD1004", "CD2001"):
        assert findings(template, rule) == [], rule


DASHBOARD = """Resources:
  Helper:
    Type: AWS::Lambda::Function
  Settings:
    Type: Custom::Settings
    Properties: {{ServiceToken: !GetAtt Helper.Arn}}
  IPRetention:
    Type: {table_type}
  Writer:
    Type: AWS::RDS::DBInstance
    Properties: {{DBClusterIdentifier: !Ref Ledger, Engine: aurora-mysql}}
  Ledger:
    Type: AWS::RDS::DBCluster
  Board:
    Type: AWS::CloudWatch::Dashboard
    Properties:
      DashboardBody: {body}
"""
RDS_ONLY = json.dumps({"widgets": [{"type": "metric", "properties": {"metrics": [["AWS/RDS", "CPUUtilization"]]}}]})


@pytest.mark.parametrize("table_type", ["AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable",
                                        "AWS::DynamoDB::GlobalTable"])
def test_a_dashboard_needs_the_data_services_not_a_helper_function(table_type):
    """The wild case: a dashboard asked for Lambda widgets because of a custom resource's helper."""
    template = DASHBOARD.format(table_type=table_type, body=f"'{RDS_ONLY}'")
    (finding,) = findings(template, "CD5001")
    assert finding.message == ("Board shows no AWS/DynamoDB metrics, but the stack runs IPRetention: its errors and "
                               "throttling would go unseen")
    widgets = json.loads(fixed(template, "CD5001").data["Resources"]["Board"]["Properties"]["DashboardBody"]["Fn::Sub"])
    assert [widget["properties"]["metrics"][0][3] for widget in widgets["widgets"][1:]] == ["${IPRetention}"]


def test_an_aurora_instance_is_measured_by_its_cluster():
    template = DASHBOARD.format(table_type="AWS::DynamoDB::Table", body="'{\"widgets\": []}'")
    (rds,) = [f for f in findings(template, "CD5001") if "AWS/RDS" in f.message]
    assert "runs Ledger:" in rds.message
