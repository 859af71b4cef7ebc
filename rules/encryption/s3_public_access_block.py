from __future__ import annotations

from typing import Any

from app.core.findings import Severity
from rules import template as tpl
from rules.context import Context
from rules.setting import RequiredSetting

FLAGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


class S3PublicAccessBlock(RequiredSetting):
    """## What it does
    Flags an S3 bucket whose `PublicAccessBlockConfiguration` is missing or leaves one
    of its four switches off. Buckets configured as websites are meant to be public and
    are not flagged.

    ## Why is this bad?
    One bucket policy or ACL with a public grant — added later, by hand, by another
    stack — exposes every object. The block overrides such grants.

    ## Example
    ```yaml
    ReportsBucket:
      Type: AWS::S3::Bucket
    ```

    ## Fix
    Sets all four switches to true. An in-place update: safe.

    ## References
    - AWS: Blocking public access to your Amazon S3 storage
    """

    id = "CD2004"
    title = "S3 bucket without a public-access block"
    severity = Severity.MEDIUM
    tags = ("encryption", "exposure")
    docs_url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"
    types = ("AWS::S3::Bucket",)
    path = ("PublicAccessBlockConfiguration",)
    wanted = {flag: True for flag in FLAGS}
    fix_title = "Block all public access"

    def applies(self, context: Context, name: str, body: dict[str, Any]) -> bool:
        return "WebsiteConfiguration" not in tpl.properties(body)

    def satisfied(self, value: Any) -> bool | tpl.Unknown:
        if not isinstance(value, dict):
            return tpl.UNKNOWN
        flags = [tpl.literal_bool(value.get(flag)) for flag in FLAGS]
        if any(flag is tpl.UNKNOWN and value.get(flag) is not None for flag in flags):
            return tpl.UNKNOWN
        return all(flag is True for flag in flags)

    def message(self, context: Context, name: str, body: dict[str, Any], value: Any) -> str:
        if value is None:
            return f"{name} has no public-access block: one public policy or ACL would expose every object"
        off = [flag for flag in FLAGS if tpl.literal_bool(value.get(flag)) is not True]
        return f"{name}'s public-access block leaves {', '.join(off)} off"
