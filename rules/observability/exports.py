"""Stack outputs that export a resource's name and ARN for other stacks."""

from __future__ import annotations

from typing import Any

from app.core import pointer as jp
from app.core.edits import Add, Edit
from app.core.intrinsics import references
from rules import template as tpl

MAX_OUTPUTS = 200  # CloudFormation's limit per template

#: GetAtt attribute holding the ARN, per type (None: the type has no ARN attribute).
ARN_ATTRIBUTE: dict[str, str | None] = {
    "AWS::DynamoDB::Table": "Arn",
    "AWS::DynamoDB::GlobalTable": "Arn",
    "AWS::RDS::DBCluster": "DBClusterArn",
    "AWS::RDS::DBInstance": "DBInstanceArn",
    "AWS::S3::Bucket": "Arn",
    "AWS::Kinesis::Stream": "Arn",
    "AWS::DocDB::DBCluster": None,
    "AWS::Neptune::DBCluster": None,
    "AWS::Redshift::Cluster": None,
}


def exported_names(data: dict[str, Any]) -> set[str]:
    """Logical ids that some exported output refers to."""
    names: set[str] = set()
    for output in tpl.outputs(data).values():
        if isinstance(output, dict) and "Export" in output:
            names |= {name for name, _ in references(output.get("Value"))}
    return names


def export_outputs(name: str, resource_type: str, description: str, taken: set[str],
                   output_names: tuple[str, str] | None = None) -> dict[str, Any]:
    """Outputs for a resource's name (``Ref``) and ARN, each exported as
    ``${AWS::StackName}-<output name>``."""
    name_output, arn_output = output_names or (name, f"{name}Arn")
    result: dict[str, Any] = {}
    for output, value, what in ((name_output, {"Ref": name}, "Name"),
                                (arn_output, {"Fn::GetAtt": [name, ARN_ATTRIBUTE.get(resource_type) or ""]}, "ARN")):
        if what == "ARN" and not ARN_ATTRIBUTE.get(resource_type):
            continue
        while output in taken:
            output += "Export"
        result[output] = {
            "Description": f"{what} of {description}",
            "Value": value,
            "Export": {"Name": {"Fn::Sub": f"${{AWS::StackName}}-{output}"}},
        }
    return result


def add_outputs_edits(data: dict[str, Any], new_outputs: dict[str, Any]) -> list[Edit]:
    if "Outputs" not in data:
        return [Add("/Outputs", new_outputs)]
    return [Add(jp.join(["Outputs", output]), value) for output, value in new_outputs.items()]
