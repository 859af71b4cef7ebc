from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core import pointer as jp
from app.core.findings import Severity
from rules import template as tpl
from rules.context import Context
from rules.setting import RequiredSetting
from rules.values import ABSENT, Outcome

FLAGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
BLOCK = "PublicAccessBlockConfiguration"


class S3PublicAccessBlock(RequiredSetting):
    """## What it does
    Flags an S3 bucket whose `PublicAccessBlockConfiguration` is missing or leaves one
    of its four switches off. Buckets configured as websites are meant to be public and
    are not flagged.

    Each switch is judged by every value a deploy can give it: a block chosen by an
    `Fn::If` is flagged only for the branch that leaves a switch off, and the finding
    says when.

    ## Why is this bad?
    One bucket policy or ACL with a public grant — added later, by hand, by another
    stack — exposes every object. The block overrides such grants.

    ## Example
    ```yaml
    ReportsBucket:
      Type: AWS::S3::Bucket
    ```

    ## Fix
    Sets all four switches to true. An in-place update: safe. A switch off inside an
    `Fn::If` branch is turned on in that branch; when a default deploy does not reach
    that branch (a public mode the template offers on purpose) the fix is **unsafe**: a
    public bucket policy or ACL in that mode would then fail to deploy.

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

    def shortfalls(self, context: Context, body: dict[str, Any]) -> list[Outcome]:
        """A block not set at all, or each switch it leaves off (a switch not given is off)."""
        found: list[Outcome] = []
        for block in context.values.all_outcomes(tpl.properties(body), BLOCK):
            if block.value is ABSENT:
                found.append(block)
            elif isinstance(block.value, dict):
                found.extend(_switched_off(context, block))
        return sorted(found, key=lambda outcome: not outcome.default)

    def wanted_at(self, path: jp.Path) -> Any:
        return True if _flag(path) else self.wanted

    def describe(self, context: Context, name: str, body: dict[str, Any], shortfalls: Sequence[Outcome]) -> str:
        missing = [outcome for outcome in shortfalls if not _flag(outcome.path)]
        off = [outcome for outcome in shortfalls if _flag(outcome.path)]
        parts = []
        if missing:
            parts.append(f"{name} has no public-access block{_whens(missing)}: "
                         "one public policy or ACL would expose every object")
        if off:
            parts.append(f"{name}'s public-access block leaves {_switches_off(off)}")
        return "; ".join(parts)
    def deliberate_note(self, name: str, shortfalls: Sequence[Outcome]) -> str:
        return (f"also blocks public access to {name}{_whens(shortfalls)}, a public mode the template offers on "
                "purpose (a default deploy does not reach it): a public bucket policy or ACL in that mode would "
                "fail to deploy")


def _switched_off(context: Context, block: Outcome) -> list[Outcome]:
    """The switches of one block outcome that are off, each with the circumstances of the
    block and of the switch, and its path from the resource's properties."""
    found = []
    for flag in FLAGS:
        for switch in context.values.all_outcomes(block.value, flag):
            if switch.value is ABSENT or tpl.literal_bool(switch.value) is False:
                when = ", ".join(part for part in (block.when, switch.when) if part)
                default = block.default and switch.default
                found.append(Outcome(switch.value, when, default, path=(*block.path, *switch.path)))
    return found


def _flag(path: jp.Path) -> str | None:
    """The switch an outcome's path leads to (None: the block itself)."""
    return next((str(token) for token in reversed(path) if token in FLAGS), None)


def _switches_off(off: Sequence[Outcome]) -> str:
    """"A, B off when C is false": the switches grouped by when they are off, those off on
    every deploy first."""
    groups: dict[str, list[str]] = {}
    for flag in FLAGS:
        cases = [outcome for outcome in off if _flag(outcome.path) == flag]
        if cases:
            groups.setdefault(_whens(cases), []).append(flag)
    ordered = sorted(groups.items(), key=lambda group: group[0] != "")
    return ", and ".join(f"{', '.join(flags)} off{whens}" for whens, flags in ordered)


def _whens(outcomes: Sequence[Outcome]) -> str:
    """" when A is false; by default (...)": each circumstance once; "" when one of the
    outcomes happens on every deploy."""
    if any(not outcome.conditional for outcome in outcomes):
        return ""
    cases = (outcome.when + (" (the default)" if outcome.default and "by default" not in outcome.when else "")
             for outcome in outcomes)
    return " " + "; ".join(dict.fromkeys(cases))
