import pytest

from app.analysis import analyse
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
    ("CD2004", BUCKET + "    Properties:\n      PublicAccessBlockConfiguration: {BlockPublicAcls: true}\n", BLOCKED),
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
