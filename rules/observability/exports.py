"""Stack outputs that export a resource's name and ARN for other stacks."""

from __future__ import annotations

import re
from typing import Any

from app.core import pointer as jp
from app.core.edits import Add, Edit
from app.core.intrinsics import references

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


def exported_names(outputs: dict[str, Any]) -> set[str]:
    """Logical ids that some exported output refers to."""
    names: set[str] = set()
    for output in outputs.values():
        if isinstance(output, dict) and "Export" in output:
            names |= {name for name, _ in references(output.get("Value"))}
    return names


def export_outputs(name: str, resource_type: str, description: str, taken: set[str],
                   output_names: tuple[str, str] | None = None, condition: str | None = None) -> dict[str, Any]:
    """Outputs for a resource's name (``Ref``) and ARN, each exported as
    ``${AWS::StackName}-<output name>``.  A resource created only under ``condition``
    is exported under it too: an output that refers to a resource the stack does not
    create cannot deploy."""
    # An output's logical id is alphanumeric even where the resource's is not (cfn-lint E6001).
    stem = re.sub(r"[^A-Za-z0-9]", "", name) or "Resource"
    name_output, arn_output = output_names or (stem, f"{stem}Arn")
    guard = {"Condition": condition} if condition else {}
    result: dict[str, Any] = {}
    for output, value, what in ((name_output, {"Ref": name}, "Name"),
                                (arn_output, {"Fn::GetAtt": [name, ARN_ATTRIBUTE.get(resource_type) or ""]}, "ARN")):
        if what == "ARN" and not ARN_ATTRIBUTE.get(resource_type):
            continue
        while output in taken:
            output += "Export"
        result[output] = {
            **guard,
            "Description": f"{what} of {description}",
            "Value": value,
            "Export": {"Name": {"Fn::Sub": f"${{AWS::StackName}}-{output}"}},
        }
    return result


def resource_condition(body: dict[str, Any]) -> str | None:
    """The condition a resource is created under, if any."""
    condition = body.get("Condition")
    return condition if isinstance(condition, str) else None


def add_outputs_edits(data: dict[str, Any], new_outputs: dict[str, Any]) -> list[Edit]:
    if "Outputs" not in data:
        return [Add("/Outputs", new_outputs)]
    return [Add(jp.join(["Outputs", output]), value) for output, value in new_outputs.items()]
