from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core.edits import Remove
from app.core.findings import Fix, Severity
from app.core.intrinsics import references
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context

PASSWORD_PROPERTY = {
    "AWS::RDS::DBCluster": "MasterUserPassword",
    "AWS::RDS::DBInstance": "MasterUserPassword",
    "AWS::DocDB::DBCluster": "MasterUserPassword",
    "AWS::Redshift::Cluster": "MasterUserPassword",
}
MANAGED = ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance")
SECRET_REFERENCES = ("{{resolve:secretsmanager:", "{{resolve:ssm-secure:")


class PlaintextMasterPassword(Rule[str]):
    """## What it does
    Flags a database master password written into the template as text, or passed in a
    parameter without `NoEcho: true`.

    ## Why is this bad?
    The template, its parameters and the stack's events are readable by everyone with
    `cloudformation:Describe*` and live on in version control: the password of the
    database that holds the data is not secret.

    ## Example
    ```yaml
    LedgerCluster:
      Type: AWS::RDS::DBCluster
      Properties:
        MasterUserPassword: hunter2
    ```

    ## Fix
    For RDS, replaces the password with `ManageMasterUserPassword: true`, so RDS keeps
    a rotated password in Secrets Manager. **Unsafe**: the password changes, and every
    client using the old one loses access until it reads the secret. Otherwise use a
    dynamic reference: `{{resolve:secretsmanager:MySecret:SecretString:password}}`.

    ## References
    - AWS: Password management with Amazon RDS and AWS Secrets Manager
    - AWS: Using dynamic references to specify template values
    """

    id = "CD2005"
    title = "Database password in plain text"
    severity = Severity.HIGH
    tags = ("secrets",)
    docs_url = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html"

    def check(self, context: Context) -> Iterator[Violation[str]]:
        for name, body in context.of_type(*PASSWORD_PROPERTY):
            prop = PASSWORD_PROPERTY[body["Type"]]
            value = tpl.properties(body).get(prop)
            if value is None:
                continue
            problem = self._problem(context, value)
            if problem:
                pointer = tpl.resource_pointer(name, "Properties", prop)
                advice = "use ManageMasterUserPassword or a Secrets Manager dynamic reference"
                yield Violation(pointer, f"{name}'s {prop} {problem}: {advice}", name, data=name)

    def _problem(self, context: Context, value: Any) -> str | None:
        if isinstance(value, str):
            return None if value.startswith(SECRET_REFERENCES) else "is written in the template"
        for referenced, _ in references(value):
            parameter = context.parameters.get(referenced)
            if isinstance(parameter, dict) and tpl.literal_bool(parameter.get("NoEcho")) is not True:
                return f"comes from parameter {referenced}, which lacks NoEcho and shows in the console and API"
        return None

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        name = violation.data
        body = context.resources[name]
        if body["Type"] not in MANAGED:
            return []
        managed = tpl.set_nested(tpl.resource_pointer(name), body, ("ManageMasterUserPassword",), True)
        if managed is None:
            return []
        note = (f"the master password of {name} changes: "
                "clients using the old one lose access until they read the new secret")
        edits = (Remove(violation.pointer), *managed)
        return [Fix("Let RDS manage the password in Secrets Manager", edits, "unsafe", note)]
