"""CD3001 on SAM applications: environments merged from Globals, what Policies grant
(policy templates, managed policy names and ARNs, inline statements, a Role, event
sources), and SAM-native fixes. The templates model real serverless stacks."""

from __future__ import annotations

import json

import pytest

from app.core.findings import Severity
from rules import profiles
from rules.context import Context
from rules.functions import functions
from rules.permissions import iam, policy_templates
from rules.permissions.access import ACCESS, narrowest_template
from tests.rules.helpers import document, findings, fixed

GLOBALS = """Globals:
  Function:
    Runtime: python3.12
    Handler: main.handler
    Environment:
      Variables:
        TABLE_NAME: !Ref Orders
        LOG_LEVEL: INFO
"""
TRANSFORM = "Transform: AWS::Serverless-2016-10-31\n"
RESOURCES = """Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: PAY_PER_REQUEST}
  Uploads: {Type: AWS::S3::Bucket}
  Jobs: {Type: AWS::SQS::Queue}
  Alerts: {Type: AWS::SNS::Topic}
  DbSecret: {Type: AWS::SecretsManager::Secret}
  Events: {Type: AWS::Kinesis::Stream, Properties: {ShardCount: 1}}
  Carts:
    Type: AWS::Serverless::SimpleTable
    Properties: {PrimaryKey: {Name: cartId, Type: String}}
  OrdersReader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement: [{Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Orders.Arn}]
"""


def sam(function: str, *, with_globals: bool = False) -> str:
    """A SAM template with the data resources, ``function``, and optionally ``Globals``
    handing every function the Orders table."""
    return TRANSFORM + (GLOBALS if with_globals else "") + RESOURCES + function


def own(variable: str, policies: str) -> str:
    """A function that sets ``variable`` itself, with ``policies`` as its Policies."""
    return sam(f"""  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          {variable}
      Policies:
{policies}
""")


# -- what a SAM function's Policies grant ----------------------------------------------------
@pytest.mark.parametrize(("variable", "policies"), [
    ("ORDERS: !Ref Orders", "        - DynamoDBCrudPolicy: {TableName: !Ref Orders}"),
    ("ORDERS: !Ref Orders", "        - DynamoDBReadPolicy:\n            TableName: !Ref Orders"),
    ("ORDERS: !Ref Orders", "        - DynamoDBWritePolicy: {TableName: !Ref Orders}"),
    ("CARTS: !Ref Carts", "        - DynamoDBWritePolicy: {TableName: !Ref Carts}"),
    ("BUCKET: !Ref Uploads", "        - S3ReadPolicy: {BucketName: !Ref Uploads}"),
    ("BUCKET: !Ref Uploads", "        - S3WritePolicy: {BucketName: !Ref Uploads}"),
    ("QUEUE: !Ref Jobs", "        - SQSPollerPolicy: {QueueName: !GetAtt Jobs.QueueName}"),
    ("QUEUE: !Ref Jobs", "        - SQSSendMessagePolicy: {QueueName: !GetAtt Jobs.QueueName}"),
    ("TOPIC: !Ref Alerts", "        - SNSPublishMessagePolicy: {TopicName: !GetAtt Alerts.TopicName}"),
    ("SECRET: !Ref DbSecret", "        - AWSSecretsManagerGetSecretValuePolicy: {SecretArn: !Ref DbSecret}"),
    ("STREAM: !Ref Events", "        - KinesisCrudPolicy: {StreamName: !Ref Events}"),
    ("STREAM: !Ref Events", "        - KinesisStreamReadPolicy: {StreamName: !Ref Events}"),
    ("ORDERS: !Ref Orders", "        - AmazonDynamoDBFullAccess"),
    ("ORDERS: !Ref Orders", "        - !Ref OrdersReader"),
    ("ORDERS: !Ref Orders", "        - AmazonDynamoDBReadOnlyAccess"),
    ("ORDERS: !Ref Orders", "        - arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"),
    ("ORDERS: !Ref Orders", "        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonDynamoDBFullAccess"),
    ("ORDERS: !Ref Orders", """        - Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Action: dynamodb:PutItem
              Resource: !GetAtt Orders.Arn"""),
    ("ORDERS: !Ref Orders", """        - Statement:
            - Effect: Allow
              Action: dynamodb:Query
              Resource: !Sub arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}/index/a"""),
])
def test_every_form_of_sam_grant_is_recognised(variable, policies):
    assert findings(own(variable, policies), "CD3001") == []


def test_a_policy_template_on_another_resource_or_of_another_service_does_not_grant():
    other = own("ORDERS: !Ref Orders", "        - DynamoDBCrudPolicy: {TableName: !Ref Carts}")
    service = own("ORDERS: !Ref Orders", "        - S3CrudPolicy: {BucketName: !Ref Orders}")
    stream_only = own("ORDERS: !Ref Orders", "        - DynamoDBStreamReadPolicy: {TableName: !Ref Orders, "
                      "StreamName: x}")
    stream_role = own("ORDERS: !Ref Orders", "        - AWSLambdaDynamoDBExecutionRole")
    for text in (other, service, stream_only, stream_role):
        (finding,) = findings(text, "CD3001")
        assert "the role SAM makes from its Policies grants no dynamodb actions on Orders" in finding.message


def test_a_role_of_its_own_replaces_the_policies():
    text = sam("""  HandlerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt HandlerRole.Arn
      Environment:
        Variables:
          ORDERS: !Ref Orders
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref Orders}
""")
    (finding,) = findings(text, "CD3001")
    assert "its role HandlerRole grants no dynamodb actions on Orders" in finding.message
    assert finding.fix.title == "Grant HandlerRole dynamodb access to Orders"


def test_event_source_and_dead_letter_policies_sam_adds_count():
    text = sam("""  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          QUEUE: !Ref Jobs
          ALERTS: !Ref Alerts
      DeadLetterQueue: {Type: SNS, TargetArn: !Ref Alerts}
      Events:
        Work:
          Type: SQS
          Properties: {Queue: !GetAtt Jobs.Arn}
""")
    assert findings(text, "CD3001") == []


# -- Globals -----------------------------------------------------------------------------------
GLOBALS_ONLY = sam("""  StreamHandler:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy
      Events:
        Changes:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: TRIM_HORIZON}
""", with_globals=True)


def test_a_resource_reaching_the_function_only_through_globals_is_a_low_may_need_finding():
    (finding,) = findings(GLOBALS_ONLY, "CD3001")
    assert finding.severity is Severity.LOW
    assert finding.pointer == "/Resources/StreamHandler" and finding.resource == "StreamHandler"
    assert finding.message == (
        "StreamHandler gets Orders (AWS::DynamoDB::Table) through TABLE_NAME from Globals, and the role SAM makes "
        "from its Policies grants no dynamodb actions on Orders: if the function uses Orders, it may need access "
        "(calls would fail with AccessDenied)")
    assert "calls will fail" not in finding.message
    assert finding.fix.safety == "unsafe" and "may not use it" in (finding.fix.note or "")


def test_the_may_need_fix_adds_the_narrowest_template_and_is_applied_only_on_request():
    expected = GLOBALS_ONLY.replace(
        "CloudWatchLambdaInsightsExecutionRolePolicy\n",
        "CloudWatchLambdaInsightsExecutionRolePolicy\n        - DynamoDBCrudPolicy:\n"
        "            TableName: !Ref Orders\n")
    assert fixed(GLOBALS_ONLY, "CD3001", unsafe=True).text == expected


def test_a_function_granted_what_globals_hand_it_passes():
    granted = GLOBALS_ONLY.replace("      Events:", "        - DynamoDBReadPolicy: {TableName: !Ref Orders}\n"
                                   "      Events:")
    assert findings(granted, "CD3001") == []


def test_a_variable_of_its_own_overrides_globals_and_is_a_high_finding():
    text = sam("""  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          TABLE_NAME: !Ref Orders
      Policies:
        - S3WritePolicy: {BucketName: !Ref Uploads}
""", with_globals=True)
    (finding,) = findings(text, "CD3001")
    assert finding.severity is Severity.HIGH
    assert finding.pointer == "/Resources/Handler/Properties/Environment/Variables/TABLE_NAME"
    assert finding.message.endswith("calls will fail with AccessDenied")


def test_sam_merges_globals_variables_and_local_values_win():
    text = sam("""  Merged:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          LOG_LEVEL: DEBUG
          BUCKET: !Ref Uploads
  Replaced:
    Type: AWS::Serverless::Function
    Properties:
      Environment: !If [Never, {Variables: {A: b}}, !Ref AWS::NoValue]
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/x
""", with_globals=True)
    variables = {f.name: {v.name: (v.value, v.from_globals) for v in f.variables}
                 for f in functions(Context(document(text).data, profiles.load("default")))}
    assert variables == {
        "Merged": {"TABLE_NAME": ({"Ref": "Orders"}, True), "LOG_LEVEL": ("DEBUG", False),
                   "BUCKET": ({"Ref": "Uploads"}, False)},
        "Replaced": {},  # an intrinsic replaces the global mapping whole
        "Plain": {},  # Globals apply to SAM functions only
    }


# -- SAM-native fixes ---------------------------------------------------------------------------
@pytest.mark.parametrize(("variable", "entry"), [
    ("ORDERS: !Ref Orders", "        - DynamoDBCrudPolicy:\n            TableName: !Ref Orders\n"),
    ("CARTS: !Ref Carts", "        - DynamoDBCrudPolicy:\n            TableName: !Ref Carts\n"),
    ("BUCKET: !Ref Uploads", "        - S3CrudPolicy:\n            BucketName: !Ref Uploads\n"),
    ("TOPIC: !Ref Alerts", "        - SNSPublishMessagePolicy:\n            TopicName: !GetAtt Alerts.TopicName\n"),
    ("SECRET: !Ref DbSecret",
     "        - AWSSecretsManagerGetSecretValuePolicy:\n            SecretArn: !Ref DbSecret\n"),
    ("QUEUE: !Ref Jobs", """        - Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Action:
                - sqs:SendMessage
                - sqs:ReceiveMessage
                - sqs:DeleteMessage
                - sqs:GetQueueAttributes
              Resource: !GetAtt Jobs.Arn
"""),
])
def test_the_fix_adds_the_narrowest_policy_template_or_an_inline_statement(variable, entry):
    policies = "        - AWSLambdaBasicExecutionRole"
    (finding,) = findings(own(variable, policies), "CD3001")
    assert finding.fix.safety == "safe"
    assert fixed(own(variable, policies), "CD3001").text == own(variable, policies + "\n" + entry.rstrip("\n"))


def test_a_single_policies_entry_becomes_a_list_and_absent_policies_are_created():
    single = sam("""  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Environment: {Variables: {BUCKET: !Ref Uploads}}
      Policies: AWSLambdaBasicExecutionRole
""")
    assert fixed(single, "CD3001").text == single.replace(
        "      Policies: AWSLambdaBasicExecutionRole\n",
        "      Policies:\n        - AWSLambdaBasicExecutionRole\n        - S3CrudPolicy:\n"
        "            BucketName: !Ref Uploads\n")
    absent = single.replace("      Policies: AWSLambdaBasicExecutionRole\n", "")
    assert fixed(absent, "CD3001").text == absent + "      Policies:\n        - S3CrudPolicy:\n" \
                                                     "            BucketName: !Ref Uploads\n"


def test_a_grant_on_a_conditional_resource_carries_its_condition():
    text = "Conditions:\n  WithArchive: !Equals [!Ref AWS::Region, eu-west-1]\n" + sam("""  Archive:
    Type: AWS::S3::Bucket
    Condition: WithArchive
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          ARCHIVE: !If [WithArchive, !Ref Archive, !Ref AWS::NoValue]
      Policies: []
""")
    (finding,) = findings(text, "CD3001")
    assert finding.fix.safety == "safe"
    assert fixed(text, "CD3001").text == text.replace("      Policies: []\n", """      Policies:
        - !If
          - WithArchive
          - S3CrudPolicy:
              BucketName: !Ref Archive
          - !Ref AWS::NoValue
""")


# -- SAM's own table of policy templates ------------------------------------------------------------
def _data_service_templates() -> list[str]:
    services = {access.service for access in ACCESS.values()}
    raw = json.loads(policy_templates.DATA.read_text(encoding="utf-8"))["Templates"]
    return sorted(name for name, entry in raw.items()
                  if any(action.split(":")[0] in services for statement in entry["Definition"]["Statement"]
                         for action in statement["Action"]))


def test_the_vendored_table_is_read_whole():
    assert len(policy_templates.templates()) == 81
    assert {"DynamoDBCrudPolicy", "S3ReadPolicy", "SQSPollerPolicy", "SNSPublishMessagePolicy", "KinesisCrudPolicy",
            "AWSSecretsManagerGetSecretValuePolicy"} <= set(_data_service_templates())


@pytest.mark.parametrize("name", _data_service_templates())
def test_every_template_touching_a_data_service_resolves_with_its_parameters(name):
    """Each parameter gets a reference to a resource of its own: the document SAM would
    make names every one of them and refers to no parameter any more."""
    template = policy_templates.templates()[name]
    values = {parameter: {"Ref": f"Resource{parameter}"} for parameter in template.parameters}
    document = template.document(values)
    assert list(iam.document_statements(document))
    resolved = json.dumps(document)
    assert all(f'"Resource{parameter}"' in resolved for parameter in template.parameters)
    assert not any(f'{{"Ref": "{parameter}"}}' in resolved for parameter in template.parameters)
    assert template.document({}) is None or not template.parameters


def test_the_narrowest_template_is_chosen_from_the_data():
    assert {resource_type: narrowest_template(resource_type) for resource_type in ACCESS} == {
        "AWS::DynamoDB::Table": ("DynamoDBCrudPolicy", "TableName"),
        "AWS::DynamoDB::GlobalTable": ("DynamoDBCrudPolicy", "TableName"),
        "AWS::Serverless::SimpleTable": ("DynamoDBCrudPolicy", "TableName"),
        "AWS::S3::Bucket": ("S3CrudPolicy", "BucketName"),
        "AWS::SQS::Queue": None,  # no one template both sends and receives
        "AWS::SNS::Topic": ("SNSPublishMessagePolicy", "TopicName"),
        "AWS::SecretsManager::Secret": ("AWSSecretsManagerGetSecretValuePolicy", "SecretArn"),
        "AWS::Kinesis::Stream": None,
    }
