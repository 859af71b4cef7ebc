"""CD1007 (versioning on buckets of record) and CD1008 (a KMS key's deletion window)."""

import pytest

from app.core.findings import Severity
from tests.rules.helpers import findings, fixed

BUCKETS = """Resources:
  Invoices:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}
  Site:
    Type: AWS::S3::Bucket
    Properties:
      WebsiteConfiguration: {IndexDocument: index.html}
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules:
          - {Id: Expire, Status: Enabled, ExpirationInDays: 1}
"""


def test_only_buckets_of_record_need_versioning_and_the_fix_turns_it_on():
    (finding,) = findings(BUCKETS, "CD1007")
    assert (finding.resource, finding.severity) == ("Invoices", Severity.MEDIUM)
    assert finding.message == ("Invoices holds a system of record, and versioning is off: an object overwritten or "
                               "deleted by mistake is gone")
    assert finding.fix.safety == "safe"
    expected = BUCKETS.replace("SSEAlgorithm: AES256}\n", "SSEAlgorithm: AES256}\n"
                               "      VersioningConfiguration:\n        Status: Enabled\n", 1)
    assert fixed(BUCKETS, "CD1007").text == expected


def test_suspended_versioning_is_set_back_to_enabled():
    template = "Resources:\n  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n" \
               "        Status: Suspended\n"
    (finding,) = findings(template, "CD1007")
    assert "versioning is Suspended" in finding.message
    assert fixed(template, "CD1007").text == template.replace("Suspended", "Enabled")


def test_a_bucket_a_profile_calls_rebuildable_needs_no_versioning(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("stateful_types:\n  AWS::S3::Bucket: {class: rebuildable}\n")
    assert findings(BUCKETS, "CD1007", str(profile)) == []


KEY = """Resources:
  DataKey:
    Type: AWS::KMS::Key
    DeletionPolicy: {policy}
    Properties:
      KeyPolicy: {{Version: '2012-10-17', Statement: []}}
      PendingWindowInDays: {days}
"""


def test_a_key_the_stack_may_delete_waits_the_longest_window():
    template = KEY.format(policy="Delete", days=7)
    (finding,) = findings(template, "CD1008")
    assert finding.severity is Severity.MEDIUM
    assert finding.pointer == "/Resources/DataKey/Properties/PendingWindowInDays"
    assert finding.message.startswith("DataKey's PendingWindowInDays is 7: once CloudFormation removes the key")
    assert fixed(template, "CD1008").text == KEY.format(policy="Delete", days=30)


@pytest.mark.parametrize(("policy", "days"), [("Retain", 7), ("Delete", 30)])
def test_a_retained_key_or_the_longest_window_passes(policy, days):
    assert findings(KEY.format(policy=policy, days=days), "CD1008") == []


def test_a_window_from_a_parameter_says_when_and_is_left_to_the_deploy():
    template = "Parameters:\n  Window: {Type: Number, Default: 7}\n" + KEY.format(policy="Delete", days="!Ref Window")
    (finding,) = findings(template, "CD1008")
    assert "PendingWindowInDays is 7 by default (Window defaults to 7)" in finding.message
    assert finding.fixes == ()
