"""The one fix plan that the CLI, Fix All and its preview share: overlapping fixes are
re-derived in a later pass, never dropped; what is not applied says why; the plan's one
batch gives exactly the planned result."""

from app.analysis import analyse
from app.core.document import Document
from app.fixing import fix_all, plan
from rules import profiles
from tests.app.core.test_document_integrity import SHARED  # databases sharing properties by anchor

PROFILE = profiles.load("default")
BARE_BUCKET = ("Resources:\n  Uploads:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n"
               "    UpdateReplacePolicy: Retain\n")
DASHBOARD = """Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST
  Jobs:
    Type: AWS::SQS::Queue
  Board:
    Type: AWS::CloudWatch::Dashboard
    Properties:
      DashboardBody: '{"widgets": []}'
"""


def test_two_fixes_of_one_property_both_apply_in_turn():
    document = Document.from_text(DASHBOARD, "t.yaml")
    chosen = [(finding, finding.fix) for finding in analyse(document, PROFILE) if finding.rule == "CD5001"]
    assert len(chosen) == 2  # both set Board's DashboardBody
    result = plan(document, PROFILE, analyse, chosen=chosen)
    assert [finding.rule for finding, _ in result.applied] == ["CD5001", "CD5001"] and result.skipped == []
    assert result.passes == 2
    body = result.result.data["Resources"]["Board"]["Properties"]["DashboardBody"]
    assert "AWS/DynamoDB" in str(body) and "AWS/SQS" in str(body)
    assert not [f for f in analyse(result.result, PROFILE) if f.rule == "CD5001"]


def test_the_plans_one_batch_gives_exactly_the_previewed_text():
    document = Document.from_text(BARE_BUCKET, "t.yaml")
    result = plan(document, PROFILE, analyse)
    assert document.text == BARE_BUCKET  # planning never touches the document
    document.apply(result.edits)
    assert document.text == result.result.text
    props = document.data["Resources"]["Uploads"]["Properties"]
    # Both fixes create the bucket's Properties: the second waited a pass, and both apply.
    assert {"PublicAccessBlockConfiguration", "BucketEncryption"} <= set(props) and result.passes >= 2


def test_a_waiting_fix_whose_finding_is_gone_is_reported_not_counted():
    document = Document.from_text(BARE_BUCKET, "t.yaml")

    def resolved_by_the_first(doc, profile):
        found = analyse(doc, profile)
        if "Properties" in doc.data["Resources"]["Uploads"]:
            found = [finding for finding in found if finding.rule != "CD2003"]
        return found

    chosen = [(f, f.fix) for f in analyse(document, PROFILE) if f.rule in ("CD2003", "CD2004")]
    result = plan(document, PROFILE, resolved_by_the_first, chosen=chosen)
    assert [finding.rule for finding, _ in result.applied] == ["CD2004"]
    ((finding, _, reason),) = result.skipped
    assert finding.rule == "CD2003" and "no longer needed" in reason


def test_fix_all_applies_the_plan_as_one_batch_and_leaves_nothing_fixable():
    document = Document.from_text(DASHBOARD, "t.yaml")
    revision = document.revision
    report = fix_all(document, PROFILE, analyse)
    assert document.revision == revision + 1  # one batch
    assert report.applied and not [f for f in analyse(document, PROFILE) if f.fix and f.fix.safety == "safe"]


def test_fix_on_one_database_leaves_the_one_sharing_its_properties_alone():
    source = SHARED.replace("StorageEncrypted: false", "DeletionProtection: false").replace("CD2001", "CD1003")
    document = Document.from_text(source, "t.yaml")
    fix_all(document, PROFILE, analyse, rules={"CD1003"})
    assert Document.from_text(document.text, "again.yaml").data == document.data
    properties = {name: body["Properties"] for name, body in document.data["Resources"].items()}
    assert properties["Ledger"]["DeletionProtection"] is True
    assert properties["Archive"]["DeletionProtection"] is True
    assert properties["Reports"] == {"Engine": "aurora-mysql", "DeletionProtection": False}
