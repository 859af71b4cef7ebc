"""Fn::ForEach: resources made by a loop are checked, findings land in the loop body, and a
fix is written there only when it fixes every element the same way (modelled on the
cfn101 workshop's looping labs and the fn-foreach samples)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from app.analysis import analyse
from app.core.edits import Set
from app.core.findings import Fix, Severity
from rules import profiles
from rules.base import Rule, Violation
from rules.context import Context
from rules.foreach import expand, substitute
from tests.rules.helpers import document, findings, fixed

TABLES = """Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Tables:
    - TableName
    - [Points, Score]
    - DynamoDB${TableName}:
        Type: AWS::DynamoDB::Table
        Properties:
          TableName: !Ref TableName
          BillingMode: PAY_PER_REQUEST
"""


def test_a_literal_collection_makes_one_resource_per_element_with_its_way_back():
    expansion = expand(document(TABLES).data, "Resources")
    assert list(expansion.items) == ["DynamoDBPoints", "DynamoDBScore"]
    assert expansion.items["DynamoDBScore"]["Properties"]["TableName"] == "Score"
    origin = expansion.origins["DynamoDBScore"]
    assert origin.pointer == "/Resources/Fn::ForEach::Tables/2/DynamoDB${TableName}" and origin.loop == (
        "Fn::ForEach::Tables")
    assert expansion.source_pointer("/Resources/DynamoDBScore/Properties/BillingMode") == (
        "/Resources/Fn::ForEach::Tables/2/DynamoDB${TableName}/Properties/BillingMode")
    assert expansion.source_pointer("/Resources/DynamoDBScore/Properties/Missing/Deeper") == (
        "/Resources/Fn::ForEach::Tables/2/DynamoDB${TableName}/Properties")


def test_nested_loops_a_list_parameter_and_both_kinds_of_placeholder():
    data = {
        "Transform": ["AWS::LanguageExtensions"],
        "Parameters": {"Kinds": {"Type": "CommaDelimitedList", "Default": "Public, Private"}},
        "Resources": {"Fn::ForEach::Kinds": ["Kind", {"Ref": "Kinds"}, {"Fn::ForEach::Numbers": ["N", ["1", "2"], {
            "${Kind}Subnet&{N}": {"Type": "AWS::EC2::Subnet", "Properties": {
                "Tags": [{"Key": "Name", "Value": {"Fn::Sub": "${Kind}-${N}-${AWS::Region}"}}],
                "RouteTableId": {"Ref": {"Fn::Sub": "${Kind}RouteTable${N}"}}}}}]}]},
    }
    expansion = expand(data, "Resources")
    assert list(expansion.items) == ["PublicSubnet1", "PublicSubnet2", "PrivateSubnet1", "PrivateSubnet2"]
    props = expansion.items["PrivateSubnet2"]["Properties"]
    assert props["Tags"][0]["Value"] == {"Fn::Sub": "Private-2-${AWS::Region}"}
    assert props["RouteTableId"] == {"Ref": "PrivateRouteTable2"}
    assert expansion.origins["PrivateSubnet2"].pointer == (
        "/Resources/Fn::ForEach::Kinds/2/Fn::ForEach::Numbers/2/${Kind}Subnet&{N}")


def test_a_sub_without_variables_left_becomes_its_text():
    expanded = substitute({"Fn::GetAtt": [{"Fn::Sub": "Bucket${Id}"}, "Arn"]}, {"Id": "A"})
    assert expanded == {"Fn::GetAtt": ["BucketA", "Arn"]}


def test_loops_run_only_under_the_transform_and_an_unknown_collection_makes_nothing():
    assert expand(document(TABLES.replace("Transform: AWS::LanguageExtensions\n", "")).data, "Resources").items == {}
    unknown = TABLES.replace("[Points, Score]", "!FindInMap [Tables, !Ref Env, Names]")
    assert expand(document(unknown).data, "Resources").items == {}


def test_findings_on_a_loop_land_in_its_body_and_the_fix_is_written_there_once():
    result = findings(TABLES, "CD2002")
    assert [(f.resource, f.line, f.severity) for f in result] == [
        ("DynamoDBPoints", 8, Severity.LOW), ("DynamoDBScore", 8, Severity.LOW)]
    assert {f.pointer for f in result} == {"/Resources/Fn::ForEach::Tables/2/DynamoDB${TableName}/Properties"}
    fix = result[0].fix
    assert fix.safety == "safe" and fix.note == ("written into the loop body of Fn::ForEach::Tables, so it changes "
                                                 "every resource the loop makes (DynamoDBPoints, DynamoDBScore)")
    assert fixed(TABLES, "CD2002").text == TABLES + "          SSESpecification:\n            SSEEnabled: true\n"


def test_a_fix_outside_the_loop_body_is_not_offered():
    result = findings(TABLES, "CD5003")
    assert len(result) == 2 and all(f.fix is None for f in result)


def test_a_fix_over_a_value_the_loop_fills_in_is_not_offered():
    template = TABLES.replace("[Points, Score]", "['false', 'False']").replace(
        "BillingMode: PAY_PER_REQUEST", "DeletionProtectionEnabled: !Ref TableName")
    result = findings(template, "CD1006")
    assert [f.resource for f in result] == ["DynamoDBfalse", "DynamoDBFalse"] and all(f.fix is None for f in result)


def test_a_loop_body_suppression_silences_every_element():
    typed = "        Type: AWS::DynamoDB::Table\n"
    template = TABLES.replace(typed, typed + "        Metadata: {cfn-doctor: {ignore: [CD2002]}}\n")
    assert findings(template, "CD2002") == []


def test_an_exported_loop_output_counts():
    template = TABLES + """Outputs:
  Fn::ForEach::Exports:
    - TableName
    - [Points, Score]
    - ${TableName}Arn:
        Value: !GetAtt [!Sub 'DynamoDB${TableName}', Arn]
        Export: {Name: !Sub '${TableName}-arn'}
"""
    assert findings(template, "CD5003") == []


class FirstElementOnly(Rule[None]):
    """A rule that flags one element of a loop with a fix that the body could take."""

    id: ClassVar[str] = "CD9999"
    title: ClassVar[str] = "test"
    severity: ClassVar[Severity] = Severity.LOW
    docs_url: ClassVar[str] = "https://example.com"

    def check(self, context: Context) -> Iterator[Violation[None]]:
        yield Violation("/Resources/DynamoDBPoints/Properties/BillingMode", "flagged", "DynamoDBPoints", data=None)

    def fix(self, context: Context, violation: Violation[None]) -> list[Fix]:
        return [Fix("set", (Set("/Resources/DynamoDBPoints/Properties/BillingMode", "PROVISIONED"),))]


def test_a_fix_only_some_elements_need_is_not_written_into_the_body():
    (finding,) = analyse(document(TABLES), profiles.load("default"), [FirstElementOnly])
    assert finding.line == 10 and finding.fix is None
