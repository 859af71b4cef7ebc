"""The incident this product exists to prevent, end to end on the bundled example: a
financial-transactions stack whose database would be deleted with the stack, which lacks
its session table, and on which cfn-lint reports nothing."""

import json

import pytest

from app.analysis import analyse
from app.cfn_lint import lint
from app.core.document import Document
from app.core.findings import Severity
from app.fixing import eligible, fix_all
from resources import EXAMPLE
from rules import profiles

PROFILE = profiles.load("financial-services")


@pytest.fixture(scope="module")
def original():
    return Document.open(str(EXAMPLE))


@pytest.fixture(scope="module")
def corrected():
    document = Document.open(str(EXAMPLE))
    fix_all(document, PROFILE, analyse)
    return document


def test_cfn_lint_sees_nothing_wrong_with_the_original(original):
    assert [f for f in lint(original.text) if f.severity >= Severity.MEDIUM] == []


def test_delete_policies_are_critical_on_their_lines(original):
    findings = [f for f in analyse(original, PROFILE) if f.resource == "AuroraDBCluster" and f.rule in ("CD1001", "CD1002")]
    assert [(f.rule, f.severity, f.line, f.column) for f in findings] == [
        ("CD1001", Severity.CRITICAL, 268, 7),
        ("CD1002", Severity.CRITICAL, 269, 7),
    ]
    lines = original.text.splitlines()
    assert lines[267].strip() == '"DeletionPolicy": "Delete",' and lines[268].strip() == '"UpdateReplacePolicy": "Delete",'


def test_missing_session_table_fix_also_extends_the_dashboard(original):
    (finding,) = [f for f in analyse(original, PROFILE) if f.rule == "CD6001"]
    assert finding.severity is Severity.CRITICAL and finding.fix.safety == "safe"
    dashboard_edits = [e for e in finding.fix.edits if e.pointer == "/Resources/TransactionDashboard/Properties/DashboardBody"]
    (edit,) = dashboard_edits
    assert "AWS/DynamoDB" in edit.value["Fn::Sub"]


def test_one_fix_all_corrects_everything_cfn_lint_agrees(corrected):
    errors = [f for f in lint(corrected.text) if f.rule.startswith("E") or f.rule == "cfn-lint"]
    assert errors == []
    assert eligible(analyse(corrected, PROFILE)) == []


def test_corrected_template_has_every_element_of_the_report(corrected):
    resources = corrected.data["Resources"]
    cluster = resources["AuroraDBCluster"]
    assert (cluster["DeletionPolicy"], cluster["UpdateReplacePolicy"]) == ("Retain", "Retain")
    table = resources["SessionTable"]
    props = table["Properties"]
    assert table["UpdateReplacePolicy"] == "Retain"
    assert props["TableName"] == {"Fn::Sub": "session-table-${EnvironmentSuffix}"}
    assert props["AttributeDefinitions"] == [{"AttributeName": "sessionId", "AttributeType": "S"},
                                             {"AttributeName": "userId", "AttributeType": "S"}]
    assert props["KeySchema"] == [{"AttributeName": "sessionId", "KeyType": "HASH"}]
    assert props["GlobalSecondaryIndexes"] == [{"IndexName": "UserIdIndex", "KeySchema": [{"AttributeName": "userId", "KeyType": "HASH"}],
                                                "Projection": {"ProjectionType": "ALL"}}]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["Tags"] == [{"Key": "Name", "Value": {"Fn::Sub": "session-table-${EnvironmentSuffix}"}},
                             {"Key": "Environment", "Value": {"Ref": "EnvironmentName"}}]

    role = resources["LambdaExecutionRole"]["Properties"]
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    dynamodb = next(s for s in statements if any(a.startswith("dynamodb:") for a in s["Action"]))
    assert {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"} <= set(dynamodb["Action"])
    assert dynamodb["Resource"] == [{"Fn::GetAtt": ["SessionTable", "Arn"]}, {"Fn::Sub": "${SessionTable.Arn}/index/*"}]

    variables = resources["TransactionProcessorFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["SESSION_TABLE"] == {"Ref": "SessionTable"}
    assert variables["DB_ENDPOINT"] == {"Fn::GetAtt": ["AuroraDBCluster", "Endpoint.Address"]}

    outputs = corrected.data["Outputs"]
    assert outputs["SessionTableName"]["Value"] == {"Ref": "SessionTable"}
    assert outputs["SessionTableName"]["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-SessionTableName"}}
    assert outputs["SessionTableArn"]["Value"] == {"Fn::GetAtt": ["SessionTable", "Arn"]}
    assert outputs["SessionTableArn"]["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-SessionTableArn"}}

    body = json.loads(resources["TransactionDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"])
    metrics = [m for w in body["widgets"] for m in w["properties"]["metrics"]]
    assert {"ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits"} <= {m[1] for m in metrics if m[0] == "AWS/DynamoDB"}
    assert any(m[0] == "AWS/Lambda" for m in metrics) and any(m[0] == "AWS/RDS" for m in metrics)
