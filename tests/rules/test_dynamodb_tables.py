"""Every way a template declares a DynamoDB table gets the table rules: a SAM SimpleTable
(which SAM turns into a table) and a global table, whose replicas each carry their own
point-in-time recovery and deletion protection."""

import pytest

from app.core.findings import Severity
from tests.rules.helpers import findings, fixed

SIMPLE = """Transform: AWS::Serverless-2016-10-31
Resources:
  ItemTable:
    Type: AWS::Serverless::SimpleTable
    DeletionPolicy: Retain
    Properties:
      # the partition key
      PrimaryKey:
        Name: PK
        Type: String
      ProvisionedThroughput:
        ReadCapacityUnits: 5
        WriteCapacityUnits: 1
      Tags:
        project: demo
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref ItemTable}
"""
SIMPLE_AS_TABLE = """Transform: AWS::Serverless-2016-10-31
Resources:
  ItemTable:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    Properties:
      AttributeDefinitions:
        - AttributeName: PK
          AttributeType: S
      KeySchema:
        - AttributeName: PK
          KeyType: HASH
      ProvisionedThroughput:
        ReadCapacityUnits: 5
        WriteCapacityUnits: 1
      Tags:
        - Key: project
          Value: demo
      DeletionProtectionEnabled: true
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref ItemTable}
"""


def test_a_simple_table_gets_every_table_rule():
    """The wild case: SimpleTables got no finding at all."""
    assert {rule: len(findings(SIMPLE, rule)) for rule in ("CD1002", "CD1005", "CD1006", "CD2002")} == dict.fromkeys(
        ("CD1002", "CD1005", "CD1006", "CD2002"), 1)


def test_simple_table_encryption_is_set_on_it():
    expected = SIMPLE.replace("        project: demo\n", "        project: demo\n      SSESpecification:\n"
                                                          "        SSEEnabled: true\n")
    assert fixed(SIMPLE, "CD2002").text == expected


def test_simple_table_deletion_protection_declares_the_table_sam_would_make():
    (finding,) = findings(SIMPLE, "CD1006")
    assert "an AWS::Serverless::SimpleTable cannot turn on DeletionProtectionEnabled" in finding.message
    assert finding.fix.title == "Declare ItemTable as an AWS::DynamoDB::Table with DeletionProtectionEnabled"
    assert finding.fix.safety == "safe"
    assert fixed(SIMPLE, "CD1006").text == SIMPLE_AS_TABLE


def test_a_simple_table_without_properties_has_sams_default_key_and_billing():
    template = "Resources:\n  Sessions:\n    Type: AWS::Serverless::SimpleTable\n"
    assert fixed(template, "CD1006").text == """Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      BillingMode: PAY_PER_REQUEST
      DeletionProtectionEnabled: true
"""


GLOBALS = """Transform: AWS::Serverless-2016-10-31
Globals:
  SimpleTable:
    SSESpecification:
      SSEEnabled: {enabled}
Resources:
  Orders:
    Type: AWS::Serverless::SimpleTable
"""


def test_globals_encrypt_a_simple_table_and_the_declared_table_keeps_it():
    assert findings(GLOBALS.format(enabled="true"), "CD2002") == []
    assert len(findings(GLOBALS.format(enabled="false"), "CD2002")) == 1
    converted = fixed(GLOBALS.format(enabled="true"), "CD1006").text
    assert "      SSESpecification:\n        SSEEnabled: true\n      DeletionProtectionEnabled: true\n" in converted


GLOBAL_TABLE = """Resources:
  Orders:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
      BillingMode: PAY_PER_REQUEST
      Replicas:
        - Region: !Ref AWS::Region
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: true
          DeletionProtectionEnabled: true
        - Region: eu-west-2
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: false
        - Region: us-west-2
"""


@pytest.mark.parametrize(("rule", "message"), [
    ("CD1005", "Orders has no point-in-time recovery in its replicas in eu-west-2 and us-west-2: an item a bug "
               "overwrites or deletes cannot be restored there"),
    ("CD1006", "Orders can be deleted in its replicas in eu-west-2 and us-west-2 by a single DeleteTable call: "
               "DeletionProtectionEnabled is not on there"),
])
def test_a_global_table_replica_without_protection_is_flagged_once_per_table(rule, message):
    (finding,) = findings(GLOBAL_TABLE, rule)
    assert finding.message == message
    assert finding.pointer == "/Resources/Orders/Properties/Replicas/1"


def test_pitr_is_turned_on_in_every_replica_that_lacks_it():
    expected = GLOBAL_TABLE.replace("            PointInTimeRecoveryEnabled: false\n",
                                    "            PointInTimeRecoveryEnabled: true\n").replace(
        "        - Region: us-west-2\n",
        "        - Region: us-west-2\n          PointInTimeRecoverySpecification:\n"
        "            PointInTimeRecoveryEnabled: true\n")
    assert fixed(GLOBAL_TABLE, "CD1005").text == expected


def test_deletion_protection_is_turned_on_in_every_replica_that_lacks_it():
    expected = GLOBAL_TABLE.replace(
        "            PointInTimeRecoveryEnabled: false\n",
        "            PointInTimeRecoveryEnabled: false\n          DeletionProtectionEnabled: true\n").replace(
        "        - Region: us-west-2\n", "        - Region: us-west-2\n          DeletionProtectionEnabled: true\n")
    assert fixed(GLOBAL_TABLE, "CD1006").text == expected


def test_a_global_table_is_encrypted_for_all_its_replicas_and_is_a_system_of_record():
    (finding,) = findings(GLOBAL_TABLE, "CD2002")
    assert finding.pointer == "/Resources/Orders/Properties"
    assert "SSESpecification:\n        SSEEnabled: true\n" in fixed(GLOBAL_TABLE, "CD2002").text
    (deletion,) = findings(GLOBAL_TABLE, "CD1001")
    assert deletion.severity is Severity.HIGH and deletion.message.endswith("(a system of record)")
