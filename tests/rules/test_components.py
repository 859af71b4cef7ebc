import pytest

from tests.rules.helpers import findings, fixed

STACK = """Parameters:
  EnvironmentSuffix: {Type: String}
  EnvironmentName: {Type: String}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
"""


def test_session_table_is_required_only_by_the_profile():
    assert findings(STACK, "CD6001") == []
    (finding,) = findings(STACK, "CD6001", "financial-services")
    assert finding.resource is None and finding.pointer == "/Resources" and finding.line == 4


@pytest.mark.parametrize("table", [
    "  UserSessions: {Type: AWS::DynamoDB::Table}\n",
    "  T:\n    Type: AWS::DynamoDB::Table\n    Properties: {TableName: !Sub 'sessions-${AWS::StackName}'}\n",
    "  T:\n    Type: AWS::DynamoDB::Table\n    Properties: {KeySchema: [{AttributeName: sessionId, KeyType: HASH}]}\n",
])
def test_any_session_table_satisfies_the_requirement(table):
    assert findings(STACK + table, "CD6001", "financial-services") == []


def test_fix_adds_table_permissions_variable_and_exported_outputs():
    document = fixed(STACK, "CD6001", "financial-services")
    data = document.data
    table = data["Resources"]["SessionTable"]
    props = table["Properties"]
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert props["TableName"] == {"Fn::Sub": "session-table-${EnvironmentSuffix}"}
    assert props["KeySchema"] == [{"AttributeName": "sessionId", "KeyType": "HASH"}]
    assert props["GlobalSecondaryIndexes"][0]["IndexName"] == "UserIdIndex"
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["Tags"][1] == {"Key": "Environment", "Value": {"Ref": "EnvironmentName"}}
    statement = data["Resources"]["Role"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert statement["Resource"] == [{"Fn::GetAtt": ["SessionTable", "Arn"]}, {"Fn::Sub": "${SessionTable.Arn}/index/*"}]
    assert data["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]["SESSION_TABLE"] == {"Ref": "SessionTable"}
    assert data["Outputs"]["SessionTableName"]["Export"]["Name"] == {"Fn::Sub": "${AWS::StackName}-SessionTableName"}
    assert data["Outputs"]["SessionTableArn"]["Value"] == {"Fn::GetAtt": ["SessionTable", "Arn"]}
    # The new table passes the other rules it could trip.
    for rule in ("CD1001", "CD1002", "CD1005", "CD1006", "CD2002", "CD3001", "CD5003"):
        assert findings(document.text, rule, "financial-services") == [], rule


def test_session_fix_is_one_batch():
    (finding,) = findings(STACK, "CD6001", "financial-services")
    assert len(finding.fixes) == 1 and len(finding.fix.edits) >= 4
