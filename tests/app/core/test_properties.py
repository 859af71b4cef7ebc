"""Property-based tests of the core's promises, on real templates of the corpus:

- any batch of edits either applies — and then the text reads back as the edited data,
  everything outside the edited entries stays byte for byte, and the inverse batch
  restores the exact bytes — or is refused with data and text unchanged;
- any mutation of a template's bytes loads or raises the located TemplateError, never
  another exception, within time limits.

The budget is fixed (see the Hypothesis profiles in tests/conftest.py); failing examples
that Hypothesis found are kept as regular tests in test_document_integrity.py and
test_json_splice.py.
"""

from __future__ import annotations

import re
import time
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import pointer as jp
from app.core.document import Document
from app.core.edits import Add, Edit, Remove, Set, apply_one, copy_data, same_data
from app.core.errors import EditError, TemplateError
from app.core.loading import decode, parse_text
from tests.conftest import CORPUS

TEMPLATES = [
    "aws-cloudformation-templates/NeptuneDB/Neptune.yaml",
    "aws-cloudformation-templates/ECS/FargateLaunchType/clusters/private-vpc.yaml",
    "aws-cloudformation-templates/IoT/amzn2-greengrass-cfn.yaml",
    "aws-cloudformation-templates/CloudFormation/StackSets/common-resources.yaml",
    "cfn-lint-quickstart/nist_application.yaml",
    "cfn-lint-public/rds-cluster.yaml",
    "cfn-lint-good/resources/cloudformation/sam_stacks.yaml",
    "cfn-lint-public/lambda-poller.json",
    "cfn-lint-public/watchmaker.json",
    "cfn-lint-quickstart/iam.json",
    "cfn-lint-quickstart/vpc.json",
]

ANCHORED = """# shared settings
Common: &common
  Engine: aurora-mysql   # engine
  StorageEncrypted: false
Tags: &tags [{Key: app, Value: ledger}]
Resources:
  Ledger:
    Type: AWS::RDS::DBCluster
    Properties: *common
  Reports:
    Type: AWS::RDS::DBCluster
    Properties:
      <<: *common
      Tags: *tags
  Queue:
    Type: AWS::SQS::Queue
    Properties: {Tags: *tags}
"""

AWKWARD = [
    "", " ", "\n", "\nlead", " lead", "trail ", "a\n\n", "x\n\n\n", "two\nlines", "\t", "yes", "no", "on", "null",
    "~", "012", "0x1F", "1e5", "1.0", ".inf", "2012-10-17", "- dash", "? q", ": c", "?x", ":x", "# hash", "a: b",
    "a #b", "*star", "&amp", "!bang", "%pct", "@at", "`tick", "|pipe", ">gt", "'q'", '"d"', "\x7f", "\x85",
    "\u2028", "\ufeff", "\ufffe", "\x80", "\x00", "é ü", "${AWS::StackName}", "arn:aws:s3:::b/*", "\ud800",
    "<<", "Ref", "Fn::Sub",
]
strings = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=20))
names = st.sampled_from(["Bucket", "Table", "AWS::Region", "Role", "Env"])
scalars = st.one_of(strings, st.integers(-(2**70), 2**70), st.floats(allow_nan=False, allow_infinity=False),
                    st.booleans(), st.none())
intrinsics = st.one_of(
    st.builds(lambda name: {"Ref": name}, names),
    st.builds(lambda name, attribute: {"Fn::GetAtt": [name, attribute]}, names,
              st.sampled_from(["Arn", "Endpoint.Address"])),
    st.just({"Fn::GetAtt": "Bucket.Arn"}),
    st.builds(lambda text: {"Fn::Sub": text}, strings),
    st.builds(lambda text: {"Fn::Base64": {"Fn::Sub": text}}, strings),
    st.builds(lambda condition, value: {"Fn::If": [condition, value, {"Ref": "AWS::NoValue"}]}, names, scalars),
    st.builds(lambda parts: {"Fn::Join": ["", parts]}, st.lists(strings, max_size=3)),
)
values = st.recursive(
    st.one_of(scalars, intrinsics),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(strings, children, max_size=3)),
    max_leaves=6,
)


@cache
def source(name: str) -> str:
    if name == "anchored.yaml":
        return ANCHORED
    text, _ = decode((CORPUS / name).read_bytes(), name)
    return text


def pointers(data: Any, base: str = "") -> list[tuple[str, Any]]:
    """Every node below the top-level sections, with its value."""
    found = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for token, value in items:
        pointer = jp.child(base, token)
        if pointer.count("/") >= 2:
            found.append((pointer, value))
        found.extend(pointers(value, pointer))
    return found


def new_key(mapping: dict[str, Any]) -> st.SearchStrategy[str]:
    """A key that ``mapping`` does not have yet."""
    return strings.filter(lambda key: key not in mapping)


@st.composite
def batches(draw: st.DrawFn, data: dict[str, Any]) -> list[Edit]:
    """1-4 edits, each valid in the state the earlier ones of the batch leave."""
    scratch = copy_data(data)
    edits: list[Edit] = []
    for _ in range(draw(st.integers(1, 4))):
        nodes = pointers(scratch)
        pointer, value = draw(st.sampled_from(nodes))
        kind = draw(st.sampled_from(["set", "add", "remove"]))
        if kind == "set":
            edit: Edit = Set(pointer, draw(values))
        elif kind == "remove":
            edit = Remove(pointer)
        elif isinstance(value, dict):
            edit = Add(jp.child(pointer, draw(new_key(value))), draw(values))
        elif isinstance(value, list):
            edit = Add(jp.child(pointer, draw(st.sampled_from(["-", *map(str, range(len(value) + 1))]))), draw(values))
        else:
            edit = Set(pointer, draw(values))
        apply_one(scratch, edit)
        edits.append(edit)
    return edits


def variant(text: str, newline: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", newline)


def entry_lines(document: Document, edits: list[Edit]) -> set[int]:
    """0-based lines of the original text that belong to the top-level entries the edits
    touch (an entry runs to the line before the next entry starts), and the line just
    after each, where new members are inserted."""
    starts = sorted({document.locate(jp.join(path)).line - 1 for path in _entry_paths(document.data)})
    lines: set[int] = set()
    for edit in edits:
        parts = jp.split(edit.pointer)
        entry = parts[:2] if isinstance(document.data.get(parts[0]), dict) and len(parts) >= 2 else parts[:1]
        location = document.positions.locate(jp.join(entry))
        section = document.positions.locate(jp.join(entry[:1]))
        start = (location or section or document.locate("")).line - 1
        following = [line for line in starts if line > start]
        end = following[0] if following else len(split_lines(document.text))
        lines.update(range(start, end + 1))
        if section is not None:  # a section emptied or filled is rewritten from its key line on
            first_entry = min((line for line in starts if line > section.line - 1), default=start)
            lines.update(range(section.line - 1, max(first_entry, start)))
    return lines


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    """Whether ``needle``'s lines appear in ``haystack`` in order (line-diff alignments
    are ambiguous where neighbouring entries end with identical lines)."""
    rest = iter(haystack)
    return all(any(line == candidate for candidate in rest) for line in needle)


def split_lines(text: str) -> list[str]:
    """Lines as YAML readers count them (JSON text has no other breaks outside strings)."""
    return re.split("\r\n|\r|\n|\x85|\u2028|\u2029", text)


def _touches(edit: Edit, entry: tuple[str, ...]) -> bool:
    pointer = jp.join(entry)
    return jp.is_within(edit.pointer, pointer) or jp.is_within(pointer, edit.pointer)


def _at(data: dict[str, Any], entry: tuple[str, ...]) -> Any:
    for token in entry:
        data = data[token]
    return data


def _entry_paths(data: dict[str, Any]) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    for section, body in data.items():
        paths.append((section,))
        if isinstance(body, dict):
            paths.extend((section, name) for name in body)
    return paths


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_random_edit_batches_read_back_keep_the_rest_and_undo_to_the_byte(data):
    name = data.draw(st.sampled_from([*TEMPLATES, "anchored.yaml"]), label="template")
    newline = data.draw(st.sampled_from(["\n", "\r\n", "\r"]), label="newline")
    text = variant(source(name), newline)
    document = Document.from_text(text, name)
    before = copy_data(document.data)
    edits = data.draw(batches(document.data), label="edits")
    try:
        inverse = document.apply(edits)
    except EditError:
        assert same_data(document.data, before) and document.text == text
        return
    again = Document.from_text(document.text, name)
    assert same_data(again.data, document.data)
    untouched = {entry for entry in _entry_paths(before) if not any(_touches(edit, entry) for edit in edits)}
    for entry in untouched:  # an edit never writes through an alias into another entry
        assert same_data(_at(document.data, entry), _at(before, entry)), entry
    if not document.take_warnings() and name != "anchored.yaml":  # unsharing writes explicit copies at alias sites
        allowed = entry_lines(Document.from_text(text, name), edits)
        kept = [line for number, line in enumerate(split_lines(text)) if number not in allowed]
        assert is_subsequence(kept, split_lines(document.text)), "a line outside the edited entries changed"
        assert set(re.findall("\r\n|\r|\n", document.text)) <= {newline}
    document.apply(inverse)
    assert document.text == text


MUTATIONS = [b"*a", b"&a ", b"<<: ", b"!!", b"{", b"[", b"]", b"}", b": ", b"- ", b"\t", b"\"", b"'", b"\\u", b"#",
             b"\r", b"\x00", b"\xff", b"\xc3", b"1e999", b"9" * 40, b"!Ref ", b"!GetAtt ", b"|+\n", b"%YAML 1.1\n",
             b"---\n"]


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_bytes_load_or_fail_with_a_located_error(data):
    name = data.draw(st.sampled_from(TEMPLATES), label="template")
    raw = bytearray((CORPUS / name).read_bytes())
    for _ in range(data.draw(st.integers(1, 6), label="mutations")):
        at = data.draw(st.integers(0, len(raw)), label="at")
        kind = data.draw(st.sampled_from(["insert", "delete", "flip", "duplicate"]), label="kind")
        if kind == "insert":
            raw[at:at] = data.draw(st.one_of(st.sampled_from(MUTATIONS), st.binary(max_size=4)), label="bytes")
        elif kind == "delete":
            del raw[at : at + data.draw(st.integers(1, 40))]
        elif kind == "flip" and at < len(raw):
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
        else:
            raw[at:at] = raw[at : at + data.draw(st.integers(1, 200))]
    started = time.perf_counter()
    try:
        text, _ = decode(bytes(raw), name)
        parse_text(text, name)
    except TemplateError as error:
        assert error.path == name and error.line >= 0 and error.column >= 0
    assert time.perf_counter() - started < 2.0
