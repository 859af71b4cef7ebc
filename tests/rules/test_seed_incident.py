"""The incident this product exists to prevent, end to end on the bundled example: a
financial-transactions stack whose database would be deleted with the stack, which lacks
its session table, and on which cfn-lint reports nothing."""

import json

import pytest

from app.analysis import analyse
from app.cfn_lint import lint
from app.core import yaml_source
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
    findings = [f for f in analyse(original, PROFILE)
                if f.resource == "AuroraDBCluster" and f.rule in ("CD1001", "CD1002")]
    assert [(f.rule, f.severity, f.line, f.column) for f in findings] == [
        ("CD1001", Severity.CRITICAL, 268, 7),
        ("CD1002", Severity.CRITICAL, 269, 7),
    ]
    lines = original.text.splitlines()
    assert lines[267].strip() == '"DeletionPolicy": "Delete",'
    assert lines[268].strip() == '"UpdateReplacePolicy": "Delete",'


def test_the_missing_session_table_is_critical_and_safely_fixed(original):
    (finding,) = [f for f in analyse(original, PROFILE) if f.rule == "CD6001"]
    assert finding.severity is Severity.CRITICAL and finding.fix.safety == "safe"


def test_one_fix_all_corrects_everything_cfn_lint_agrees(corrected):
    errors = [f for f in lint(corrected.text) if f.rule.startswith("E") or f.rule == "cfn-lint"]
    assert errors == []
    assert eligible(analyse(corrected, PROFILE)) == []


# The correction the incident report asks for, element by element.
REPORT, _, _ = yaml_source.load("""
SessionTable:
  Type: AWS::DynamoDB::Table
  DeletionPolicy: Retain
  UpdateReplacePolicy: Retain
  Properties:
    TableName: !Sub session-table-${EnvironmentSuffix}
    AttributeDefinitions:
      - {AttributeName: sessionId, AttributeType: S}
      - {AttributeName: userId, AttributeType: S}
    KeySchema:
      - {AttributeName: sessionId, KeyType: HASH}
    GlobalSecondaryIndexes:
      - IndexName: UserIdIndex
        KeySchema: [{AttributeName: userId, KeyType: HASH}]
        Projection: {ProjectionType: ALL}
    BillingMode: PAY_PER_REQUEST
    PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
    SSESpecification: {SSEEnabled: true}
    TimeToLiveSpecification: {AttributeName: ttl, Enabled: true}
    DeletionProtectionEnabled: true
    Tags:
      - {Key: Name, Value: !Sub 'session-table-${EnvironmentSuffix}'}
      - {Key: Environment, Value: !Ref EnvironmentName}
SessionTableAccess:
  PolicyName: SessionTableAccess
  PolicyDocument:
    Version: '2012-10-17'
    Statement:
      - Effect: Allow
        Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:Query]
        Resource: [!GetAtt SessionTable.Arn, !Sub '${SessionTable.Arn}/index/*']
Outputs:
  SessionTableName:
    Description: Name of the DynamoDB table for session management
    Value: !Ref SessionTable
    Export: {Name: !Sub '${AWS::StackName}-SessionTableName'}
  SessionTableArn:
    Description: ARN of the DynamoDB table for session management
    Value: !GetAtt SessionTable.Arn
    Export: {Name: !Sub '${AWS::StackName}-SessionTableArn'}
SessionTableWidget:
  type: metric
  width: 12
  height: 6
  properties:
    metrics:
      - [AWS/DynamoDB, ConsumedReadCapacityUnits, TableName, '${SessionTable}',
         {stat: Sum, label: SessionTable ConsumedReadCapacityUnits}]
      - [AWS/DynamoDB, ConsumedWriteCapacityUnits, TableName, '${SessionTable}',
         {stat: Sum, label: SessionTable ConsumedWriteCapacityUnits}]
      - [AWS/DynamoDB, ThrottledRequests, TableName, '${SessionTable}',
         {stat: Sum, label: SessionTable ThrottledRequests}]
    view: timeSeries
    region: '${AWS::Region}'
    title: Session Table (DynamoDB)
    period: 300
""", "report.yaml")


def test_the_database_survives_stack_deletion_and_replacement(corrected):
    cluster = corrected.data["Resources"]["AuroraDBCluster"]
    assert (cluster["DeletionPolicy"], cluster["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_the_session_table_is_the_reports(corrected):
    assert corrected.data["Resources"]["SessionTable"] == REPORT["SessionTable"]


def test_the_function_is_given_the_table_and_may_use_it_and_nothing_else_changes(original, corrected):
    def function(document):
        return document.data["Resources"]["TransactionProcessorFunction"]["Properties"]["Environment"]["Variables"]

    def role(document):
        return document.data["Resources"]["LambdaExecutionRole"]["Properties"]["Policies"]

    assert function(corrected) == {**function(original), "SESSION_TABLE": {"Ref": "SessionTable"}}
    assert role(corrected) == [*role(original), REPORT["SessionTableAccess"]]


def test_the_table_is_exported(original, corrected):
    assert corrected.data["Outputs"] == {**original.data["Outputs"], **REPORT["Outputs"]}


def test_the_dashboard_gains_the_tables_metrics_and_keeps_its_own(original, corrected):
    def widgets(document):
        body = document.data["Resources"]["TransactionDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
        return json.loads(body)["widgets"]

    assert widgets(corrected) == [*widgets(original), REPORT["SessionTableWidget"]]
