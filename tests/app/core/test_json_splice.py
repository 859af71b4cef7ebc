"""Editing a JSON file changes only the lines the edit touches, and reads back as the edited data."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import json_source
from app.core import pointer as jp
from app.core.edits import Add, Edit, Remove, Set, apply_edits, copy_data, exists, same_data
from app.core.errors import EditError
from app.core.json_splice import splice
from tests.conftest import CORPUS, corpus_files, corpus_id

TEMPLATE = """{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBCluster",
      "DeletionPolicy": "Delete",
      "Properties": {
        "Engine": "aurora-mysql",
        "Tags": [{"Key": "app", "Value": "ledger"}],
        "VpcSecurityGroupIds": [
          {"Ref": "DbSecurityGroup"},
          "sg-123"
        ]
      }
    },
    "Topic": {
      "Type": "AWS::SNS::Topic",
      "Properties": {}
    }
  }
}
"""

DB = "/Resources/Db"
GROUPS = f"{DB}/Properties/VpcSecurityGroupIds"
ODD_KEY = 'Ke"y/~\u0001'


def spliced(text: str, edits: Sequence[Edit], path: str = "t.json") -> str:
    """The spliced text, after checking that it reads back as the data edited directly."""
    data = copy_data(json_source.load(text, path)[0])
    apply_edits(data, edits)
    result = splice(text, edits, path)
    assert same_data(json_source.load(result, path)[0], data)
    return result


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def _line_of(text: str, offset: int) -> int:
    return len(re.findall(r"\r\n|\r|\n", text[:offset]))


def changed_lines(before: str, after: str) -> set[int]:
    """The lines of ``before`` (0-based) a diff to ``after`` replaces or deletes, and for
    an insertion the line it is inserted before.  The common head and tail are cut off
    first: difflib without its junk heuristic is quadratic on 20,000-line files."""
    old, new = _lines(before), _lines(after)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(None, old[head : len(old) - tail], new[head : len(new) - tail], autojunk=False)
    touched: set[int] = set()
    for tag, start, end, _, _ in matcher.get_opcodes():
        if tag != "equal":
            touched.update(range(head + start, head + max(end, start + 1)))
    return touched


def member_lines(text: str, pointer: str) -> range:
    """The lines a member (from its key) or an item spans."""
    parent = json_source.JsonPositions(text).tree()
    for token in jp.split(jp.parent(pointer)):
        parent = parent.members[token][1] if parent.members is not None else parent.items[int(token)]
    token = jp.last(pointer)
    if parent.members is not None:
        start, value = parent.members[token]
    else:
        value = parent.items[int(token)]
        start = value.start
    return range(_line_of(text, start), _line_of(text, value.end) + 1)


# -- exact results ---------------------------------------------------------------------

def _four_spaces(text: str) -> str:
    return re.sub(r"(?m)^( +)", lambda match: match.group(1) * 2, text)


def _tabs(text: str) -> str:
    return re.sub(r"(?m)^( +)", lambda match: "\t" * (len(match.group(1)) // 2), text)


STYLES: dict[str, Callable[[str], str]] = {
    "2-space": lambda text: text,
    "4-space": _four_spaces,
    "tabs": _tabs,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "cr-only": lambda text: text.replace("\n", "\r"),
    "no-final-newline": lambda text: text.rstrip("\n"),
}

# (edits, text of TEMPLATE that changes, what it becomes)
CASES: list[tuple[list[Edit], str, str]] = [
    ([Set(f"{DB}/DeletionPolicy", "Retain")],
     '"DeletionPolicy": "Delete",', '"DeletionPolicy": "Retain",'),
    ([Add(f"{DB}/UpdateReplacePolicy", "Retain")],
     '        ]\n      }\n    },',
     '        ]\n      },\n      "UpdateReplacePolicy": "Retain"\n    },'),
    ([Add(f"{DB}/UpdateReplacePolicy", "Retain", before="DeletionPolicy")],
     '      "DeletionPolicy"', '      "UpdateReplacePolicy": "Retain",\n      "DeletionPolicy"'),
    ([Add(f"{DB}/Condition", "IsProd", before="Type")],
     '    "Db": {\n      "Type"', '    "Db": {\n      "Condition": "IsProd",\n      "Type"'),
    ([Remove(f"{DB}/DeletionPolicy")],
     '      "DeletionPolicy": "Delete",\n', ""),
    ([Remove(f"{DB}/Type")],
     '      "Type": "AWS::RDS::DBCluster",\n', ""),
    ([Remove("/Resources/Topic/Properties")],
     '"AWS::SNS::Topic",\n      "Properties": {}', '"AWS::SNS::Topic"'),
    ([Remove("/Resources/Topic")],
     '    },\n    "Topic": {\n      "Type": "AWS::SNS::Topic",\n      "Properties": {}\n    }\n', "    }\n"),
    ([Remove(f"{DB}/Properties/Tags/0")],
     '"Tags": [{"Key": "app", "Value": "ledger"}]', '"Tags": []'),
    ([Remove(f"{DB}/Properties/Tags/0/Key")],
     '{"Key": "app", "Value": "ledger"}', '{"Value": "ledger"}'),
    ([Add(f"{DB}/Properties/Tags/-", {"Key": "env", "Value": {"Ref": "Env"}})],
     '"Value": "ledger"}]', '"Value": "ledger"}, {"Key": "env", "Value": {"Ref": "Env"}}]'),
    ([Add(f"{DB}/Properties/Tags/0/Extra", [1, {"a": None}], before="Value")],
     '{"Key": "app", "Value"', '{"Key": "app", "Extra": [1, {"a": null}], "Value"'),
    ([Set(f"{DB}/Properties/Tags/0/Value", {"Fn::Sub": "${AWS::StackName}"})],
     '"Value": "ledger"', '"Value": {"Fn::Sub": "${AWS::StackName}"}'),
    ([Set(f"{GROUPS}/0", {"Fn::GetAtt": ["Sg", "GroupId"]})],
     '{"Ref": "DbSecurityGroup"}', '{"Fn::GetAtt": ["Sg", "GroupId"]}'),
    ([Add("/Resources/Topic/Properties/TopicName", {"Fn::Sub": "${AWS::StackName}-alerts"})],
     '      "Properties": {}\n',
     '      "Properties": {\n        "TopicName": {\n'
     '          "Fn::Sub": "${AWS::StackName}-alerts"\n        }\n      }\n'),
    ([Add(f"{GROUPS}/1", "sg-456")],
     '          "sg-123"', '          "sg-456",\n          "sg-123"'),
    ([Add(f"{GROUPS}/-", "sg-456")],
     '          "sg-123"\n', '          "sg-123",\n          "sg-456"\n'),
    ([Add(f"{GROUPS}/0", "sg-456")],
     '          {"Ref"', '          "sg-456",\n          {"Ref"'),
    ([Remove(f"{GROUPS}/1")],
     '{"Ref": "DbSecurityGroup"},\n          "sg-123"\n', '{"Ref": "DbSecurityGroup"}\n'),
    ([Remove(f"{GROUPS}/0")],
     '          {"Ref": "DbSecurityGroup"},\n', ""),
    ([Set(f"{DB}/Properties/Engine", {"Fn::If": ["IsProd", "aurora-mysql", {"Ref": "AWS::NoValue"}]})],
     '        "Engine": "aurora-mysql",',
     '        "Engine": {\n          "Fn::If": [\n            "IsProd",\n            "aurora-mysql",\n'
     '            {\n              "Ref": "AWS::NoValue"\n            }\n          ]\n        },'),
    ([Add("/Resources/Queue", {"Type": "AWS::SQS::Queue"}), Add("/Resources/Queue/DeletionPolicy", "Retain")],
     '      "Properties": {}\n    }\n',
     '      "Properties": {}\n    },\n    "Queue": {\n      "Type": "AWS::SQS::Queue",\n'
     '      "DeletionPolicy": "Retain"\n    }\n'),
    ([Set(f"{DB}/DeletionPolicy", "Retain"), Add(f"{DB}/UpdateReplacePolicy", "Retain", before="Properties"),
      Remove(f"{DB}/Type")],
     '      "Type": "AWS::RDS::DBCluster",\n      "DeletionPolicy": "Delete",\n',
     '      "DeletionPolicy": "Retain",\n      "UpdateReplacePolicy": "Retain",\n'),
    # edits whose ranges touch
    ([Set("/Resources/Topic/Properties", {"A": 1}), Add("/Resources/Topic/DeletionPolicy", "Retain")],
     '      "Properties": {}\n    }\n',
     '      "Properties": {\n        "A": 1\n      },\n      "DeletionPolicy": "Retain"\n    }\n'),
    ([Add("/Resources/Topic/Properties/A", 1), Add("/Resources/Topic/DeletionPolicy", "Retain")],
     '      "Properties": {}\n    }\n',
     '      "Properties": {\n        "A": 1\n      },\n      "DeletionPolicy": "Retain"\n    }\n'),
    ([Remove(f"{DB}/DeletionPolicy"), Add(f"{DB}/X", "x", before="Properties")],
     '      "DeletionPolicy": "Delete",\n', '      "X": "x",\n'),
    ([Add(f"{DB}/X", "x", before="DeletionPolicy"), Remove(f"{DB}/DeletionPolicy")],
     '      "DeletionPolicy": "Delete",\n', '      "X": "x",\n'),
    ([Remove("/Resources/Topic/Properties"), Add("/Resources/Topic/DeletionPolicy", "Retain")],
     '"AWS::SNS::Topic",\n      "Properties": {}', '"AWS::SNS::Topic",\n      "DeletionPolicy": "Retain"'),
    ([Remove(f"{DB}/Type"), Remove(f"{DB}/DeletionPolicy")],
     '      "Type": "AWS::RDS::DBCluster",\n      "DeletionPolicy": "Delete",\n', ""),
    ([Set("/Resources/Topic/Type", "X"), Remove("/Resources/Topic/Properties")],
     '"AWS::SNS::Topic",\n      "Properties": {}', '"X"'),
    ([Remove("/Resources/Topic/Type"), Remove("/Resources/Topic/Properties")],
     '    "Topic": {\n      "Type": "AWS::SNS::Topic",\n      "Properties": {}\n    }', '    "Topic": {}'),
    ([Remove(f"{GROUPS}/1"), Remove(f"{GROUPS}/0")],
     '[\n          {"Ref": "DbSecurityGroup"},\n          "sg-123"\n        ]', "[]"),
    ([Remove(f"{GROUPS}/0"), Set(f"{GROUPS}/0", "sg-789")],
     '          {"Ref": "DbSecurityGroup"},\n          "sg-123"', '          "sg-789"'),
    ([Add(jp.child(f"{DB}/Properties", ODD_KEY), "\ud800 é\n")],
     '        ]\n      }', '        ],\n        "Ke\\"y/~\\u0001": "\\ud800 é\\n"\n      }'),
]


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize(("edits", "old", "new"), CASES)
def test_edits_change_only_their_lines_in_the_files_style(edits, old, new, style):
    assert TEMPLATE.count(old) == 1
    convert = STYLES[style]
    assert spliced(convert(TEMPLATE), edits) == convert(TEMPLATE.replace(old, new))


MINIFIED = json.dumps(json.loads(TEMPLATE), separators=(",", ":"))


@pytest.mark.parametrize(
    ("edits", "old", "new"),
    [
        ([Set(f"{DB}/DeletionPolicy", "Retain")], '"DeletionPolicy":"Delete"', '"DeletionPolicy":"Retain"'),
        ([Add(f"{DB}/UpdateReplacePolicy", {"a": [1, 2]})],
         '"sg-123"]}}', '"sg-123"]},"UpdateReplacePolicy":{"a":[1,2]}}'),
        ([Remove(f"{DB}/DeletionPolicy")], '"DeletionPolicy":"Delete",', ""),
        ([Add("/Resources/Topic/Properties/TopicName", {"Fn::Sub": "x"})],
         '"Properties":{}}', '"Properties":{"TopicName":{"Fn::Sub":"x"}}}'),
        ([Remove("/Resources/Topic/Properties")], ',"Properties":{}', ""),
        ([Add(f"{DB}/Properties/List", ["a"]), Set(f"{DB}/Properties/List/0", {"b": [1, 2]})],
         '"sg-123"]}}', '"sg-123"],"List":[{"b":[1,2]}]}}'),
    ],
)
def test_a_minified_file_stays_minified(edits, old, new):
    assert MINIFIED.count(old) == 1
    assert spliced(MINIFIED, edits) == MINIFIED.replace(old, new)


def test_a_one_line_file_with_spaces_keeps_them():
    text = '{"Resources": {"A": {"Type": "T", "Properties": {}}}}'
    assert spliced(text, [Add("/Resources/A/Properties/X", [1, "b"])]) == text.replace("{}", '{"X": [1, "b"]}')


@pytest.mark.parametrize(
    "edit",
    [
        Set(f"{DB}/Missing", 1),
        Set(f"{GROUPS}/2", 1),
        Set(f"{DB}/Type/Deeper", 1),
        Add(f"{DB}/Type", "again"),
        Add(f"{GROUPS}/3", 1),
        Add(f"{GROUPS}/01", 1),
        Remove(f"{GROUPS}/-"),
        Remove("/Resources/Missing/Type"),
        Remove(""),
        Set(f"{DB}/Type", float("nan")),
        Set(f"{DB}/Type", 10 ** 5000),
        Set("Resources", 1),
    ],
)
def test_edits_that_do_not_fit_raise(edit):
    with pytest.raises(EditError):
        splice(TEMPLATE, [edit], "t.json")


def test_an_edit_may_address_what_an_earlier_one_created_or_renumbered():
    edits = [
        Add("/Resources/New", {"x": 1}),
        Add("/Resources/New/y", 2),
        Add(f"{GROUPS}/0", "first"),
        Set(f"{GROUPS}/2", "was-1"),
        Remove("/Resources/New/x"),
        Add("/Resources/New/z", 3, before="y"),
        Add("/Resources/Topic/A", 1),
        Add("/Resources/Topic/B", 2, before="A"),
    ]
    result = json.loads(spliced(TEMPLATE, edits))["Resources"]
    assert list(result["New"].items()) == [("z", 3), ("y", 2)]
    assert list(result["Topic"]) == ["Type", "Properties", "B", "A"]


@pytest.mark.parametrize("positions_of", [TEMPLATE, TEMPLATE.replace("  ", "   ")])
def test_the_callers_positions_are_used_only_for_their_own_text(positions_of):
    _, positions = json_source.load(positions_of, "t.json")
    positions.locate(DB)
    edit = Set(f"{DB}/DeletionPolicy", "Retain")
    assert splice(TEMPLATE, [edit], "t.json", positions) == TEMPLATE.replace('"Delete"', '"Retain"')


# -- random edits on real templates ----------------------------------------------------

HYPOTHESIS_FILES = [
    "cfn-lint-quickstart/nat-instance.json",
    "cfn-lint-quickstart/config-rules.json",
    "aws-cloudformation-templates/IoT/lambda-iot-topicrule.json",
    "aws-cloudformation-templates/S3/s3-bucket-and-policy-for-caa-v1.json",
    "aws-cloudformation-templates/RDS/RDS_Snapshot_On_Delete.json",
    "aws-cloudformation-templates/DynamoDB/DynamoDB_Secondary_Indexes.json",
    "aws-cloudformation-templates/EC2/InstanceWithCfnInit.json",
    "aws-cloudformation-templates/CloudFormation/MacrosExamples/PyPlate/python_example.json",
    "aws-cloudformation-templates/SQS/SQSFIFOQueue.json",
    "cfn-lint-public/lambda-poller.json",
]


@cache
def _corpus_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8-sig")


def _restyled(text: str, variant: str) -> str:
    if variant == "minified":
        return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
    return STYLES[variant](text)


_LONE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_chars = st.one_of(
    st.characters(),
    st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\x00", "\x1f", "\x7f", "\u2028",
                     '"', "\\", "/", "~", "\n"]),
)
# Two adjacent surrogates that make a pair cannot be written: JSON reads them as one character.
strings = st.lists(_chars, max_size=12).map("".join).filter(lambda text: not _LONE_PAIR.search(text))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), strings,
)
intrinsics = st.one_of(
    st.builds(lambda text: {"Fn::Sub": text}, strings),
    st.builds(lambda name: {"Ref": name}, strings),
    st.builds(lambda a, b: {"Fn::GetAtt": [a, b]}, strings, strings),
)
values = st.recursive(
    st.one_of(scalars, intrinsics),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(strings, children, max_size=3)),
    max_leaves=8,
)


def _pointers(value: Any, pointer: str = "") -> list[tuple[str, Any]]:
    found = [(pointer, value)]
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for token, child in children:
        found += _pointers(child, jp.child(pointer, token))
    return found


def _draw_edit(draw: st.DrawFn, data: Any, near: str) -> Edit:
    """A valid edit of ``data`` at or below ``near``."""
    nodes = [(pointer, value) for pointer, value in _pointers(data) if jp.is_within(pointer, near)]
    containers = [(pointer, value) for pointer, value in nodes if isinstance(value, (dict, list))]
    kind = draw(st.sampled_from(["set", "add", "remove"] if len(nodes) > 1 else ["add"]))
    if kind != "add":
        pointer, _ = draw(st.sampled_from([node for node in nodes if node[0]]))
        return Set(pointer, draw(values)) if kind == "set" else Remove(pointer)
    pointer, container = draw(st.sampled_from(containers))
    if isinstance(container, list):
        token = draw(st.sampled_from(["-", *map(str, range(len(container) + 1))]))
        return Add(jp.child(pointer, token), draw(values))
    name = draw(strings.filter(lambda key: key not in container))
    before = draw(st.none() | st.sampled_from(list(container) or [None]))
    return Add(jp.child(pointer, name), draw(values), before)


@st.composite
def edit_batches(draw: st.DrawFn, data: Any) -> list[Edit]:
    """One to four edits, each valid on the data the earlier ones leave, and often near
    the edit before: that is where a batch's edits interact."""
    current = copy_data(data)
    batch: list[Edit] = []
    near = ""
    for _ in range(draw(st.integers(1, 4))):
        edit = _draw_edit(draw, current, near)
        apply_edits(current, [edit])
        batch.append(edit)
        surroundings = jp.parent(jp.parent(edit.pointer))
        near = surroundings if draw(st.booleans()) and exists(current, surroundings) else ""
    return batch


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data(), st.sampled_from(HYPOTHESIS_FILES),
       st.sampled_from(["2-space", "crlf", "cr-only", "minified", "no-final-newline"]))
def test_random_edits_on_corpus_templates_read_back_as_the_edited_data(drawer, name, variant):
    text = _restyled(_corpus_text(name), variant)
    edits = drawer.draw(edit_batches(json.loads(text)))
    result = spliced(text, edits, name)
    single = edits[0]
    if len(edits) == 1 and isinstance(single, Set) and not isinstance(single.value, (dict, list)):
        assert changed_lines(text, result) <= set(member_lines(text, single.pointer))


# -- every JSON template of the corpus -------------------------------------------------

JSON_CORPUS = [path for path in corpus_files() if path.suffix == ".json"]


def _retain_edit(data: dict[str, Any]) -> tuple[Edit, str]:
    """The DeletionPolicy fix on the first resource (a new resource if there is none),
    and the member whose lines it may change."""
    resources = data["Resources"]
    name = next((key for key, value in resources.items() if isinstance(value, dict)), None)
    if name is None:
        return Add("/Resources/Added", {"Type": "AWS::SNS::Topic", "DeletionPolicy": "Retain"}), "/Resources"
    resource = jp.child("/Resources", name)
    pointer = jp.child(resource, "DeletionPolicy")
    edit = Set(pointer, "Retain") if "DeletionPolicy" in resources[name] else Add(pointer, "Retain")
    return edit, resource


@pytest.mark.parametrize("path", JSON_CORPUS, ids=corpus_id)
def test_the_deletion_policy_fix_changes_only_the_resources_lines(path: Path):
    text = path.read_text(encoding="utf-8-sig")
    edit, member = _retain_edit(json.loads(text))
    result = spliced(text, [edit], str(path))
    assert changed_lines(text, result) <= set(member_lines(text, member))
