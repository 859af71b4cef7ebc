from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules.context import Context
from rules.setting import RequiredSetting

DEFAULT_ENCRYPTION = {
    "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}],
}


class S3BucketEncryption(RequiredSetting):
    """## What it does
    Flags an S3 bucket without a `BucketEncryption` configuration.

    ## Why is this bad?
    S3 encrypts new objects by default since 2023, but a template that says nothing
    leaves the choice implicit: reviews and compliance scanners cannot see it, and a
    KMS key cannot be required.

    ## Example
    ```yaml
    ReportsBucket:
      Type: AWS::S3::Bucket
    ```

    ## Fix
    Adds default encryption with SSE-S3 (`AES256`). An in-place update: safe.

    ## References
    - AWS: Setting default server-side encryption for S3 buckets
    """

    id = "CD2003"
    title = "S3 bucket without declared encryption"
    severity = Severity.LOW
    tags = ("encryption",)
    docs_url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html"
    types = ("AWS::S3::Bucket",)
    path = ("BucketEncryption",)
    wanted = DEFAULT_ENCRYPTION
    fix_title = "Declare default encryption (AES256)"

    def satisfied(self, value: Any) -> bool:
        return value is not None

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        return f"{name} declares no default encryption: the template cannot show how its objects are protected"
