import pytest

from app.analysis import analyse
from app.core.document import Document
from app.core.findings import Severity
from app.fixing import fix_all
from rules import profiles
from tests.rules.helpers import document, findings, fixed


def test_unencrypted_cluster_fix_is_unsafe_and_says_it_replaces():
    template = "Resources:\n  LedgerCluster:\n    Type: AWS::RDS::DBCluster\n    Properties: {Engine: aurora-mysql}\n"
    (finding,) = findings(template, "CD2001")
    assert finding.severity is Severity.HIGH
    fix = finding.fix
    assert fix is not None and fix.safety == "unsafe"
    assert fix.note == ("turning on StorageEncrypted replaces LedgerCluster: a new, empty database cluster; "
                        "with UpdateReplacePolicy Delete the old database cluster and its data are deleted")
    expected = template.replace("{Engine: aurora-mysql}", "{Engine: aurora-mysql, StorageEncrypted: true}")
    assert fixed(template, "CD2001", unsafe=True).text == expected


@pytest.mark.parametrize("props", ["{StorageEncrypted: true}", "{SnapshotIdentifier: snap}", "{EngineMode: serverless}",
                                   "{StorageEncrypted: 'true'}"])
def test_encrypted_or_restored_clusters_pass(props):
    assert findings(f"Resources:\n  C:\n    Type: AWS::RDS::DBCluster\n    Properties: {props}\n", "CD2001") == []


def test_unsafe_fix_not_applied_without_permission():
    doc = document("Resources:\n  C:\n    Type: AWS::RDS::DBCluster\n")
    assert fix_all(doc, profiles.load("default"), analyse, rules={"CD2001"}).applied == []


TABLE = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"
BUCKET = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
BLOCKED = BUCKET + """    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
"""


@pytest.mark.parametrize(("rule", "template", "expected"), [
    ("CD2002", TABLE, TABLE + "    Properties:\n      SSESpecification:\n        SSEEnabled: true\n"),
    ("CD2003", BUCKET, BUCKET + """    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
"""),
    ("CD2004", BUCKET, BLOCKED),
    ("CD2004", BUCKET + "    Properties:\n      PublicAccessBlockConfiguration: {BlockPublicAcls: true}\n",
     BUCKET + "    Properties:\n      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true,"
     " IgnorePublicAcls: true, RestrictPublicBuckets: true}\n"),
])
def test_safe_encryption_fixes(rule, template, expected):
    (finding,) = findings(template, rule)
    assert finding.fix.safety == "safe"
    assert fixed(template, rule).text == expected
    assert findings(expected, rule) == []


def test_website_bucket_is_meant_to_be_public():
    template = ("Resources:\n  Site:\n    Type: AWS::S3::Bucket\n"
                "    Properties: {WebsiteConfiguration: {IndexDocument: index.html}}\n")
    assert findings(template, "CD2004") == []


PASSWORD = """Parameters:
  Secret: {{Type: String{noecho}}}
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      MasterUserPassword: {value}
"""


@pytest.mark.parametrize(("value", "noecho", "fires"), [
    ("hunter2", "", True),
    ("!Ref Secret", "", True),
    ("!Sub '${Secret}'", "", True),
    ("!Ref Secret", ", NoEcho: true", False),
    ("'{{resolve:secretsmanager:db:SecretString:password}}'", "", False),
    ("!Sub '{{resolve:secretsmanager:${AWS::StackName}:SecretString:password}}'", "", False),
])
def test_plaintext_password(value, noecho, fires):
    result = findings(PASSWORD.format(value=value, noecho=noecho), "CD2005")
    assert bool(result) is fires
    if fires:
        assert result[0].line == 7 and result[0].fix.safety == "unsafe"
        assert "ManageMasterUserPassword" in result[0].message


MANAGED = """Parameters:
  Secret: {Type: String}
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      ManageMasterUserPassword: true
"""


@pytest.mark.parametrize("value", ["hunter2", "hunter2\n      ManageMasterUserPassword: false"])
def test_password_fix_switches_to_managed_password(value):
    template = PASSWORD.format(value=value, noecho="")
    assert fixed(template, "CD2005", unsafe=True).text == MANAGED


SECRET_ARN = "Parameters:\n  SecretArn: {Type: String}\n  Plain: {Type: String}\nResources:\n"
CLUSTER_PASSWORD = "  Db:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      MasterUserPassword: {value}\n"


@pytest.mark.parametrize("value", [
    "!Join ['', ['{{resolve:secretsmanager:', !Ref SecretArn, ':SecretString:password}}']]",
    "!Join ['', ['{{resolve:secretsmanager:', !ImportValue shared-secret, ':SecretString:password}}']]",
    "!Sub '{{resolve:secretsmanager:${SecretArn}:SecretString:password}}'",
    "!Sub '{{resolve:ssm-secure:${SecretArn}}}'",
    "!GetAtt Secret.Arn",
])
def test_a_password_built_as_a_secret_reference_passes(value):
    template = SECRET_ARN + CLUSTER_PASSWORD.format(value=value)
    assert findings(template, "CD2005") == []


@pytest.mark.parametrize(("value", "problem"), [
    ("'{{resolve:ssm:/db/password}}'", "is a plain Parameter Store reference (a String, not a SecureString)"),
    ("!Sub '{{resolve:ssm:/${AWS::StackName}/password}}'",
     "is a plain Parameter Store reference (a String, not a SecureString)"),
    ("!Join ['', [hunter, 2]]", "is written in the template"),
    ("!Sub 'pw-${AWS::StackName}'", "is written in the template"),
    ("!Join ['-', [pw, !Ref Plain]]", "comes from parameter Plain, which lacks NoEcho"),
])
def test_a_password_built_from_text_or_plain_parameters_is_flagged(value, problem):
    template = SECRET_ARN + CLUSTER_PASSWORD.format(value=value)
    (finding,) = findings(template, "CD2005")
    assert finding.message.startswith(f"Db's MasterUserPassword {problem}")


@pytest.mark.parametrize(("parameter", "problem"), [
    ("{Type: String, NoEcho: true, Default: wordpress}",
     "comes from parameter Secret, whose Default is written in the template (NoEcho hides only a value passed in)"),
    ("{Type: 'AWS::SSM::Parameter::Value<String>', Default: /db/password}",
     "comes from parameter Secret, a plain Parameter Store value (a String, not a SecureString)"),
    ("{Type: String, NoEcho: true, Default: ''}", None),
    ("{Type: String, NoEcho: 'true'}", None),
])
def test_password_parameters(parameter, problem):
    template = ("Parameters:\n  Secret: " + parameter + "\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
                "    Properties:\n      MasterUserPassword: !Ref Secret\n")
    result = findings(template, "CD2005")
    assert [f.message.split(": use ")[0] for f in result] == ([f"Db's MasterUserPassword {problem}"] if problem else [])


WIDDIX_PASSWORD = """Parameters:
  ParentSecretStack: {{Type: String, Default: ''}}
  SnapshotIdentifier: {{Type: String, Default: ''}}
  DBMasterUserPassword: {{Type: String, NoEcho: true, Default: {default}}}
Conditions:
  HasSecret: !Not [!Equals [!Ref ParentSecretStack, '']]
  HasSnapshot: !Not [!Equals [!Ref SnapshotIdentifier, '']]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: !If
      - HasSnapshot
      - !Ref 'AWS::NoValue'
      - !If
        - HasSecret
        - !Join ['', ['{{{{resolve:secretsmanager:', {{'Fn::ImportValue': !Sub '${{ParentSecretStack}}-SecretArn'}}, \
':SecretString:password}}}}']]
        - {fallback}
"""


def test_a_password_chosen_by_conditions_is_judged_branch_by_branch():
    assert findings(WIDDIX_PASSWORD.format(default="''", fallback="!Ref DBMasterUserPassword"), "CD2005") == []
    (finding,) = findings(WIDDIX_PASSWORD.format(default="''", fallback="hunter2"), "CD2005")
    assert finding.message.startswith("Db's MasterUserPassword is written in the template when HasSnapshot is false "
                                      "and HasSecret is false (the default): use ")
    assert finding.severity is Severity.HIGH
    assert finding.fix is None  # the other branches are the template's own choice


def test_a_plaintext_password_only_a_deliberate_choice_uses_is_milder():
    template = WIDDIX_PASSWORD.format(default="''", fallback="!Ref DBMasterUserPassword").replace(
        "- !Ref 'AWS::NoValue'", "- hunter2")
    (finding,) = findings(template, "CD2005")
    assert finding.severity is Severity.MEDIUM
    assert "is written in the template when HasSnapshot is true:" in finding.message


def test_a_cluster_restored_only_when_a_parameter_asks_is_judged_as_deployed_by_default():
    template = """
Parameters:
  Snapshot: {Type: String, Default: ''}
  KmsKey: {Type: String, Default: ''}
Conditions:
  HasSnapshot: !Not [!Equals [!Ref Snapshot, '']]
  HasKey: !Not [!Equals [!Ref KmsKey, '']]
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: aurora-postgresql
      SnapshotIdentifier: !If [HasSnapshot, !Ref Snapshot, !Ref AWS::NoValue]
      StorageEncrypted: !If [HasKey, true, false]
"""
    found = [f for f in analyse(Document.from_text(template, "t.yaml"), profiles.load("default")) if f.rule == "CD2001"]
    assert [f.resource for f in found] == ["Db"]
    assert "when HasKey is false" in found[0].message
