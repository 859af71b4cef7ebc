"""Settings judged by every value a deploy can give them, and fixes that keep the
template's own logic (Fn::If branches, conditions) — modelled on widdix's state
templates, aws-refarch-wordpress and the conditional stores of waf-automations and
widdix/cloudtrail."""

from collections import Counter

import pytest

from app.cfn_lint import lint
from app.core.findings import Severity
from tests.rules.helpers import findings, fixed

KMS_CONDITION = """Parameters:
  ParentKmsKeyStack: {Type: String, Default: ''}
Conditions:
  HasKmsKey: !Not [!Equals [!Ref ParentKmsKeyStack, '']]
Resources:
"""

ENCRYPTED_WITH_KEY_ONLY = KMS_CONDITION + """  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: !If [HasKmsKey, true, false]
        SSEType: !If [HasKmsKey, KMS, !Ref 'AWS::NoValue']
"""


def test_a_setting_off_in_the_default_branch_is_flagged_and_fixed_in_that_branch():
    (finding,) = findings(ENCRYPTED_WITH_KEY_ONLY, "CD2002")
    assert finding.message.endswith("SSEEnabled is not on — false when HasKmsKey is false (the default)")
    assert finding.severity is Severity.LOW and finding.line == 10
    assert finding.fix.safety == "safe"
    expected = ENCRYPTED_WITH_KEY_ONLY.replace("!If [HasKmsKey, true, false]", "!If [HasKmsKey, true, true]")
    assert fixed(ENCRYPTED_WITH_KEY_ONLY, "CD2002").text == expected


def test_a_no_value_branch_gets_the_setting_and_the_other_branch_is_kept():
    template = KMS_CONDITION + """  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification: !If [HasKmsKey, {SSEEnabled: true, SSEType: KMS}, !Ref 'AWS::NoValue']
"""
    (finding,) = findings(template, "CD2002")
    assert "not set when HasKmsKey is false (the default)" in finding.message
    expected = template.replace("!Ref 'AWS::NoValue'", "{SSEEnabled: true}")
    assert fixed(template, "CD2002").text == expected


def test_an_unencrypted_database_by_default_is_flagged_and_its_fix_replaces():
    template = KMS_CONDITION + """  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      StorageEncrypted: !If [HasKmsKey, true, false]
"""
    (finding,) = findings(template, "CD2001")
    assert finding.severity is Severity.HIGH
    assert "StorageEncrypted is not on — false when HasKmsKey is false (the default)" in finding.message
    assert finding.fix.safety == "unsafe" and "replaces Db" in finding.fix.note
    expected = template.replace("!If [HasKmsKey, true, false]", "!If [HasKmsKey, true, true]")
    assert fixed(template, "CD2001", unsafe=True).text == expected


DEV_WITHOUT_PROTECTION = """Parameters:
  Stage: {Type: String, Default: prod, AllowedValues: [prod, dev]}
Conditions:
  IsDev: !Equals [!Ref Stage, dev]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DeletionProtection: !If [IsDev, false, true]
"""


def test_a_branch_only_a_deliberate_choice_reaches_is_milder_and_its_fix_unsafe():
    (finding,) = findings(DEV_WITHOUT_PROTECTION, "CD1003")
    assert finding.severity is Severity.LOW  # the rule's medium, one step down
    assert finding.message.endswith("DeletionProtection is not on — false when IsDev is true")
    fix = finding.fix
    assert fix.safety == "unsafe"
    assert fix.note.startswith("also sets Db's DeletionProtection when IsDev is true: a case the template configures")
    expected = DEV_WITHOUT_PROTECTION.replace("!If [IsDev, false, true]", "!If [IsDev, true, true]")
    assert fixed(DEV_WITHOUT_PROTECTION, "CD1003", unsafe=True).text == expected


@pytest.mark.parametrize(("default", "allowed", "fires", "severity", "when"), [
    ("'false'", "['true', 'false']", True, Severity.HIGH, "'false' by default (Encrypt defaults to 'false')"),
    ("'true'", "['true', 'false']", True, Severity.MEDIUM, "'false' when Encrypt is 'false'"),
    ("'true'", "['true']", False, None, None),
])
def test_a_setting_from_a_parameter_is_judged_by_its_default_and_allowed_values(default, allowed, fires, severity,
                                                                                 when):
    template = f"""Parameters:
  Encrypt: {{Type: String, Default: {default}, AllowedValues: {allowed}}}
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      StorageEncrypted: !Ref Encrypt
"""
    result = findings(template, "CD2001")
    assert bool(result) is fires
    if fires:
        (finding,) = result
        assert finding.severity is severity and finding.message.endswith(when)
        assert finding.fix is None  # the choice belongs to whoever deploys


def test_a_free_parameter_without_default_is_not_judged():
    template = ("Parameters:\n  Encrypt: {Type: String}\nResources:\n  Db:\n    Type: AWS::RDS::DBCluster\n"
                "    Properties: {StorageEncrypted: !Ref Encrypt}\n")
    assert findings(template, "CD2001") == []


PUBLIC_MODES = """Parameters:
  Access: {Type: String, Default: Private, AllowedValues: [Private, PublicRead]}
Conditions:
  HasBlockPublicAccess: !Equals [!Ref Access, Private]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration: !If [HasBlockPublicAccess, {BlockPublicAcls: true, BlockPublicPolicy: true, \
IgnorePublicAcls: true, RestrictPublicBuckets: true}, {BlockPublicAcls: true, BlockPublicPolicy: false, \
IgnorePublicAcls: true, RestrictPublicBuckets: false}]
"""


def test_public_access_block_is_read_per_branch_and_a_public_mode_is_not_flattened():
    (finding,) = findings(PUBLIC_MODES, "CD2004")
    assert finding.message == ("Bucket's public-access block leaves BlockPublicPolicy, RestrictPublicBuckets off "
                               "when HasBlockPublicAccess is false")
    assert finding.severity is Severity.LOW
    fix = finding.fix
    assert fix.safety == "unsafe" and "public mode the template offers on purpose" in fix.note
    result = fixed(PUBLIC_MODES, "CD2004", unsafe=True).text
    assert result == PUBLIC_MODES.replace("BlockPublicPolicy: false", "BlockPublicPolicy: true").replace(
        "RestrictPublicBuckets: false", "RestrictPublicBuckets: true")


def test_a_switch_off_by_default_is_fixed_safely_in_its_branch():
    template = PUBLIC_MODES.replace("Default: Private", "Default: PublicRead")
    (finding,) = findings(template, "CD2004")
    assert finding.severity is Severity.MEDIUM
    assert finding.message.endswith("off when HasBlockPublicAccess is false (the default)")
    assert finding.fix.safety == "safe"


def test_a_switch_chosen_by_a_condition_inside_the_block():
    template = """Parameters:
  Public: {Type: String, Default: 'no', AllowedValues: ['yes', 'no']}
Conditions:
  IsPublic: !Equals [!Ref Public, 'yes']
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: !If [IsPublic, false, true]
        IgnorePublicAcls: true
"""
    (finding,) = findings(template, "CD2004")
    assert finding.message == ("Bucket's public-access block leaves RestrictPublicBuckets off, "
                               "and BlockPublicPolicy off when IsPublic is true")
    assert finding.pointer == "/Resources/Bucket/Properties/PublicAccessBlockConfiguration"
    needed, everything = finding.fixes
    assert needed.safety == "safe" and needed.title.endswith("(where a default deploy needs it)")
    assert [edit.pointer.rsplit("/", 1)[1] for edit in needed.edits] == ["RestrictPublicBuckets"]
    assert everything.safety == "unsafe" and len(everything.edits) == 2
    assert fixed(template, "CD2004", unsafe=True).text == template.replace(
        "!If [IsPublic, false, true]", "!If [IsPublic, true, true]") + "        RestrictPublicBuckets: true\n"


CONDITIONAL_STORE = """Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsNotProd: !Not [!Equals [!Ref Env, prod]]
Resources:
  ListenerTable:
    Type: AWS::DynamoDB::Table
    Condition: IsNotProd
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
"""


def test_an_export_of_a_conditional_store_carries_its_condition_and_deploys():
    result = fixed(CONDITIONAL_STORE, "CD5003").text
    assert result == CONDITIONAL_STORE + """Outputs:
  ListenerTable:
    Condition: IsNotProd
    Description: Name of ListenerTable
    Value: !Ref ListenerTable
    Export:
      Name: !Sub ${AWS::StackName}-ListenerTable
  ListenerTableArn:
    Condition: IsNotProd
    Description: ARN of ListenerTable
    Value: !GetAtt ListenerTable.Arn
    Export:
      Name: !Sub ${AWS::StackName}-ListenerTableArn
"""
    problems = Counter(f.rule for f in lint(result) if f.rule.startswith("E") or f.rule == "W1001")
    assert problems == Counter()
