"""Every CFN Doctor rule, in the order the rule reference lists them."""

from __future__ import annotations

from typing import Any

from rules.base import Rule
from rules.components.session_table import RequiredSessionTable
from rules.data_protection.dynamodb_deletion_protection import DynamoDbDeletionProtection
from rules.data_protection.dynamodb_point_in_time_recovery import DynamoDbPointInTimeRecovery
from rules.data_protection.kms_key_deletion_window import KmsKeyDeletionWindow
from rules.data_protection.rds_backup_retention import RdsBackupRetention
from rules.data_protection.rds_deletion_protection import RdsDeletionProtection
from rules.data_protection.s3_bucket_versioning import S3BucketVersioning
from rules.data_protection.stateful_deletion_policy import StatefulDeletionPolicy
from rules.data_protection.stateful_update_replace_policy import StatefulUpdateReplacePolicy
from rules.encryption.dynamodb_sse import DynamoDbServerSideEncryption
from rules.encryption.plaintext_master_password import PlaintextMasterPassword
from rules.encryption.rds_storage_encrypted import RdsStorageEncrypted
from rules.encryption.s3_bucket_encryption import S3BucketEncryption
from rules.encryption.s3_public_access_block import S3PublicAccessBlock
from rules.hygiene.database_port_open_to_world import DatabasePortOpenToWorld
from rules.hygiene.iam_wildcard_admin import IamWildcardAdmin
from rules.observability.dashboard_missing_service import DashboardMissingService
from rules.observability.data_store_not_exported import DataStoreNotExported
from rules.observability.log_group_retention import LogGroupRetention
from rules.permissions.lambda_role_access import LambdaRoleAccess

RULES: tuple[type[Rule[Any]], ...] = (
    StatefulDeletionPolicy,
    StatefulUpdateReplacePolicy,
    RdsDeletionProtection,
    RdsBackupRetention,
    DynamoDbPointInTimeRecovery,
    DynamoDbDeletionProtection,
    S3BucketVersioning,
    KmsKeyDeletionWindow,
    RdsStorageEncrypted,
    DynamoDbServerSideEncryption,
    S3BucketEncryption,
    S3PublicAccessBlock,
    PlaintextMasterPassword,
    LambdaRoleAccess,
    IamWildcardAdmin,
    DatabasePortOpenToWorld,
    DashboardMissingService,
    LogGroupRetention,
    DataStoreNotExported,
    RequiredSessionTable,
)

BY_ID: dict[str, type[Rule[Any]]] = {rule.id: rule for rule in RULES}
RULE_IDS = frozenset(BY_ID)
