"""CD4001: administrator access in every form a template can attach it."""

from __future__ import annotations

import pytest

from tests.rules.helpers import findings

ROLE = """Parameters:
  Admin: {{Type: String, Default: 'no'}}
Conditions:
  IsAdmin: !Equals [!Ref Admin, 'yes']
Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {{}}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
        - {arn}
"""


@pytest.mark.parametrize("arn", [
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "!Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess",
    "!Sub 'arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess'",
    "!Join ['', ['arn:', !Ref AWS::Partition, ':iam::aws:policy/AdministratorAccess']]",
])
def test_administrator_access_attached_by_arn(arn):
    (finding,) = findings(ROLE.format(arn=arn), "CD4001")
    assert finding.pointer == "/Resources/DeployRole/Properties/ManagedPolicyArns/1"
    assert finding.line == 12 and finding.resource == "DeployRole"
    assert finding.message == ("DeployRole attaches the AWS managed policy AdministratorAccess: administrator access "
                               "to the account")


@pytest.mark.parametrize("arn", [
    "arn:aws:iam::aws:policy/AdministratorAccess-Amplify",  # a narrower policy of a longer name
    "arn:aws:iam::123456789012:policy/AdministratorAccess",  # a customer policy of the same name
    "!Ref AWS::NoValue",
])
def test_other_policies_are_not_administrator_access(arn):
    assert findings(ROLE.format(arn=arn), "CD4001") == []


def test_administrator_access_in_one_branch_of_a_condition():
    arn = "!If [IsAdmin, arn:aws:iam::aws:policy/AdministratorAccess, !Ref AWS::NoValue]"
    (finding,) = findings(ROLE.format(arn=arn), "CD4001")
    assert finding.pointer == "/Resources/DeployRole/Properties/ManagedPolicyArns/1/Fn::If/1"


STATEMENT = "{Effect: Allow, Action: '*', Resource: '*'}"


@pytest.mark.parametrize(("resource_type", "holder"), [
    ("AWS::IAM::RolePolicy", "RoleName: deploy"),
    ("AWS::IAM::UserPolicy", "UserName: ci"),
    ("AWS::IAM::GroupPolicy", "GroupName: admins"),
])
def test_wildcard_statements_in_role_user_and_group_policies(resource_type, holder):
    text = f"""Resources:
  Inline:
    Type: {resource_type}
    Properties:
      PolicyName: all
      {holder}
      PolicyDocument:
        Statement:
          - {STATEMENT}
"""
    (finding,) = findings(text, "CD4001")
    assert finding.pointer == "/Resources/Inline/Properties/PolicyDocument/Statement/0"


SAM = """Transform: AWS::Serverless-2016-10-31
Resources:
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Handler: main.handler
      Runtime: python3.12
      Policies:
        - DynamoDBCrudPolicy: {{TableName: orders}}
        - {entry}
"""


@pytest.mark.parametrize(("entry", "pointer"), [
    ("AdministratorAccess", "/Resources/Handler/Properties/Policies/1"),
    ("arn:aws:iam::aws:policy/AdministratorAccess", "/Resources/Handler/Properties/Policies/1"),
    ("!Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess", "/Resources/Handler/Properties/Policies/1"),
    (f"Statement: [{STATEMENT}]", "/Resources/Handler/Properties/Policies/1/Statement/0"),
])
def test_administrator_access_in_a_sam_functions_policies(entry, pointer):
    (finding,) = findings(SAM.format(entry=entry), "CD4001")
    assert finding.pointer == pointer


@pytest.mark.parametrize("entry", [
    "AWSLambdaBasicExecutionRole",
    "Statement: [{Effect: Deny, Action: '*', Resource: '*'}]",
    "Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]",
])
def test_sam_policies_short_of_administrator_access_pass(entry):
    assert findings(SAM.format(entry=entry), "CD4001") == []


def test_wildcard_statement_inside_a_condition():
    text = f"""Conditions:
  Open: !Equals [a, b]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {{}}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - !If [Open, {STATEMENT}, !Ref AWS::NoValue]
"""
    (finding,) = findings(text, "CD4001")
    assert finding.pointer == "/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Fn::If/1"
