"""CD3001: a function handed a resource whose role cannot use it."""

import pytest

from tests.rules.helpers import findings, fixed

FUNCTION = """Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
    Properties: {{BillingMode: PAY_PER_REQUEST}}
  Uploads: {{Type: AWS::S3::Bucket}}
  Jobs: {{Type: AWS::SQS::Queue}}
  Alerts: {{Type: AWS::SNS::Topic}}
  DbSecret: {{Type: AWS::SecretsManager::Secret}}
  Events: {{Type: AWS::Kinesis::Stream, Properties: {{ShardCount: 1}}}}
  HandlerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {{Version: '2012-10-17', Statement: []}}
{role_extra}
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt HandlerRole.Arn
      Environment:
        Variables:
          {variable}
{extra}
"""


def template(variable: str, role_extra: str = "", extra: str = "") -> str:
    return FUNCTION.format(variable=variable, role_extra=role_extra, extra=extra)


@pytest.mark.parametrize(("variable", "target", "service"), [
    ("TABLE: !Ref Sessions", "Sessions", "dynamodb"),
    ("TABLE_ARN: !GetAtt Sessions.Arn", "Sessions", "dynamodb"),
    ("TABLE: !Sub 'arn:aws:dynamodb:::table/${Sessions}'", "Sessions", "dynamodb"),
    ("BUCKET: !Ref Uploads", "Uploads", "s3"),
    ("QUEUE: !Ref Jobs", "Jobs", "sqs"),
    ("TOPIC: !Ref Alerts", "Alerts", "sns"),
    ("SECRET: !Ref DbSecret", "DbSecret", "secretsmanager"),
    ("STREAM: !Ref Events", "Events", "kinesis"),
])
def test_function_without_permission_is_flagged_on_the_variable(variable, target, service):
    (finding,) = findings(template(variable), "CD3001")
    assert finding.resource == "Handler"
    assert finding.line == 21
    assert f"role HandlerRole grants no {service} actions on {target}" in finding.message
    document = fixed(template(variable), "CD3001")
    policies = document.data["Resources"]["HandlerRole"]["Properties"]["Policies"]
    assert policies[0]["PolicyName"] == f"{target}Access"


def test_dynamodb_fix_is_least_privilege_on_table_and_indexes():
    document = fixed(template("TABLE: !Ref Sessions"), "CD3001")
    (statement,) = document.data["Resources"]["HandlerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert statement == {
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"],
        "Resource": [{"Fn::GetAtt": ["Sessions", "Arn"]}, {"Fn::Sub": "${Sessions.Arn}/index/*"}],
    }


INLINE = """      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: {action}
                Resource: {resource}"""

ATTACHED = """  HandlerPolicy:
    Type: {type}
    Properties:
      {name_key}
      Roles: [!Ref HandlerRole]
      PolicyDocument:
        Statement:
          - {{Effect: Allow, Action: 'dynamodb:*', Resource: !GetAtt Sessions.Arn}}"""


@pytest.mark.parametrize(("role_extra", "extra"), [
    (INLINE.format(action="dynamodb:GetItem", resource="!GetAtt Sessions.Arn"), ""),
    (INLINE.format(action="'dynamodb:*'", resource="!Sub '${Sessions.Arn}'"), ""),
    (INLINE.format(action="[dynamodb:Query, dynamodb:PutItem]", resource="[!GetAtt Sessions.Arn]"), ""),
    (INLINE.format(action="'dynamodb:Get*'", resource="'*'"), ""),
    (INLINE.format(action="'*'", resource="'*'"), ""),
    (INLINE.format(action="dynamodb:GetItem", resource="'arn:aws:dynamodb:*:*:table/*'"), ""),
    (INLINE.format(action="dynamodb:GetItem", resource="!If [Always, !GetAtt Sessions.Arn, '*']"), ""),
    ("", ATTACHED.format(type="AWS::IAM::Policy", name_key="PolicyName: data")),
    ("", ATTACHED.format(type="AWS::IAM::ManagedPolicy", name_key="Description: data")),
    ("      ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess']", ""),
])
def test_every_form_of_grant_is_recognised(role_extra, extra):
    text = "Conditions: {Always: !Equals [a, a]}\n" + template("TABLE: !Ref Sessions", role_extra, extra)
    assert findings(text, "CD3001") == []


def test_permission_on_another_resource_does_not_count():
    role_extra = INLINE.format(action="'dynamodb:*'", resource="!GetAtt Other.Arn")
    assert len(findings(template("TABLE: !Ref Sessions", role_extra), "CD3001")) == 1


def test_resources_that_need_no_iam_and_roles_outside_the_template_pass():
    assert findings(template("NAME: plain-text"), "CD3001") == []
    outside = template("TABLE: !Ref Sessions").replace("!GetAtt HandlerRole.Arn", "arn:aws:iam::123456789012:role/x")
    assert findings(outside, "CD3001") == []
