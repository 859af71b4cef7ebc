import json

from app.analysis import analyse
from app.fixing import fix_all
from rules import profiles
from tests.rules.helpers import document, findings, fixed

DASHBOARD = """Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
  Handler:
    Type: AWS::Lambda::Function
  Board:
    Type: AWS::CloudWatch::Dashboard
    Properties:
      DashboardBody: {body}
"""
LAMBDA_ONLY = json.dumps({"widgets": [{"type": "metric", "properties": {"metrics": [["AWS/Lambda", "Errors"]], "region": "${AWS::Region}"}}]})


def test_dashboard_without_dynamodb_is_flagged_and_fixed_with_a_valid_body():
    template = DASHBOARD.format(body=f"!Sub '{LAMBDA_ONLY}'")
    (finding,) = findings(template, "CD5001")
    assert "shows no AWS/DynamoDB metrics" in finding.message and "Sessions" in finding.message
    assert finding.pointer == "/Resources/Board/Properties/DashboardBody"
    document = fixed(template, "CD5001")
    body = json.loads(document.data["Resources"]["Board"]["Properties"]["DashboardBody"]["Fn::Sub"])
    assert body["widgets"][0]["properties"]["metrics"] == [["AWS/Lambda", "Errors"]]
    added = body["widgets"][1]["properties"]
    assert added["metrics"][0][:4] == ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", "${Sessions}"]


def test_plain_string_body_becomes_a_sub_with_old_placeholders_escaped():
    template = DASHBOARD.format(body=f"'{LAMBDA_ONLY}'")
    document = fixed(template, "CD5001")
    body = document.data["Resources"]["Board"]["Properties"]["DashboardBody"]["Fn::Sub"]
    assert "${!AWS::Region}" in body and "${Sessions}" in body


def test_join_bodies_are_reported_without_a_fix():
    template = DASHBOARD.format(body=f"!Join ['', ['{LAMBDA_ONLY}']]")
    (finding,) = findings(template, "CD5001")
    assert finding.fix is None


def test_no_dashboard_no_finding():
    assert findings("Resources:\n  T: {Type: AWS::DynamoDB::Table}\n", "CD5001") == []


def test_log_group_retention_fix_is_unsafe():
    template = "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n"
    (finding,) = findings(template, "CD5002")
    assert finding.fix.safety == "unsafe" and "older than 365 days are deleted" in finding.fix.note
    assert fixed(template, "CD5002", unsafe=True).data["Resources"]["Logs"]["Properties"]["RetentionInDays"] == 365


def test_data_store_export_adds_name_and_arn_outputs():
    template = "Resources:\n  Ledger:\n    Type: AWS::RDS::DBCluster\n"
    (finding,) = findings(template, "CD5003")
    assert finding.fix.safety == "safe"
    outputs = fixed(template, "CD5003").data["Outputs"]
    assert outputs == {
        "Ledger": {"Description": "Name of Ledger", "Value": {"Ref": "Ledger"},
                   "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-Ledger"}}},
        "LedgerArn": {"Description": "ARN of Ledger", "Value": {"Fn::GetAtt": ["Ledger", "DBClusterArn"]},
                      "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-LedgerArn"}}},
    }


def test_exported_store_passes_and_unexported_output_does_not_count():
    exported = ("Resources:\n  T: {Type: AWS::DynamoDB::Table}\nOutputs:\n"
                "  X: {Value: !GetAtt T.Arn, Export: {Name: x}}\n")
    assert findings(exported, "CD5003") == []
    assert len(findings(exported.replace(", Export: {Name: x}", ""), "CD5003")) == 1


def test_exports_stop_at_the_output_limit():
    tables = "".join(f"  T{i}: {{Type: AWS::DynamoDB::Table}}\n" for i in range(120))
    doc = document("Resources:\n" + tables)
    fix_all(doc, profiles.load("default"), analyse, rules={"CD5003"})
    assert len(doc.data["Outputs"]) <= 198
    remaining = findings(doc.text, "CD5003")
    assert remaining and all("200-output limit" in f.message and f.fix is None for f in remaining)
