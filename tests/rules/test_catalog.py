"""The stateful-type catalog agrees with what CloudFormation and cfn-lint say, and the
rule reference shows the severities the default profile uses."""

from __future__ import annotations

import pytest
from cfnlint.helpers import valid_snapshot_types

from app.core.findings import Severity
from rules.catalog import DEFAULT_SEVERITIES, DataClass, PolicyState, builtin_stateful_types, policy_choices
from rules.data_protection.stateful_deletion_policy import StatefulDeletionPolicy

CATALOG = builtin_stateful_types()


def test_snapshot_is_offered_exactly_where_cloudformation_supports_it() -> None:
    snapshots = {name for name, entry in CATALOG.items() if entry.snapshot}
    assert snapshots == set(valid_snapshot_types) & set(CATALOG)
    assert "Snapshot" not in policy_choices("DeletionPolicy", CATALOG["AWS::ElastiCache::ServerlessCache"])


def test_only_rds_databases_are_snapshotted_without_a_deletion_policy() -> None:
    snapshotted = sorted(name for name, entry in CATALOG.items() if entry.deletion_default == "Snapshot")
    assert snapshotted == ["AWS::RDS::DBCluster", "AWS::RDS::DBInstance"]


@pytest.mark.parametrize(("name", "data_class"), [
    ("AWS::DynamoDB::Table", DataClass.RECORD), ("AWS::Serverless::SimpleTable", DataClass.RECORD),
    ("AWS::KMS::Key", DataClass.RECORD), ("AWS::Backup::BackupVault", DataClass.RECORD),
    ("AWS::QLDB::Ledger", DataClass.RECORD), ("AWS::EFS::FileSystem", DataClass.RECORD),
    ("AWS::Serverless::Application", DataClass.REBUILDABLE), ("AWS::CloudFormation::Stack", DataClass.REBUILDABLE),
    ("AWS::SQS::Queue", DataClass.TRANSIENT), ("AWS::Logs::LogGroup", DataClass.TRANSIENT),
    ("AWS::Kinesis::Stream", DataClass.TRANSIENT), ("AWS::ElastiCache::ReplicationGroup", DataClass.TRANSIENT),
])
def test_data_classes(name: str, data_class: DataClass) -> None:
    assert CATALOG[name].data_class is data_class


def test_the_rule_reference_shows_the_default_severities() -> None:
    """CD1001's documentation table is the default profile's, cell for cell."""
    rows = [line for line in StatefulDeletionPolicy.documentation().splitlines() if line.startswith("| ")]
    shown = {row.split("|")[1].strip(): [cell.strip() for cell in row.split("|")[2:-1]] for row in rows[1:]}
    states = [PolicyState.EXPLICIT_DELETE, PolicyState.ABSENT, PolicyState.ABSENT_SNAPSHOT,
              PolicyState.DELETE_BY_DEFAULT, PolicyState.DELETE_IN_SOME_DEPLOYS]
    expected = {data_class.value: [_shown(DEFAULT_SEVERITIES[data_class][state]) for state in states]
                for data_class in DataClass}
    assert shown == expected


def _shown(rating: Severity | None) -> str:
    return "—" if rating is None else rating.label
