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


# -- grants read as IAM reads them --------------------------------------------------------------
ROLE_POLICY = """  HandlerRolePolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      PolicyName: data
      RoleName: {role_name}
      PolicyDocument:
        Statement:
          - {{Effect: Allow, Action: [s3:GetObject, s3:PutObject], Resource: !Sub '${{Uploads.Arn}}/*'}}"""


@pytest.mark.parametrize("role_name", ["!Ref HandlerRole", "handler-role"])
def test_a_role_policy_resource_grants_like_an_inline_policy(role_name):
    named = "      RoleName: handler-role" if role_name == "handler-role" else ""
    text = template("BUCKET: !Ref Uploads", named, ROLE_POLICY.format(role_name=role_name))
    assert findings(text, "CD3001") == []


def test_a_role_policy_on_another_role_does_not_count():
    text = template("BUCKET: !Ref Uploads", "", ROLE_POLICY.format(role_name="!Ref OtherRole"))
    assert len(findings(text, "CD3001")) == 1


def test_grants_by_physical_name_count():
    arn = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${AWS::StackName}-sessions"
    role_extra = INLINE.format(action="dynamodb:GetItem", resource=f"!Sub '{arn}'")
    text = template("TABLE: !Ref Sessions", role_extra).replace(
        "Properties: {BillingMode: PAY_PER_REQUEST}", "Properties: {TableName: !Sub '${AWS::StackName}-sessions'}")
    assert findings(text, "CD3001") == []
    other = text.replace("-sessions'}", "-archive'}")
    assert len(findings(other, "CD3001")) == 1


DENY = """      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement:
              - {{Effect: Allow, Action: 'dynamodb:*', Resource: '*'}}
              - {{Effect: Deny, Action: {action}, Resource: {resource}{condition}}}"""


def test_an_explicit_deny_on_the_resource_means_not_granted():
    role_extra = DENY.format(action="'dynamodb:*'", resource="!GetAtt Sessions.Arn", condition="")
    (finding,) = findings(template("TABLE: !Ref Sessions", role_extra), "CD3001")
    assert "an explicit Deny in its role HandlerRole takes back its dynamodb actions on Sessions" in finding.message
    assert finding.severity.label == "high"


@pytest.mark.parametrize(("action", "resource", "condition"), [
    ("'dynamodb:DeleteTable'", "!GetAtt Sessions.Arn", ""),  # denies something the function does not need
    ("'dynamodb:*'", "!GetAtt Other.Arn", ""),  # another table
    ("'dynamodb:*'", "'arn:aws:dynamodb:*:*:table/archive-*'", ""),  # a pattern that may not be this table
    ("'dynamodb:*'", "'*'", ", Condition: {Bool: {aws:SecureTransport: 'false'}}"),  # only some requests
])
def test_a_deny_that_does_not_surely_cover_the_use_leaves_the_grant(action, resource, condition):
    role_extra = DENY.format(action=action, resource=resource, condition=condition)
    assert findings(template("TABLE: !Ref Sessions", role_extra), "CD3001") == []


CONDITIONAL = """Parameters:
  Tenancy: {Type: String, Default: pooled, AllowedValues: [pooled, silo]}
Conditions:
  IsSilo: !Equals [!Ref Tenancy, silo]
  IsPooled: !Not [!Equals [!Ref Tenancy, silo]]
"""


def test_a_grant_under_a_condition_counts_only_in_its_branch_and_the_finding_says_when():
    attached = """  SiloPolicy:
    Type: AWS::IAM::Policy
    Condition: IsSilo
    Properties:
      PolicyName: silo
      Roles: [!Ref HandlerRole]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: 'dynamodb:*', Resource: !GetAtt Sessions.Arn}"""
    text = CONDITIONAL + template("TABLE: !Ref Sessions", "", attached)
    (finding,) = findings(text, "CD3001")
    assert finding.message == (
        "Handler uses Sessions (AWS::DynamoDB::Table) through TABLE, but its role HandlerRole grants no dynamodb "
        "actions on Sessions when IsSilo is false (as deployed by default), while the template grants it in the other "
        "deploys: unless the function runs with other credentials then, calls will fail with AccessDenied")
    # the template's own choice, maybe on purpose: rated medium, and granting it everywhere only on request
    assert finding.severity.label == "medium"
    assert finding.fix.safety == "unsafe" and "on purpose" in (finding.fix.note or "")


def test_grants_in_both_branches_of_complementary_conditions_cover_every_deploy():
    role_extra = """      Policies:
        - !If
          - IsSilo
          - PolicyName: silo
            PolicyDocument:
              Statement: [{Effect: Allow, Action: 'dynamodb:*', Resource: !GetAtt Sessions.Arn}]
          - !Ref AWS::NoValue
        - !If
          - IsPooled
          - PolicyName: pooled
            PolicyDocument:
              Statement: [{Effect: Allow, Action: 'dynamodb:Query', Resource: !GetAtt Sessions.Arn}]
          - !Ref AWS::NoValue"""
    assert findings(CONDITIONAL + template("TABLE: !Ref Sessions", role_extra), "CD3001") == []


def test_a_use_under_the_same_condition_as_its_grant_passes():
    role_extra = """      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: !If [IsSilo, 'dynamodb:*', 'sqs:SendMessage']
                Resource: '*'"""
    variable = "TABLE: !If [IsSilo, !Ref Sessions, !Ref AWS::NoValue]"
    assert findings(CONDITIONAL + template(variable, role_extra), "CD3001") == []
    pooled_use = "TABLE: !If [IsSilo, !Ref AWS::NoValue, !Ref Sessions]"
    (finding,) = findings(CONDITIONAL + template(pooled_use, role_extra), "CD3001")
    assert "grants no dynamodb actions on Sessions: calls will fail" in finding.message


def test_a_role_that_vends_credentials_for_the_resource_makes_the_finding_medium():
    """Tenant isolation: functions run with credentials an authorizer gets from a scoped role."""
    extra = """  ScopedRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {AWS: !GetAtt AuthorizerRole.Arn}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement: [{Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Sessions.Arn}]
  AuthorizerRole:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {}}"""
    (finding,) = findings(template("TABLE: !Ref Sessions", "", extra), "CD3001")
    assert finding.severity.label == "medium"
    assert "while ScopedRole, a role that other roles of the template may assume, allows it: unless the function " \
           "runs with other credentials, calls will fail" in finding.message
    assert finding.fix.safety == "unsafe"


def test_a_role_the_function_is_handed_and_may_assume_grants_too():
    """The tenant-isolation pattern: the function assumes a scoped role whose ARN it gets."""
    extra = """  AccessRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {AWS: [!GetAtt HandlerRole.Arn]}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement: [{Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Sessions.Arn}]"""
    variables = "TABLE: !GetAtt Sessions.Arn\n          ACCESS_ROLE: !GetAtt AccessRole.Arn"
    assert findings(template(variables, "", extra), "CD3001") == []
    untrusted = extra.replace("!GetAtt HandlerRole.Arn", "arn:aws:iam::123456789012:root")
    assert len(findings(template(variables, "", untrusted), "CD3001")) == 1


def test_a_managed_policy_for_the_table_stream_does_not_grant_the_table():
    arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"
    stream_only = template("TABLE: !Ref Sessions", f"      ManagedPolicyArns: ['{arn}']")
    assert len(findings(stream_only, "CD3001")) == 1  # stream reads are not table reads
