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


def granted(variable: str, target: str, statement: str) -> str:
    """The template after the fix: HandlerRole gets one inline policy, ``statement``."""
    trust = "      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: []}\n"
    policy = f"""      Policies:
        - PolicyName: {target}Access
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
{statement}"""
    return template(variable).replace(trust, trust + policy)


DYNAMODB = """                Action:
                  - dynamodb:GetItem
                  - dynamodb:PutItem
                  - dynamodb:UpdateItem
                  - dynamodb:DeleteItem
                  - dynamodb:Query
                Resource:
                  - !GetAtt Sessions.Arn
                  - !Sub ${Sessions.Arn}/index/*
"""


@pytest.mark.parametrize(("variable", "target", "service", "statement"), [
    ("TABLE: !Ref Sessions", "Sessions", "dynamodb", DYNAMODB),
    ("TABLE_ARN: !GetAtt Sessions.Arn", "Sessions", "dynamodb", DYNAMODB),
    ("TABLE: !Sub 'arn:aws:dynamodb:::table/${Sessions}'", "Sessions", "dynamodb", DYNAMODB),
    ("BUCKET: !Ref Uploads", "Uploads", "s3", """                Action:
                  - s3:GetObject
                  - s3:PutObject
                  - s3:ListBucket
                Resource:
                  - !GetAtt Uploads.Arn
                  - !Sub ${Uploads.Arn}/*
"""),
    ("QUEUE: !Ref Jobs", "Jobs", "sqs", """                Action:
                  - sqs:SendMessage
                  - sqs:ReceiveMessage
                  - sqs:DeleteMessage
                  - sqs:GetQueueAttributes
                Resource: !GetAtt Jobs.Arn
"""),
    ("TOPIC: !Ref Alerts", "Alerts", "sns", """                Action:
                  - sns:Publish
                Resource: !Ref Alerts
"""),
    ("SECRET: !Ref DbSecret", "DbSecret", "secretsmanager", """                Action:
                  - secretsmanager:GetSecretValue
                Resource: !Ref DbSecret
"""),
    ("STREAM: !Ref Events", "Events", "kinesis", """                Action:
                  - kinesis:PutRecord
                  - kinesis:PutRecords
                  - kinesis:GetRecords
                  - kinesis:GetShardIterator
                  - kinesis:DescribeStream
                  - kinesis:ListShards
                Resource: !GetAtt Events.Arn
"""),
])
def test_function_without_permission_is_flagged_and_granted_least_privilege(variable, target, service, statement):
    (finding,) = findings(template(variable), "CD3001")
    assert finding.resource == "Handler"
    assert finding.line == 21
    assert f"role HandlerRole grants no {service} actions on {target}" in finding.message
    assert fixed(template(variable), "CD3001").text == granted(variable, target, statement)


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


def test_a_policy_named_by_an_intrinsic_function_does_not_stop_the_fix():
    role_extra = """      Policies:
        - PolicyName: !Sub '${AWS::StackName}-logs'
          PolicyDocument: {Statement: []}"""
    text = template("QUEUE: !Ref Jobs", role_extra)
    appended = """
        - PolicyName: JobsAccess
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
                  - sqs:SendMessage
                  - sqs:ReceiveMessage
                  - sqs:DeleteMessage
                  - sqs:GetQueueAttributes
                Resource: !GetAtt Jobs.Arn"""
    assert fixed(text, "CD3001").text == template("QUEUE: !Ref Jobs", role_extra + appended)


def test_a_role_whose_properties_a_condition_chooses_is_left_alone():
    conditional = "    Properties: !If [Always, {AssumeRolePolicyDocument: {}}, {AssumeRolePolicyDocument: {}}]\n"
    text = "Conditions: {Always: !Equals [a, a]}\n" + template("QUEUE: !Ref Jobs").replace(
        "    Properties:\n      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: []}\n", conditional)
    assert conditional in text
    assert findings(text, "CD3001") == []
