"""Update impact: replacements (schema, Type, overlay), cascades, conditional values, data by
policy and default, renames, conditions and policy changes, on template pairs of our own;
and every corpus template against itself."""

from __future__ import annotations

import re
import textwrap

import pytest

from app.core.document import Document
from app.impact import (
    Impact,
    impact,
    replacement_overlay,
    replacing_properties,
)
from rules import profiles
from rules.schemas import create_only_properties
from tests.conftest import corpus_files, corpus_id

PROFILE = profiles.load("default")


def plan(old: str, new: str) -> Impact:
    return impact(Document.from_text(textwrap.dedent(old), "old.yaml"),
                  Document.from_text(textwrap.dedent(new), "new.yaml"), PROFILE)


def changes(old: str, new: str) -> dict[str, object]:
    return {change.resource: change for change in plan(old, new).changes}


def resources(body: str, head: str = "") -> str:
    """A template: ``head`` (Parameters, Conditions...) and ``body`` under Resources."""
    return textwrap.dedent(head) + "Resources:\n" + textwrap.indent(textwrap.dedent(body), "  ")


TABLE = """\
Orders:
  Type: AWS::DynamoDB::Table
  {policy}Properties:
    TableName: {name}
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{{AttributeName: id, KeyType: HASH}}]
    AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
"""


def table(name: str = "orders", policy: str = "") -> str:
    return TABLE.format(name=name, policy=policy)


# -- replacement --------------------------------------------------------------------------------


def test_changing_a_create_only_property_replaces_and_loses_the_data_by_default():
    (change,) = plan(resources(table("orders")), resources(table("orders-v2"))).changes
    assert (change.resource, change.action, change.replacement) == ("Orders", "replace", "always")
    assert change.causes == ("TableName: 'orders' → 'orders-v2'",)
    # no UpdateReplacePolicy: CloudFormation deletes the old resource, for every type
    assert change.data == "lost" and change.loses_data and change.data_class == "record"
    assert "no UpdateReplacePolicy: CloudFormation's default, Delete" in change.data_reason
    assert "new, empty table" in change.data_reason
    assert any("UpdateReplacePolicy: Retain" in note for note in change.notes)


def test_changing_other_properties_is_a_modify_without_data_loss():
    old = resources("Orders:\n  Type: AWS::DynamoDB::Table\n  Properties: {BillingMode: PROVISIONED}\n")
    new = resources("Orders:\n  Type: AWS::DynamoDB::Table\n  Properties: {BillingMode: PAY_PER_REQUEST}\n")
    (change,) = plan(old, new).changes
    assert (change.action, change.replacement, change.data) == ("modify", None, "none")
    assert change.causes == ("BillingMode: 'PROVISIONED' → 'PAY_PER_REQUEST'",)
    assert not plan(old, new).loses_data


def test_a_replaced_resource_that_holds_no_data_loses_none():
    old = resources("Topic:\n  Type: AWS::SNS::Topic\n  Properties: {TopicName: a}\n")
    new = resources("Topic:\n  Type: AWS::SNS::Topic\n  Properties: {TopicName: b}\n")
    (change,) = plan(old, new).changes
    assert (change.action, change.data, change.data_reason, change.data_class) == ("replace", "none", "", None)


def test_a_change_of_type_replaces():
    old = resources("Store:\n  Type: AWS::DynamoDB::Table\n")
    new = resources("Store:\n  Type: AWS::DynamoDB::GlobalTable\n")
    (change,) = plan(old, new).changes
    assert (change.action, change.replacement, change.data) == ("replace", "always", "lost")
    assert change.causes == ("Type: AWS::DynamoDB::Table → AWS::DynamoDB::GlobalTable",)
    assert change.notes[0].startswith("CloudFormation refuses to change the Type of Store in place")


def test_a_substitution_written_differently_replaces_unless_a_parameter_decides():
    bucket = "Bucket:\n  Type: AWS::S3::Bucket\n  Properties: {{BucketName: !Sub '{name}'}}\n"
    head = "Parameters:\n  Stage: {Type: String, Default: dev}\n"
    (change,) = plan(resources(bucket.format(name="${AWS::StackName}-logs")),
                     resources(bucket.format(name="${AWS::StackName}-audit"))).changes
    assert (change.replacement, change.causes) == ("always", (
        "BucketName: Sub '${AWS::StackName}-logs' → Sub '${AWS::StackName}-audit'",))
    (change,) = plan(resources(bucket.format(name="${AWS::StackName}-logs"), head),
                     resources(bucket.format(name="${Stage}-logs"), head)).changes
    assert change.replacement == "conditional"


def test_adding_or_removing_a_create_only_property_replaces():
    without = resources("Bucket:\n  Type: AWS::S3::Bucket\n  DeletionPolicy: Retain\n  UpdateReplacePolicy: Retain\n")
    named = resources("Bucket:\n  Type: AWS::S3::Bucket\n  DeletionPolicy: Retain\n  UpdateReplacePolicy: Retain\n"
                      "  Properties: {BucketName: logs}\n")
    for old, new, cause in ((without, named, "BucketName: not set → 'logs'"),
                            (named, without, "BucketName: 'logs' → not set")):
        (change,) = plan(old, new).changes
        assert (change.action, change.causes, change.data) == ("replace", (cause,), "retained")


def test_values_equal_to_cloudformation_are_no_change():
    old = resources("Db:\n  Type: AWS::RDS::DBInstance\n  Properties: {Port: 5432, StorageEncrypted: true, "
                    "Tags: [{Key: a, Value: b}]}\n")
    new = resources("Db:\n  Type: AWS::RDS::DBInstance\n  Properties: {Tags: [{Value: b, Key: a}], "
                    "StorageEncrypted: 'true', Port: '5432'}\n")
    assert plan(old, new).changes == ()


# -- the overlay --------------------------------------------------------------------------------


def instance(engine: str, extra: str = "") -> str:
    return resources(f"Legacy:\n  Type: AWS::RDS::DBInstance\n  Properties:\n    Engine: {engine}\n"
                     f"    DBInstanceClass: db.t3.micro\n{extra}")


def test_the_overlay_replaces_an_instance_whose_engine_changes():
    (change,) = plan(instance("mysql"), instance("postgres")).changes
    assert (change.action, change.replacement) == ("replace", "always")
    assert change.causes == ("Engine: 'mysql' → 'postgres'",)
    assert change.data == "lost"  # a stand-alone instance; UpdateReplacePolicy defaults to Delete


def test_the_overlay_knows_engine_changes_made_in_place():
    (change,) = plan(instance("oracle-ee"), instance("oracle-ee-cdb")).changes
    assert (change.action, change.replacement, change.data) == ("modify", None, "none")
    assert change.causes == ("Engine: 'oracle-ee' → 'oracle-ee-cdb'",)


def test_the_overlay_makes_removing_an_availability_zone_conditional():
    (change,) = plan(instance("mysql", "    AvailabilityZone: us-east-1a\n"), instance("mysql")).changes
    assert (change.action, change.replacement, change.conditional) == ("replace", "conditional", True)
    assert change.causes == ("AvailabilityZone: 'us-east-1a' → not set "
                             "(removing it is done in place only when MultiAZ is turned on in the same change)",)
    moved = plan(instance("mysql", "    AvailabilityZone: us-east-1a\n"),
                 instance("mysql", "    AvailabilityZone: us-east-1b\n")).changes
    assert moved[0].replacement == "always"


def test_every_overlay_entry_cites_aws_documentation_and_is_missing_from_the_schema():
    overlay = replacement_overlay()
    assert overlay, "the overlay is empty"
    for resource_type, entries in overlay.items():
        schema = create_only_properties(resource_type)
        for name, entry in entries.items():
            assert re.match(r"https://docs\.aws\.amazon\.com/\S+$", entry.docs), (resource_type, name)
            # once the schema lists it, the entry is redundant: remove it from the overlay
            assert name not in schema, f"{resource_type}.{name} is create-only in the schema now"
            assert name in replacing_properties(resource_type)
    assert overlay["AWS::RDS::DBInstance"]["Engine"].docs.endswith("aws-attribute-updatereplacepolicy.html")


# -- cascades -------------------------------------------------------------------------------------

LEDGER = """\
LedgerSubnets:
  Type: AWS::RDS::DBSubnetGroup
  Properties:
    DBSubnetGroupName: {subnets}
    DBSubnetGroupDescription: ledger
    SubnetIds: [subnet-1, subnet-2]
LedgerCluster:
  Type: AWS::RDS::DBCluster
  Properties:
    Engine: aurora-postgresql
    DBSubnetGroupName: {cluster_subnets}
LedgerWriter:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: aurora-postgresql
    DBClusterIdentifier: !Ref LedgerCluster
    DBInstanceClass: db.r6g.large
Alarm:
  Type: AWS::CloudWatch::Alarm
  Properties:
    Dimensions: [{{Name: DBClusterIdentifier, Value: !Ref LedgerCluster}}]
"""


def ledger(subnets: str = "ledger", cluster_subnets: str = "!Ref LedgerSubnets", head: str = "") -> str:
    return resources(LEDGER.format(subnets=subnets, cluster_subnets=cluster_subnets), head)


def test_a_replacement_cascades_two_levels_through_create_only_references():
    found = changes(ledger("ledger"), ledger("ledger-v2"))
    subnets, cluster, writer, alarm = (found[name] for name in ("LedgerSubnets", "LedgerCluster", "LedgerWriter",
                                                                 "Alarm"))
    assert (subnets.action, subnets.replacement, subnets.chain) == ("replace", "always", ())
    assert subnets.causes == ("DBSubnetGroupName: 'ledger' → 'ledger-v2'",)
    assert (cluster.action, cluster.replacement, cluster.data) == ("replace", "always", "lost")
    assert cluster.causes == ("DBSubnetGroupName: Ref LedgerSubnets, which is replaced",)
    assert cluster.chain == ("LedgerSubnets", "LedgerCluster")
    assert (writer.action, writer.replacement) == ("replace", "always")
    assert writer.causes == (
        "DBClusterIdentifier: Ref LedgerCluster, which is replaced (LedgerSubnets → LedgerCluster)",)
    assert writer.chain == ("LedgerSubnets", "LedgerCluster", "LedgerWriter")
    assert writer.data == "none" and "cluster holds the data" in writer.data_reason
    # a reference in a property that is not create-only: its value changes, in place
    assert (alarm.action, alarm.causes) == ("modify", ("Dimensions: Ref LedgerCluster, which is replaced",))
    assert [change.resource for change in plan(ledger("ledger"), ledger("ledger-v2")).changes][0] == "LedgerCluster"


def test_a_reference_inside_an_fn_if_cascades_conditionally():
    head = "Conditions:\n  Isolated: !Equals [!Ref AWS::Region, eu-west-1]\n"
    branches = "!If [Isolated, !Ref LedgerSubnets, default]"
    found = changes(ledger("ledger", branches, head), ledger("ledger-v2", branches, head))
    assert found["LedgerCluster"].replacement == "conditional" and found["LedgerCluster"].conditional
    assert found["LedgerWriter"].replacement == "conditional"
    assert found["LedgerCluster"].data == "lost"


def test_pointing_a_create_only_property_at_another_resource_replaces():
    old = ledger() + "  Other:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties: {DBSubnetGroupDescription: o, " \
                     "SubnetIds: [subnet-3]}\n"
    new = old.replace("DBSubnetGroupName: !Ref LedgerSubnets", "DBSubnetGroupName: !Ref Other")
    cluster = changes(old, new)["LedgerCluster"]
    assert (cluster.replacement, cluster.causes) == ("always", ("DBSubnetGroupName: Ref LedgerSubnets → Ref Other",))


# -- conditional values --------------------------------------------------------------------------

NAMED_TABLE = """\
Parameters:
  TableName:
    Type: String
    Default: {default}
"""


def test_a_changed_parameter_default_feeding_a_create_only_property_is_a_conditional_replacement():
    body = table("!Ref TableName")
    (change,) = plan(resources(body, NAMED_TABLE.format(default="orders")),
                     resources(body, NAMED_TABLE.format(default="orders-v2"))).changes
    assert (change.action, change.replacement, change.conditional) == ("replace", "conditional", True)
    assert change.causes == ("TableName: Ref TableName, whose default changed from 'orders' to 'orders-v2'",)
    assert change.data == "lost"


def test_an_unchanged_parameter_default_is_no_change():
    body = table("!Ref TableName")
    head = NAMED_TABLE.format(default="orders")
    assert plan(resources(body, head), resources(body, head + "    Description: the table\n")).changes == ()


IS_PROD = "Parameters:\n  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n" \
          "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"


def test_an_fn_if_whose_branches_differ_is_conditional():
    old = resources("Fs:\n  Type: AWS::EFS::FileSystem\n  Properties: {Encrypted: false}\n", IS_PROD)
    new = resources("Fs:\n  Type: AWS::EFS::FileSystem\n  Properties: {Encrypted: !If [IsProd, true, false]}\n",
                    IS_PROD)
    (change,) = plan(old, new).changes
    assert (change.replacement, change.causes) == ("conditional", ("Encrypted: false → If [IsProd, true, false]",))


def test_an_fn_if_every_branch_of_which_differs_replaces_always():
    old = resources("Fs:\n  Type: AWS::EFS::FileSystem\n  Properties: {PerformanceMode: generalPurpose}\n", IS_PROD)
    new = resources("Fs:\n  Type: AWS::EFS::FileSystem\n  Properties: {PerformanceMode: !If [IsProd, maxIO, "
                    "elastic]}\n", IS_PROD)
    assert plan(old, new).changes[0].replacement == "always"


def test_a_changed_condition_under_an_unchanged_fn_if_is_conditional():
    body = "Fs:\n  Type: AWS::EFS::FileSystem\n  Properties: {Encrypted: !If [IsProd, true, false]}\n"
    prod_by_default = IS_PROD.replace("Default: dev", "Default: prod")
    (change,) = plan(resources(body, IS_PROD), resources(body, prod_by_default)).changes
    assert (change.replacement, change.causes) == ("conditional", ("Encrypted: Fn::If on IsProd, whose condition "
                                                                   "changed",))


# -- data: policies and their defaults -----------------------------------------------------------


def removed(body: str) -> object:
    (change,) = [change for change in plan(resources(body + "Keep:\n  Type: AWS::SNS::Topic\n"),
                                           resources("Keep:\n  Type: AWS::SNS::Topic\n")).changes]
    assert change.action == "remove" and change.replacement is None
    return change


def test_removing_an_rds_cluster_without_a_policy_snapshots_it():
    change = removed("Db:\n  Type: AWS::RDS::DBCluster\n  Properties: {Engine: aurora-mysql}\n")
    assert change.data == "snapshot" and "no DeletionPolicy: CloudFormation's default, Snapshot" in change.data_reason


def test_removing_a_stand_alone_rds_instance_without_a_policy_snapshots_it():
    change = removed("Db:\n  Type: AWS::RDS::DBInstance\n  Properties: {Engine: postgres, "
                     "DBInstanceClass: db.t3.micro}\n")
    assert change.data == "snapshot"


def test_removing_an_instance_of_a_cluster_loses_no_data_of_its_own():
    change = removed("Db:\n  Type: AWS::RDS::DBInstance\n  Properties: {Engine: aurora-mysql, "
                     "DBClusterIdentifier: ledger, DBInstanceClass: db.r6g.large}\n")
    assert change.data == "none" and "cluster holds the data" in change.data_reason


def test_removing_other_stateful_types_without_a_policy_deletes_their_data():
    change = removed(table())
    assert change.data == "lost" and change.causes == ("removed from the template",)
    assert "no DeletionPolicy: CloudFormation's default, Delete" in change.data_reason
    assert any("DeletionPolicy: Retain" in note for note in change.notes)


def test_removing_a_retained_resource_keeps_its_data_outside_the_stack():
    change = removed(table(policy="DeletionPolicy: Retain\n  "))
    assert change.data == "retained" and "the stack no longer manages it" in change.data_reason


def test_removing_a_non_stateful_resource_loses_no_data():
    change = removed("Role:\n  Type: AWS::IAM::Role\n  Properties: {AssumeRolePolicyDocument: {}}\n")
    assert (change.data, change.data_reason, change.data_class) == ("none", "", None)


def test_a_bucket_is_deleted_only_when_empty():
    change = removed("Uploads:\n  Type: AWS::S3::Bucket\n")
    assert change.data == "retained" and "only if it is empty" in change.data_reason


def test_a_deletion_policy_from_a_parameter_is_judged_by_what_a_deploy_can_give():
    head = "Parameters:\n  Keep: {Type: String, Default: Delete, AllowedValues: [Delete, Retain]}\n"
    old = resources(table(policy="DeletionPolicy: !Ref Keep\n  ") + "Keep:\n  Type: AWS::SNS::Topic\n", head)
    (change,) = plan(old, resources("Keep:\n  Type: AWS::SNS::Topic\n", head)).changes
    assert change.data == "lost" and "Keep defaults to 'Delete'" in change.data_reason


def test_replacing_with_update_replace_policy_retain_or_snapshot_keeps_the_data():
    for policy, fate in (("Retain", "retained"), ("Snapshot", "snapshot")):
        cluster = f"Db:\n  Type: AWS::RDS::DBCluster\n  UpdateReplacePolicy: {policy}\n  Properties: " \
                  "{{Engine: aurora-mysql, DatabaseName: {name}}}\n"
        (change,) = plan(resources(cluster.format(name="a")), resources(cluster.format(name="b"))).changes
        assert (change.action, change.data) == ("replace", fate)
        assert "the application now points at a new, empty database cluster" in change.data_reason
        if fate == "retained":
            assert "the stack no longer manages it" in change.data_reason


def test_replacing_an_rds_cluster_without_an_update_replace_policy_deletes_it():
    # unlike DeletionPolicy, UpdateReplacePolicy defaults to Delete for every type
    cluster = "Db:\n  Type: AWS::RDS::DBCluster\n  Properties: {{Engine: aurora-mysql, DatabaseName: {name}}}\n"
    (change,) = plan(resources(cluster.format(name="a")), resources(cluster.format(name="b"))).changes
    assert change.data == "lost"


def test_an_update_replace_policy_changed_in_the_same_deploy_counts_the_worse_and_says_so():
    old = resources(table("orders", "UpdateReplacePolicy: Delete\n  "))
    new = resources(table("orders-v2", "UpdateReplacePolicy: Retain\n  "))
    (change,) = plan(old, new).changes
    assert change.data == "lost"
    assert change.notes[0] == ("UpdateReplacePolicy changes in this same deploy (Delete → Retain), and the worse "
                               "of the two is counted: deploy the new policy on its own first, so that it applies.")


# -- renames --------------------------------------------------------------------------------------


def test_a_renamed_resource_is_reported_on_the_removed_one_with_how_to_keep_the_data():
    new_body = table().replace("Orders:", "OrdersTable:")
    found = changes(resources(table()), resources(new_body))
    old, new = found["Orders"], found["OrdersTable"]
    assert (old.action, old.renamed_to, old.data) == ("remove", "OrdersTable", "lost")
    assert old.causes == ("renamed to OrdersTable: CloudFormation deletes Orders and creates OrdersTable, "
                          "a new, empty table",)
    (note,) = old.notes
    assert "keep the logical id Orders" in note and "DeletionPolicy: Retain" in note and "import" in note
    assert (new.action, new.renamed_to, new.data) == ("add", None, "none")
    assert new.causes == ("the new logical id of Orders: created new and empty",)


def test_resources_with_different_properties_are_no_rename():
    queue = "{name}:\n  Type: AWS::SQS::Queue\n  Properties: {{QueueName: {name}, DelaySeconds: {delay}, " \
            "VisibilityTimeout: 30}}\n"
    old, new = resources(queue.format(name="A", delay=5)), resources(queue.format(name="B", delay=9))
    found = changes(old, new)
    assert found["A"].renamed_to is None and found["A"].causes == ("removed from the template",)


# -- conditions and policy changes ----------------------------------------------------------------


def test_a_resource_made_conditional_is_removed_by_the_deploys_where_its_condition_is_false():
    new = resources(table().replace("  Type:", "  Condition: IsProd\n  Type:"), IS_PROD)
    (change,) = plan(resources(table(), IS_PROD), new).changes
    assert (change.action, change.conditional, change.data) == ("remove", True, "lost")
    assert change.causes == ("Condition: none → IsProd: deploys where IsProd is false delete it "
                             "(IsProd is false by default)",)


def test_a_condition_a_default_deploy_no_longer_meets_removes_the_resource_from_such_deploys():
    conditional_table = table().replace("  Type:", "  Condition: IsProd\n  Type:")
    prod_by_default = IS_PROD.replace("Default: dev", "Default: prod")
    (change,) = plan(resources(conditional_table, prod_by_default), resources(conditional_table, IS_PROD)).changes
    assert (change.action, change.conditional, change.data) == ("remove", True, "lost")
    assert change.causes == ("Condition IsProd changed: deploys where IsProd is false delete it "
                             "(IsProd is false by default)",)
    (change,) = plan(resources(conditional_table, IS_PROD), resources(conditional_table, prod_by_default)).changes
    assert (change.action, change.data) == ("modify", "none")


def test_a_deletion_policy_changed_with_a_new_condition_counts_the_worse():
    old = resources(table(policy="DeletionPolicy: Retain\n  "), IS_PROD)
    new = resources(table(policy="DeletionPolicy: Delete\n  ").replace("  Type:", "  Condition: IsProd\n  Type:"),
                    IS_PROD)
    (change,) = plan(old, new).changes
    assert (change.action, change.data, change.conditional) == ("remove", "lost", True)
    assert change.notes[0] == ("DeletionPolicy changes in this same deploy (Retain → Delete), and the worse of the two "
                               "is counted: the new policy may apply already.")


def test_a_removed_resource_that_only_some_deploys_have_is_conditional():
    old = resources(table().replace("  Type:", "  Condition: IsProd\n  Type:") + "Keep:\n  Type: AWS::SNS::Topic\n",
                    IS_PROD)
    (change,) = plan(old, resources("Keep:\n  Type: AWS::SNS::Topic\n", IS_PROD)).changes
    assert (change.action, change.conditional) == ("remove", True)
    assert "only if it exists: Condition IsProd decides" in change.causes


def test_a_deletion_policy_changed_to_delete_is_worth_a_line():
    old = resources(table(policy="DeletionPolicy: Retain\n  "))
    new = resources(table(policy="DeletionPolicy: Delete\n  "))
    (change,) = plan(old, new).changes
    assert (change.action, change.data) == ("modify", "none")
    assert change.causes == ("DeletionPolicy: Retain → Delete: removing Orders from the template, or deleting the "
                             "stack, now deletes the table and its data",)


def test_an_added_conditional_resource_is_added_by_some_deploys():
    keep = "Keep:\n  Type: AWS::SNS::Topic\n"
    new = resources(keep + table().replace("  Type:", "  Condition: IsProd\n  Type:"), IS_PROD)
    (change,) = plan(resources(keep, IS_PROD), new).changes
    assert (change.action, change.conditional) == ("add", True)
    assert change.causes == ("only in deploys where IsProd is true",)


# -- the whole impact ----------------------------------------------------------------------------


def test_changes_come_data_loss_first_and_carry_their_place_in_new():
    old = resources("Topic:\n  Type: AWS::SNS::Topic\n  Properties: {DisplayName: a}\n" + table())
    new = resources("Topic:\n  Type: AWS::SNS::Topic\n  Properties: {DisplayName: b}\n" + table("v2")
                    + "Queue:\n  Type: AWS::SQS::Queue\n")
    found = plan(old, new)
    assert [(change.resource, change.action) for change in found.changes] == [
        ("Orders", "replace"), ("Topic", "modify"), ("Queue", "add")]
    assert [change.line for change in found.changes] == [5, 2, 12]
    assert (found.old, found.new, found.loses_data) == ("old.yaml", "new.yaml", True)


def test_resources_a_loop_makes_are_compared_one_by_one():
    head = "Transform: AWS::LanguageExtensions\n"
    loop = ("Fn::ForEach::Tables:\n  - Name\n  - [Orders, Refunds]\n  - ${{Name}}Table:\n"
            "      Type: AWS::DynamoDB::Table\n      Properties: {{TableName: !Sub '${{Name}}-{version}'}}\n")
    found = changes(resources(loop.format(version="v1"), head), resources(loop.format(version="v2"), head))
    assert sorted(found) == ["OrdersTable", "RefundsTable"]
    assert all(change.action == "replace" and change.data == "lost" for change in found.values())


@pytest.mark.parametrize("path", corpus_files(), ids=corpus_id)
def test_every_corpus_template_against_itself_has_no_changes(path):
    assert impact(Document.open(str(path)), Document.open(str(path)), PROFILE).changes == ()
