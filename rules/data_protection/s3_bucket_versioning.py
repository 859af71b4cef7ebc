from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules.catalog import DataClass
from rules.context import Context
from rules.data_protection._stored_data import stored_data
from rules.setting import RequiredSetting
from rules.template import UNKNOWN, Unknown


class S3BucketVersioning(RequiredSetting):
    """## What it does
    Flags an S3 bucket that holds a system of record without versioning
    (`VersioningConfiguration: {Status: Enabled}`). Buckets of rebuildable or transient
    data are left alone: one that serves a website, holds CodePipeline's artifacts,
    receives access logs, or whose objects all expire within 90 days (the data classes
    of CD1001, which a profile can change).

    ## Why is this bad?
    Without versioning, an object that a bug, a script or a person overwrites or deletes
    is gone: S3 keeps no earlier copy. With it, every overwrite and delete keeps the
    previous version, which can be restored. A `DeletionPolicy` protects the bucket, not
    its objects.

    ## Example
    ```yaml
    InvoicesBucket:
      Type: AWS::S3::Bucket
      DeletionPolicy: Retain
    ```

    ## Fix
    Sets `VersioningConfiguration: {Status: Enabled}`. An in-place update: safe. Earlier
    versions are kept until a lifecycle rule (`NoncurrentVersionExpiration`) removes them,
    and versioning can later be suspended but never turned off.

    ## References
    - AWS: Retaining multiple versions of objects with S3 Versioning
    """

    id = "CD1007"
    title = "Bucket of record without versioning"
    severity = Severity.MEDIUM
    tags = ("data-protection",)
    docs_url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html"
    types = ("AWS::S3::Bucket",)
    path = ("VersioningConfiguration", "Status")
    wanted = "Enabled"
    fix_title = "Turn on versioning"

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        data = stored_data(context, name, body)
        return data is not None and data.data_class is DataClass.RECORD

    def satisfied(self, value: Any) -> bool | Unknown:
        return value == "Enabled" if value in ("Enabled", "Suspended") else UNKNOWN

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        state = "versioning is Suspended" if value == "Suspended" else "versioning is off"
        return f"{name} holds a system of record, and {state}: an object overwritten or deleted by mistake is gone"
