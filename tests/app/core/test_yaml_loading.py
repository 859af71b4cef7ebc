import pytest

from app.core.document import Document


def load(text: str) -> dict:
    return Document.from_text("Resources: {}\n" + text, "t.yaml").data


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("A: !Ref Bucket", {"Ref": "Bucket"}),
        ("A: !GetAtt Db.Endpoint.Address", {"Fn::GetAtt": ["Db", "Endpoint.Address"]}),
        ("A: !GetAtt [Db, Arn]", {"Fn::GetAtt": ["Db", "Arn"]}),
        ("A: !Sub '${AWS::StackName}-x'", {"Fn::Sub": "${AWS::StackName}-x"}),
        ("A: !Sub ['${a}', {a: !Ref B}]", {"Fn::Sub": ["${a}", {"a": {"Ref": "B"}}]}),
        ("A: !Join ['', [a, !Ref B]]", {"Fn::Join": ["", ["a", {"Ref": "B"}]]}),
        ("A: !Select [0, !GetAZs '']", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
        ("A: !Split [',', !ImportValue X]", {"Fn::Split": [",", {"Fn::ImportValue": "X"}]}),
        ("A: !If [C, !Equals [a, b], !Not [!Condition D]]",
         {"Fn::If": ["C", {"Fn::Equals": ["a", "b"]}, {"Fn::Not": [{"Condition": "D"}]}]}),
        ("A: !And [!Or [!Condition X, !Condition Y]]",
         {"Fn::And": [{"Fn::Or": [{"Condition": "X"}, {"Condition": "Y"}]}]}),
        ("A: !FindInMap [M, K, V]", {"Fn::FindInMap": ["M", "K", "V"]}),
        ("A: !Base64 text", {"Fn::Base64": "text"}),
        ("A: !Cidr [10.0.0.0/16, 6, 5]", {"Fn::Cidr": ["10.0.0.0/16", 6, 5]}),
        ("A: !Transform {Name: M, Parameters: {}}", {"Fn::Transform": {"Name": "M", "Parameters": {}}}),
        ("A: !ToJsonString {a: 1}", {"Fn::ToJsonString": {"a": 1}}),
        ("A: !Length [1, 2]", {"Fn::Length": [1, 2]}),
        ("A: !Contains [[a], a]", {"Fn::Contains": [["a"], "a"]}),
        ("A: !Rain::Embed script.sh", {"Rain::Embed": "script.sh"}),
    ],
)
def test_short_form_tags_become_long_form(source, expected):
    assert load(source)["A"] == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("A: 2012-10-17", "2012-10-17"),
        ("A: yes", "yes"),
        ("A: off", "off"),
        ("A: 012", "012"),
        ("A: 0x1F", "0x1F"),
        ("A: 1e5", "1e5"),
        ("A: true", True),
        ("A: False", False),
        ("A: 12", 12),
        ("A: -3", -3),
        ("A: 1.5", 1.5),
        ("A: ~", None),
        ("A:", None),
        ("A: '12'", "12"),
        ("A: !!str 12", "12"),
        ("A: !!int '12'", 12),
    ],
)
def test_scalars_keep_their_text_unless_plainly_typed(source, expected):
    value = load(source)["A"]
    assert value == expected and type(value) is type(expected)


def test_keys_are_text_even_when_they_look_like_numbers():
    assert list(load("A:\n  200: ok\n  true: x\n")["A"]) == ["200", "true"]


def test_sam_transform_templates_load():
    text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
    assert Document.from_text(text, "sam.yaml").data["Transform"] == "AWS::Serverless-2016-10-31"


def test_merge_keys_and_aliases_resolve():
    data = load("Base: &base {a: 1, b: 2}\nA:\n  <<: *base\n  b: 3\n")
    assert data["A"] == {"a": 1, "b": 3}


SEED_LIKE = """AWSTemplateFormatVersion: '2010-09-09'
Resources:
  AuroraDBCluster:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: Delete
    Properties:
      Engine: aurora-mysql
      Tags:
        - Key: Name
          Value: !Sub '${AWS::StackName}-db'
Outputs:
  Arn:
    Value: !GetAtt AuroraDBCluster.Arn
"""


@pytest.mark.parametrize(
    ("pointer", "line", "column"),
    [
        ("/Resources/AuroraDBCluster/DeletionPolicy", 5, 5),
        ("/Resources/AuroraDBCluster", 3, 3),
        ("/Resources/AuroraDBCluster/Properties/Tags/0", 9, 11),
        ("/Resources/AuroraDBCluster/Properties/Tags/0/Value", 10, 11),
        ("/Resources/AuroraDBCluster/Properties/Tags/0/Value/Fn::Sub", 10, 11),
        ("/Outputs/Arn/Value/Fn::GetAtt/1", 13, 5),
    ],
)
def test_every_node_has_a_line_and_column(pointer, line, column):
    location = Document.from_text(SEED_LIKE, "t.yaml").positions.locate(pointer)
    assert (location.line, location.column) == (line, column)


def test_missing_pointer_locates_to_nearest_ancestor():
    document = Document.from_text(SEED_LIKE, "t.yaml")
    assert document.positions.locate("/Resources/AuroraDBCluster/UpdateReplacePolicy") is None
    assert document.locate("/Resources/AuroraDBCluster/UpdateReplacePolicy").line == 3
