from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.edits import Remove
from app.core.findings import Fix, Severity
from app.core.intrinsics import function_call, references
from rules import template as tpl
from rules.base import Rule, Violation
from rules.context import Context
from rules.setting import milder
from rules.values import ABSENT, Outcome

PASSWORD_PROPERTY = {
    "AWS::RDS::DBCluster": "MasterUserPassword",
    "AWS::RDS::DBInstance": "MasterUserPassword",
    "AWS::DocDB::DBCluster": "MasterUserPassword",
    "AWS::Redshift::Cluster": "MasterUserPassword",
}
MANAGED = ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance")
SECRET_REFERENCES = ("{{resolve:secretsmanager:", "{{resolve:ssm-secure:")
PLAIN_PARAMETER_STORE = "{{resolve:ssm:"
WRITTEN = "is written in the template"
#: the stack's own names: public to anyone who can see the stack
PSEUDO_PARAMETERS = ("AWS::StackName", "AWS::StackId", "AWS::Region", "AWS::AccountId", "AWS::Partition",
                     "AWS::URLSuffix")


@dataclass(frozen=True)
class Exposure:
    """How one branch of the password exposes it, and when that branch is taken."""

    problem: str
    branch: Outcome


class PlaintextMasterPassword(Rule[str]):
    """## What it does
    Flags a database master password written into the template as text (also through
    `Fn::Join`, `Fn::Sub` or a mapping), taken from a plain Parameter Store value
    (`{{resolve:ssm:...}}`, an `AWS::SSM::Parameter::Value` parameter) rather than a
    SecureString or Secrets Manager, or passed in a parameter without `NoEcho: true` or
    whose `Default` is written in the template. A password chosen by an `Fn::If` is judged
    branch by branch, and the finding says when the exposed one is used.

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
    dynamic reference: `{{resolve:secretsmanager:MySecret:SecretString:password}}`. No
    fix is offered for a password chosen by an `Fn::If`: its other branches are the
    template's own choice.

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
            exposures = self._exposures(context, body)
            if not exposures:
                continue
            pointer = tpl.resource_pointer(name, "Properties", prop)
            advice = "use ManageMasterUserPassword or a Secrets Manager dynamic reference"
            message = f"{name}'s {prop} {_described(exposures)}: {advice}"
            severity = None if any(exposure.branch.default for exposure in exposures) else milder(self.severity)
            yield Violation(pointer, message, name, severity=severity, data=name)

    def _exposures(self, context: Context, body: dict[str, Any]) -> list[Exposure]:
        prop = PASSWORD_PROPERTY[body["Type"]]
        exposures = []
        for branch in context.values.branches(tpl.properties(body), prop):
            problem = self._problem(context, branch.value)
            if problem:
                exposures.append(Exposure(problem, branch))
        return exposures

    def _problem(self, context: Context, value: Any) -> str | None:
        if value is ABSENT:
            return None
        if isinstance(value, str):
            return _text_problem(value, complete=True)
        call = function_call(value)
        if call is None:
            return WRITTEN  # a number, or any other literal
        function, argument = call
        if function == "Ref":
            return self._parameter_problem(context, argument)
        if function in ("Join", "Sub"):
            return self._built_problem(context, value)
        if function == "FindInMap":
            mapped = [outcome.value for outcome in context.values.outcomes(value)]
            return f"{WRITTEN} (mapping {argument[0]})" if any(isinstance(text, str) for text in mapped) else None
        return None  # an attribute, an import: only a deployment can tell

    def _parameter_problem(self, context: Context, name: Any) -> str | None:
        parameter = context.parameters.get(name) if isinstance(name, str) else None
        if not isinstance(parameter, dict):
            return None
        if str(parameter.get("Type", "")).startswith("AWS::SSM::Parameter::Value"):
            return f"comes from parameter {name}, a plain Parameter Store value (a String, not a SecureString)"
        if tpl.literal_bool(parameter.get("NoEcho")) is not True:
            return f"comes from parameter {name}, which lacks NoEcho and shows in the console and API"
        default = parameter.get("Default")
        if isinstance(default, str | int) and str(default) and not str(default).startswith(SECRET_REFERENCES):
            return (f"comes from parameter {name}, whose Default {WRITTEN} "
                    "(NoEcho hides only a value passed in)")
        return None

    def _built_problem(self, context: Context, value: Any) -> str | None:
        """A password put together by ``Fn::Join`` or ``Fn::Sub``: judged by the text it
        starts with, then by what it is built from."""
        prefix, known = _built_text(value)
        problem = _text_problem(prefix, complete=known)
        if problem or prefix.startswith(SECRET_REFERENCES):
            return problem
        for referenced, _ in references(value):
            problem = self._parameter_problem(context, referenced)
            if problem:
                return problem
        return None

    def fix(self, context: Context, violation: Violation[str]) -> list[Fix]:
        name = violation.data
        body = context.resources[name]
        if body["Type"] not in MANAGED or any(e.branch.conditional for e in self._exposures(context, body)):
            return []
        managed = tpl.set_nested(tpl.resource_pointer(name), body, ("ManageMasterUserPassword",), True)
        if managed is None:
            return []
        note = (f"the master password of {name} changes: "
                "clients using the old one lose access until they read the new secret")
        edits = (Remove(tpl.resource_pointer(name, "Properties", PASSWORD_PROPERTY[body["Type"]])), *managed)
        return [Fix("Let RDS manage the password in Secrets Manager", edits, "unsafe", note)]


def _text_problem(text: str, *, complete: bool) -> str | None:
    """What is wrong with a password that is, or starts with, ``text``."""
    if text.startswith(PLAIN_PARAMETER_STORE):
        return "is a plain Parameter Store reference (a String, not a SecureString)"
    if text.startswith(SECRET_REFERENCES) or not complete:
        return None
    return WRITTEN


def _built_text(value: Any) -> tuple[str, bool]:
    """The text a ``Fn::Join`` or ``Fn::Sub`` starts with, and whether that is all of it
    and known from the template alone (literals and the stack's own names)."""
    function, argument = function_call(value) or ("", None)
    if function == "Sub":
        text = argument if isinstance(argument, str) else argument[0] if isinstance(argument, list) else ""
        if not isinstance(text, str):
            return "", False
        prefix = text.split("${", 1)[0]
        names = {name for name, _ in references(value)}
        return prefix, all(name in PSEUDO_PARAMETERS for name in names) and not isinstance(argument, list)
    if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list)):
        return "", False
    delimiter, parts = argument
    texts: list[str] = []
    for part in parts:
        if not isinstance(part, str | int):
            return str(delimiter).join(texts), False
        texts.append(str(part))
    return str(delimiter).join(texts), True


def _described(exposures: Sequence[Exposure]) -> str:
    """"is written in the template", or each problem with when its branch is taken."""
    if any(not exposure.branch.conditional for exposure in exposures):
        return exposures[0].problem
    return "; ".join(f"{exposure.problem} {exposure.branch.when}"
                     + (" (the default)" if exposure.branch.default else "") for exposure in exposures)
