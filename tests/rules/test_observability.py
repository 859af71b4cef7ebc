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
LAMBDA_WIDGET = {"type": "metric", "properties": {"metrics": [["AWS/Lambda", "Errors"]], "region": "${AWS::Region}"}}
LAMBDA_ONLY = json.dumps({"widgets": [LAMBDA_WIDGET]})
SESSIONS_WIDGET = {"type": "metric", "width": 12, "height": 6, "properties": {"metrics": [
    ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", "${Sessions}",
     {"stat": "Sum", "label": "Sessions ConsumedReadCapacityUnits"}],
    ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", "${Sessions}",
     {"stat": "Sum", "label": "Sessions ConsumedWriteCapacityUnits"}],
    ["AWS/DynamoDB", "ThrottledRequests", "TableName", "${Sessions}",
     {"stat": "Sum", "label": "Sessions ThrottledRequests"}],
], "view": "timeSeries", "region": "${AWS::Region}", "title": "DynamoDB Metrics", "period": 300}}


def sub_body(widgets: list[object]) -> str:
    """A one-line dashboard body in an ``!Sub``, as compact as the fix writes it."""
    return "!Sub '" + json.dumps({"widgets": widgets}, separators=(",", ":")) + "'"


def test_dashboard_without_dynamodb_is_flagged_and_fixed_with_a_valid_body():
    template = DASHBOARD.format(body=f"!Sub '{LAMBDA_ONLY}'")
    (finding,) = findings(template, "CD5001")
    assert "shows no AWS/DynamoDB metrics" in finding.message and "Sessions" in finding.message
    assert finding.pointer == "/Resources/Board/Properties/DashboardBody"
    assert fixed(template, "CD5001").text == DASHBOARD.format(body=sub_body([LAMBDA_WIDGET, SESSIONS_WIDGET]))


def test_plain_string_body_becomes_a_sub_with_old_placeholders_escaped():
    template = DASHBOARD.format(body=f"'{LAMBDA_ONLY}'")
    literal = {**LAMBDA_WIDGET, "properties": {**LAMBDA_WIDGET["properties"], "region": "${!AWS::Region}"}}
    assert fixed(template, "CD5001").text == DASHBOARD.format(body=sub_body([literal, SESSIONS_WIDGET]))


RDS = """Resources:
  Ledger: {{Type: AWS::RDS::DBCluster}}
  Reports: {{Type: AWS::RDS::DBInstance, Properties: {{Engine: postgres}}}}
  Board:
    Type: AWS::CloudWatch::Dashboard
    Properties:
      DashboardBody: {body}
"""


def rds_widget(name: str, dimension: str) -> dict[str, object]:
    return {"type": "metric", "width": 12, "height": 6, "properties": {"metrics": [
        ["AWS/RDS", "CPUUtilization", dimension, f"${{{name}}}",
         {"stat": "Average", "label": f"{name} CPUUtilization"}],
        ["AWS/RDS", "DatabaseConnections", dimension, f"${{{name}}}",
         {"stat": "Average", "label": f"{name} DatabaseConnections"}],
    ], "view": "timeSeries", "region": "${AWS::Region}", "title": "RDS Metrics", "period": 300}}


def test_rds_clusters_and_instances_each_get_a_widget():
    template = RDS.format(body="'{\"widgets\": []}'")
    (finding,) = findings(template, "CD5001")
    assert "Ledger, Reports" in finding.message
    widgets = [rds_widget("Ledger", "DBClusterIdentifier"), rds_widget("Reports", "DBInstanceIdentifier")]
    assert fixed(template, "CD5001").text == RDS.format(body=sub_body(widgets))


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
    assert fixed(template, "CD5002", unsafe=True).text == template + "    Properties:\n      RetentionInDays: 365\n"


def test_data_store_export_adds_name_and_arn_outputs():
    template = "Resources:\n  Ledger:\n    Type: AWS::RDS::DBCluster\n"
    (finding,) = findings(template, "CD5003")
    assert finding.fix.safety == "safe"
    assert fixed(template, "CD5003").text == template + """Outputs:
  Ledger:
    Description: Name of Ledger
    Value: !Ref Ledger
    Export:
      Name: !Sub ${AWS::StackName}-Ledger
  LedgerArn:
    Description: ARN of Ledger
    Value: !GetAtt Ledger.DBClusterArn
    Export:
      Name: !Sub ${AWS::StackName}-LedgerArn
"""


def test_a_store_without_an_arn_attribute_exports_its_name():
    template = "Resources:\n  Graph:\n    Type: AWS::Neptune::DBCluster\n"
    (finding,) = findings(template, "CD5003")
    assert finding.fix.title == "Export Graph's name"
    assert fixed(template, "CD5003").text == template + """Outputs:
  Graph:
    Description: Name of Graph
    Value: !Ref Graph
    Export:
      Name: !Sub ${AWS::StackName}-Graph
"""


def test_an_export_of_a_store_whose_logical_id_is_not_alphanumeric_gets_valid_output_ids():
    template = "Resources:\n  Green_Bucket:\n    Type: AWS::S3::Bucket\n"
    outputs = fixed(template, "CD5003").data["Outputs"]
    assert list(outputs) == ["GreenBucket", "GreenBucketArn"]
    assert outputs["GreenBucket"]["Value"] == {"Ref": "Green_Bucket"}


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
