"""Editing a YAML file changes only the lines the edit touches."""

import difflib

import pytest

from app.core.document import Document
from app.core.edits import Add, Remove, Set

SOURCE = """# Transactions stack
AWSTemplateFormatVersion: '2010-09-09'   # keep me

Parameters:
  Env: {Type: String, Default: dev}

Resources:
  # The ledger database
  AuroraDBCluster:
    Type: AWS::RDS::DBCluster  # cluster
    DeletionPolicy: Delete
    UpdateReplacePolicy: Delete
    Properties:
      Engine: aurora-mysql
      DatabaseName: "transactions"
      Tags: [{Key: app, Value: ledger}]
      VpcSecurityGroupIds:
      - !Ref DbSecurityGroup
      - sg-123
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          DB_ENDPOINT: !GetAtt AuroraDBCluster.Endpoint.Address
      Code:
        ZipFile: |
          def handler(event, context):
              return 1

Outputs:
  DbArn:
    Value: !GetAtt AuroraDBCluster.Arn
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def edited(*edits):
    document = Document.from_text(SOURCE, "stack.yaml")
    document.apply(list(edits))
    assert Document.from_text(document.text, "again.yaml").data == document.data
    assert document.warnings == []
    return document.text


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([Set("/Resources/AuroraDBCluster/DeletionPolicy", "Retain")],
         ["-    DeletionPolicy: Delete", "+    DeletionPolicy: Retain"]),
        ([Set("/Resources/AuroraDBCluster/Properties/DatabaseName", "ledger")],
         ['-      DatabaseName: "transactions"', "+      DatabaseName: ledger"]),
        ([Add("/Resources/AuroraDBCluster/Properties/DeletionProtection", True)],
         ["+      DeletionProtection: true"]),
        ([Remove("/Resources/AuroraDBCluster/UpdateReplacePolicy")],
         ["-    UpdateReplacePolicy: Delete"]),
        ([Add("/Resources/AuroraDBCluster/Properties/VpcSecurityGroupIds/-", "sg-456")],
         ["+      - sg-456"]),
        ([Remove("/Resources/AuroraDBCluster/Properties/VpcSecurityGroupIds/1")],
         ["-      - sg-123"]),
        ([Add("/Resources/AuroraDBCluster/Properties/Tags/-", {"Key": "env", "Value": {"Ref": "Env"}})],
         ["-      Tags: [{Key: app, Value: ledger}]",
          "+      Tags: [{Key: app, Value: ledger}, {Key: env, Value: !Ref Env}]"]),
        ([Set("/Resources/Handler/Properties/Environment/Variables/DB_ENDPOINT/Fn::GetAtt/1", "Endpoint.Port")],
         ["-          DB_ENDPOINT: !GetAtt AuroraDBCluster.Endpoint.Address",
          "+          DB_ENDPOINT: !GetAtt AuroraDBCluster.Endpoint.Port"]),
        ([Add("/Resources/Handler/Properties/Environment/Variables/SESSION_TABLE", {"Ref": "SessionTable"})],
         ["+          SESSION_TABLE: !Ref SessionTable"]),
        ([Add("/Parameters/Env/AllowedValues", ["dev", "prod"])],
         ["-  Env: {Type: String, Default: dev}", "+  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}"]),
    ],
)
def test_one_edit_touches_only_its_lines(edits, expected):
    assert changed_lines(SOURCE, edited(*edits)) == expected


def test_new_resource_is_rendered_in_block_style_at_the_right_indent():
    table = {
        "Type": "AWS::DynamoDB::Table",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "TableName": {"Fn::Sub": "session-table-${Env}"},
            "KeySchema": [{"AttributeName": "sessionId", "KeyType": "HASH"}],
        },
    }
    text = edited(Add("/Resources/SessionTable", table))
    assert changed_lines(SOURCE, text) == [
        "+  SessionTable:",
        "+    Type: AWS::DynamoDB::Table",
        "+    UpdateReplacePolicy: Retain",
        "+    Properties:",
        "+      TableName: !Sub session-table-${Env}",
        "+      KeySchema:",
        "+      - AttributeName: sessionId",
        "+        KeyType: HASH",
    ]


def test_removing_a_whole_resource_removes_its_lines_only():
    lines = changed_lines(SOURCE, edited(Remove("/Resources/Handler")))
    assert lines[0] == "-  Handler:" and all(line.startswith("-") for line in lines)
    assert len(lines) == 10


def test_many_edits_in_one_batch_across_resources():
    text = edited(
        Set("/Resources/AuroraDBCluster/DeletionPolicy", "Retain"),
        Set("/Resources/AuroraDBCluster/UpdateReplacePolicy", "Retain"),
        Add("/Resources/Handler/DeletionPolicy", "Retain"),
        Add("/Resources/AuroraDBCluster/Properties/DeletionProtection", True),
        Add("/Resources/AuroraDBCluster/Properties/BackupRetentionPeriod", 7),
    )
    assert len(changed_lines(SOURCE, text)) == 7
    assert "# The ledger database" in text and "# cluster" in text and "# keep me" in text


def test_literal_block_value_is_replaced_as_a_block():
    text = edited(Set("/Resources/Handler/Properties/Code/ZipFile", "def handler(e, c):\n    return 2\n"))
    assert "        ZipFile: |\n          def handler(e, c):\n              return 2\n\nOutputs:" in text


def test_crlf_files_get_crlf_lines():
    document = Document.from_text(SOURCE.replace("\n", "\r\n"), "stack.yaml")
    document.apply([Add("/Resources/AuroraDBCluster/Properties/DeletionProtection", True)])
    assert "      DeletionProtection: true\r\n" in document.text
    assert "\n" not in document.text.replace("\r\n", "")


def test_emptying_a_mapping_and_filling_an_empty_one():
    text = edited(Remove("/Resources/Handler/Properties/Environment/Variables/DB_ENDPOINT"))
    assert "        Variables: {}\n" in text
    document = Document.from_text(text, "stack.yaml")
    document.apply([Add("/Resources/Handler/Properties/Environment/Variables/A", "b")])
    assert "        Variables:\n          A: b\n" in document.text


def test_file_without_final_newline():
    document = Document.from_text("Resources:\n  A:\n    Type: T", "t.yaml")
    document.apply([Add("/Resources/A/DeletionPolicy", "Retain")])
    assert document.text == "Resources:\n  A:\n    Type: T\n    DeletionPolicy: Retain\n"


def test_four_space_indent_is_followed():
    document = Document.from_text("Resources:\n    A:\n        Type: T\n", "t.yaml")
    document.apply([Add("/Resources/A/Properties", {"X": {"Y": 1}})])
    assert document.text.endswith("        Properties:\n            X:\n                Y: 1\n")


def test_undo_restores_the_exact_text():
    document = Document.from_text(SOURCE, "stack.yaml")
    inverse = document.apply([Remove("/Resources/Handler"), Set("/Resources/AuroraDBCluster/DeletionPolicy", "Retain")])
    assert document.text != SOURCE
    redo = document.apply(inverse)
    assert document.text == SOURCE
    document.apply(redo)
    assert "Handler" not in document.text


def test_insertions_at_one_point_keep_nested_lines_inside_their_mapping():
    text = edited(
        Add("/Resources/Handler/DeletionPolicy", "Retain"),
        Add("/Resources/Handler/Properties/Code/S3Key", "handler.zip"),
        Add("/Resources/Handler/Properties/Timeout", 30),
    )
    assert "              return 1\n        S3Key: handler.zip\n      Timeout: 30\n    DeletionPolicy: Retain\n" in text
