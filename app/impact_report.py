"""An update impact (:mod:`app.impact`) as text, JSON, Markdown or SARIF 2.1.0 for the
``impact`` command: text reads like a plan, one line a resource, data loss first; Markdown is
for a pull-request comment."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from app.impact import Change, Impact
from app.report import TOOL_URI

_SYMBOL = {"add": "+", "modify": "~", "replace": "-/+", "remove": "-"}


def data_label(change: Change) -> str:
    """``LOSES DATA``, ``MAY LOSE DATA``, ``data kept``, ``snapshot`` or "" (no data)."""
    if change.data == "lost":
        return "MAY LOSE DATA" if change.conditional else "LOSES DATA"
    return {"retained": "data kept", "snapshot": "snapshot", "none": ""}[change.data]


def action_words(change: Change) -> str:
    """``replace``, ``replace (conditional)``, ``remove (renamed to X)``, ``remove (conditional)``."""
    if change.renamed_to:
        return f"{change.action} (renamed to {change.renamed_to})"
    return f"{change.action} (conditional)" if change.conditional else change.action


def summary(impact: Impact) -> str:
    """``2 resources lose data, 1 may; 9 changes.`` or ``No changes.``"""
    if not impact.changes:
        return "No changes: no resource is added, changed or removed."
    certain = sum(1 for change in impact.changes if change.loses_data and not change.conditional)
    maybe = sum(1 for change in impact.changes if change.loses_data and change.conditional)
    parts = [_count(certain, "resource loses data", "resources lose data")] if certain else []
    if maybe:
        parts.append(f"{maybe} may" if certain else _count(maybe, "resource may lose data", "resources may lose data"))
    if not parts:
        parts.append("no data is lost")
    return f"{', '.join(parts)}; {_count(len(impact.changes), 'change', 'changes')}."


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


# -- text ----------------------------------------------------------------------------------------


def as_text(impact: Impact) -> str:
    lines = [f"Deploying {impact.new} over a stack deployed from {impact.old}:", ""]
    if impact.changes:
        name_width = max(len(change.resource) for change in impact.changes)
        type_width = max(len(change.type) for change in impact.changes)
        for change in impact.changes:
            row = (f"  {_SYMBOL[change.action]:<3} {change.action:<7}  {change.resource:<{name_width}}  "
                   f"{change.type:<{type_width}}  {data_label(change):<13}  {'; '.join(change.causes)}")
            lines.append(row.rstrip())
        lines.extend(_details(impact.changes, "Data", lambda change: [change.data_reason] * bool(change.data_reason)))
        lines.extend(_details(impact.changes, "What to do", lambda change: list(change.notes)))
        lines.append("")
    lines.append(summary(impact))
    return "\n".join(lines) + "\n"


def _details(changes: Sequence[Change], title: str, texts: Callable[[Change], list[str]]) -> list[str]:
    found = [f"  {change.resource}: {text}" for change in changes for text in texts(change)]
    return ["", f"{title}:", *found] if found else []


# -- JSON ----------------------------------------------------------------------------------------


def change_json(change: Change) -> dict[str, Any]:
    """One change with the issue's names first (resource, type, action, replacement, causes,
    data, renamed_to), then the rest."""
    return {**asdict(change), "loses_data": change.loses_data}


def as_json(impact: Impact) -> str:
    document = {"old": impact.old, "new": impact.new, "loses_data": impact.loses_data,
                "changes": [change_json(change) for change in impact.changes]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- Markdown ------------------------------------------------------------------------------------

_MARK = {"LOSES DATA": "🔴", "MAY LOSE DATA": "🟠"}


def as_markdown(impact: Impact) -> str:
    lines = ["### CFN Doctor: update impact", "",
             f"Deploying `{_code(impact.new)}` over a stack deployed from `{_code(impact.old)}`: "
             f"**{summary(impact)}**", ""]
    if not impact.changes:
        return "\n".join(lines)
    lines += ["| | Resource | Type | Action | Data | Why |", "|---|---|---|---|---|---|"]
    for change in impact.changes:
        label = data_label(change)
        cells = [_MARK.get(label, ""), f"`{_code(change.resource)}`", f"`{_code(change.type)}`",
                 _cell(action_words(change)), f"**{label.lower()}**" if label in _MARK else _cell(label),
                 _cell("; ".join(change.causes))]
        lines.append("| " + " | ".join(cells) + " |")
    details = [f"- **{_cell(change.resource)}**: " + _cell(" ".join([change.data_reason, *change.notes]).strip())
               for change in impact.changes if change.data_reason or change.notes]
    if details:
        lines += ["", "<details><summary>What happens to the data, and what to do</summary>", "", *details, "",
                  "</details>"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _code(text: str) -> str:
    return text.replace("`", "'")


# -- SARIF ---------------------------------------------------------------------------------------

_RULES = {
    "impact/data-loss": ("error", "The update deletes data", "A resource is removed or replaced, and its policy "
                                                             "lets CloudFormation delete its data."),
    "impact/replace": ("warning", "The update replaces a resource", "A create-only property, the type, or a "
                                                                    "replaced resource it refers to changes."),
    "impact/remove": ("warning", "The update removes a resource", "The resource is no longer in the template, "
                                                                  "or a condition decides whether it stays."),
    "impact/modify": ("note", "The update modifies a resource", "Properties or attributes change in place."),
    "impact/add": ("note", "The update adds a resource", "The resource is new in the template."),
}


def _rule_id(change: Change) -> str:
    return "impact/data-loss" if change.loses_data else f"impact/{change.action}"


def as_sarif(impact: Impact) -> str:
    ids = list(_RULES)
    rules = [{"id": rule_id, "shortDescription": {"text": title}, "fullDescription": {"text": text},
              "defaultConfiguration": {"level": level}} for rule_id, (level, title, text) in _RULES.items()]
    results = [_sarif_result(impact, change, ids.index(_rule_id(change))) for change in impact.changes]
    run = {"tool": {"driver": {"name": "CFN Doctor", "informationUri": TOOL_URI, "rules": rules}},
           "results": results, "properties": {"old": impact.old, "new": impact.new}}
    document = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _sarif_result(impact: Impact, change: Change, rule_index: int) -> dict[str, Any]:
    rule_id = _rule_id(change)
    level = "warning" if rule_id == "impact/data-loss" and change.conditional else _RULES[rule_id][0]
    message = " ".join(part for part in [f"{action_words(change).capitalize()} {change.resource} ({change.type}):",
                                         "; ".join(change.causes) + ".", change.data_reason, *change.notes] if part)
    return {
        "ruleId": rule_id, "ruleIndex": rule_index, "level": level, "message": {"text": message},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": impact.new},
                                 "region": {"startLine": max(change.line, 1), "startColumn": max(change.column, 1)}},
            "logicalLocations": [{"name": change.resource, "kind": "resource"}],
        }],
        "properties": change_json(change),
    }


FORMATS: dict[str, Callable[[Impact], str]] = {"text": as_text, "json": as_json, "markdown": as_markdown,
                                               "sarif": as_sarif}
