import pytest

from app.analysis import analyse
from rules import profiles
from tests.rules.helpers import document, findings, fixed

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


FIXED_STACK = """Parameters:
  EnvironmentSuffix: {Type: String}
  EnvironmentName: {Type: String}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: SessionTableAccess
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
                  - dynamodb:GetItem
                  - dynamodb:PutItem
                  - dynamodb:UpdateItem
                  - dynamodb:DeleteItem
                  - dynamodb:Query
                Resource:
                  - !GetAtt SessionTable.Arn
                  - !Sub ${SessionTable.Arn}/index/*
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      Environment:
        Variables:
          SESSION_TABLE: !Ref SessionTable
  SessionTable:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      TableName: !Sub session-table-${EnvironmentSuffix}
      AttributeDefinitions:
        - AttributeName: sessionId
          AttributeType: S
        - AttributeName: userId
          AttributeType: S
      KeySchema:
        - AttributeName: sessionId
          KeyType: HASH
      GlobalSecondaryIndexes:
        - IndexName: UserIdIndex
          KeySchema:
            - AttributeName: userId
              KeyType: HASH
          Projection:
            ProjectionType: ALL
      BillingMode: PAY_PER_REQUEST
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
      SSESpecification:
        SSEEnabled: true
      TimeToLiveSpecification:
        AttributeName: ttl
        Enabled: true
      DeletionProtectionEnabled: true
      Tags:
        - Key: Name
          Value: !Sub session-table-${EnvironmentSuffix}
        - Key: Environment
          Value: !Ref EnvironmentName
Outputs:
  SessionTableName:
    Description: Name of the DynamoDB table for session management
    Value: !Ref SessionTable
    Export:
      Name: !Sub ${AWS::StackName}-SessionTableName
  SessionTableArn:
    Description: ARN of the DynamoDB table for session management
    Value: !GetAtt SessionTable.Arn
    Export:
      Name: !Sub ${AWS::StackName}-SessionTableArn
"""


def test_one_fix_adds_the_table_its_permissions_variable_and_exported_outputs():
    (finding,) = findings(STACK, "CD6001", "financial-services")
    assert len(finding.fixes) == 1 and finding.fix.safety == "safe"
    doc = document(STACK)
    doc.apply(finding.fix.edits)  # one batch: one undo step
    assert doc.text == FIXED_STACK
    assert fixed(STACK, "CD6001", "financial-services").text == FIXED_STACK


def test_the_fixed_stack_trips_no_rule():
    assert analyse(document(FIXED_STACK), profiles.load("financial-services")) == []


def test_a_role_whose_properties_a_condition_chooses_is_not_edited():
    conditional = STACK.replace("    Properties:\n      AssumeRolePolicyDocument: {}\n",
                                "    Properties: !If [Always, {AssumeRolePolicyDocument: {}}, !Ref AWS::NoValue]\n")
    assert conditional != STACK
    text = "Conditions: {Always: !Equals [a, a]}\n" + conditional
    (finding,) = findings(text, "CD6001", "financial-services")
    pointers = [edit.pointer for edit in finding.fix.edits]
    assert "/Resources/SessionTable" in pointers
    assert not [pointer for pointer in pointers if pointer.startswith("/Resources/Role/")]


SAM_STACK = """Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        LOG_LEVEL: INFO
Resources:
  HandlerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: api.handler
      Policies:
        - AWSLambdaBasicExecutionRole
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: worker.handler
      Role: !GetAtt HandlerRole.Arn
      Environment:
        Variables:
          MODE: batch
"""

SAM_STACK_FIXED = """Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        LOG_LEVEL: INFO
Resources:
  HandlerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: SessionTableAccess
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
                  - dynamodb:GetItem
                  - dynamodb:PutItem
                  - dynamodb:UpdateItem
                  - dynamodb:DeleteItem
                  - dynamodb:Query
                Resource:
                  - !GetAtt SessionTable.Arn
                  - !Sub ${SessionTable.Arn}/index/*
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: api.handler
      Policies:
        - AWSLambdaBasicExecutionRole
        - DynamoDBCrudPolicy:
            TableName: !Ref SessionTable
      Environment:
        Variables:
          SESSION_TABLE: !Ref SessionTable
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: worker.handler
      Role: !GetAtt HandlerRole.Arn
      Environment:
        Variables:
          MODE: batch
          SESSION_TABLE: !Ref SessionTable
  SessionTable:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      TableName: !Sub ${AWS::StackName}-sessions
      AttributeDefinitions:
        - AttributeName: sessionId
          AttributeType: S
        - AttributeName: userId
          AttributeType: S
      KeySchema:
        - AttributeName: sessionId
          KeyType: HASH
      GlobalSecondaryIndexes:
        - IndexName: UserIdIndex
          KeySchema:
            - AttributeName: userId
              KeyType: HASH
          Projection:
            ProjectionType: ALL
      BillingMode: PAY_PER_REQUEST
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
      SSESpecification:
        SSEEnabled: true
      TimeToLiveSpecification:
        AttributeName: ttl
        Enabled: true
      DeletionProtectionEnabled: true
      Tags:
        - Key: Name
          Value: !Sub ${AWS::StackName}-sessions
Outputs:
  SessionTableName:
    Description: Name of the DynamoDB table for session management
    Value: !Ref SessionTable
    Export:
      Name: !Sub ${AWS::StackName}-SessionTableName
  SessionTableArn:
    Description: ARN of the DynamoDB table for session management
    Value: !GetAtt SessionTable.Arn
    Export:
      Name: !Sub ${AWS::StackName}-SessionTableArn
"""


def test_the_session_table_fix_wires_sam_functions_through_their_policies_or_their_role():
    """A SAM function without a role gets the DynamoDB policy template in its Policies;
    one with a role gets the grant on that role, as a plain Lambda does."""
    (finding,) = findings(SAM_STACK, "CD6001", "financial-services")
    assert finding.fix.safety == "safe"
    assert fixed(SAM_STACK, "CD6001", "financial-services").text == SAM_STACK_FIXED
    assert findings(SAM_STACK_FIXED, "CD3001") == []


@pytest.mark.parametrize("table", [
    "  Sessions:\n    Type: AWS::Serverless::SimpleTable\n",
    "  T:\n    Type: AWS::Serverless::SimpleTable\n    Properties: {PrimaryKey: {Name: sessionId, Type: String}}\n",
])
def test_a_sam_simple_table_can_be_the_session_table(table):
    assert findings(SAM_STACK + table, "CD6001", "financial-services") == []
