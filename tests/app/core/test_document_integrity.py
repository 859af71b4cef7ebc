"""A batch of edits is a transaction, planned against its own intermediate state, and it
never writes through a YAML alias into the other users of a shared node."""

import difflib

import pytest

from app.core import yaml_splice, yaml_writer
from app.core.document import Document
from app.core.edits import Add, Remove, Set, copy_data
from app.core.errors import EditError

YAML = """# stack
Resources:
  Db:
    Type: AWS::RDS::DBCluster  # the ledger
    DeletionPolicy: Delete
    Properties:
      Engine: aurora-mysql
"""


def changed(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def reread(document: Document) -> None:
    assert Document.from_text(document.text, "again" + document.path[-5:]).data == document.data


@pytest.mark.parametrize("broken", ["splice", "dump"])
def test_a_writer_failure_rejects_the_batch_and_keeps_data_and_text(monkeypatch, broken):
    document = Document.from_text(YAML, "t.yaml")
    data, text, revision = copy_data(document.data), document.text, document.revision

    def explode(*args, **kwargs):
        raise RuntimeError("writer bug")

    monkeypatch.setattr(yaml_splice.Splicer, "apply", explode)
    if broken == "dump":
        monkeypatch.setattr(yaml_writer, "dump", explode)
        with pytest.raises(EditError, match="cannot be written faithfully"):
            document.apply([Set("/Resources/Db/DeletionPolicy", "Retain")])
        assert (document.data, document.text, document.revision) == (data, text, revision)
        return
    # Only the splice fails: the whole-file rewrite reads back equal, so the batch stands, with a warning.
    document.apply([Set("/Resources/Db/DeletionPolicy", "Retain")])
    assert document.data["Resources"]["Db"]["DeletionPolicy"] == "Retain"
    reread(document)
    assert document.take_warnings() and not document.take_warnings()


def test_an_edit_that_does_not_fit_changes_nothing():
    document = Document.from_text(YAML, "t.yaml")
    data, text = copy_data(document.data), document.text
    with pytest.raises(EditError):
        document.apply([Set("/Resources/Db/DeletionPolicy", "Retain"), Remove("/Resources/Nope")])
    assert (document.data, document.text) == (data, text)


def test_a_value_yaml_cannot_carry_is_refused_with_data_and_text_unchanged():
    document = Document.from_text(YAML, "t.yaml")
    data, text = copy_data(document.data), document.text
    with pytest.raises(EditError, match="surrogate"):
        document.apply([Set("/Resources/Db/Properties/Engine", "bad \ud800")])
    assert (document.data, document.text) == (data, text)


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_edits_that_build_on_earlier_edits_of_the_batch_splice_without_fallback(suffix):
    json_source = '{\n  "Resources": {\n    "Db": {\n      "Type": "AWS::RDS::DBCluster"\n    }\n  }\n}\n'
    source = YAML if suffix == "yaml" else json_source
    document = Document.from_text(source, f"t.{suffix}")
    document.apply([
        Add("/Resources/New", {"Type": "AWS::SNS::Topic"}),
        Add("/Resources/New/Properties", {"TopicName": "x"}),
        Add("/Resources/New/Properties/DisplayName", "y"),
        Add("/Resources/Db/Tags", ["a", "b", "c"]),
        Remove("/Resources/Db/Tags/0"),
        Set("/Resources/Db/Tags/1", "C"),
    ])
    assert document.data["Resources"]["New"] == {"Type": "AWS::SNS::Topic",
                                                 "Properties": {"TopicName": "x", "DisplayName": "y"}}
    assert document.data["Resources"]["Db"]["Tags"] == ["b", "C"]
    reread(document)
    assert document.take_warnings() == []


def test_edits_in_a_top_level_list_are_spliced():
    source = "Transform:\n- AWS::Serverless-2016-10-31  # SAM\nResources:\n  A: {Type: AWS::SNS::Topic}\n"
    document = Document.from_text(source, "t.yaml")
    document.apply([Add("/Transform/-", "AWS::LanguageExtensions")])
    assert changed(source, document.text) == ["+- AWS::LanguageExtensions"]
    assert document.take_warnings() == []


def test_a_multi_line_value_on_a_key_with_an_end_of_line_comment_keeps_the_comment_out_of_the_value():
    source = ("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n"
              "      Code: x  # inline code\n      Runtime: python3.12\n")
    document = Document.from_text(source, "t.yaml")
    document.apply([Set("/Resources/F/Properties/Code", "def handler(e, c):\n    return 1\n")])
    assert document.data["Resources"]["F"]["Properties"]["Code"] == "def handler(e, c):\n    return 1\n"
    expected = "      Code: | # inline code\n        def handler(e, c):\n            return 1\n      Runtime"
    assert expected in document.text
    assert document.take_warnings() == []


def test_cr_only_files_keep_cr_line_endings():
    source = YAML.replace("\n", "\r")
    document = Document.from_text(source, "t.yaml")
    document.apply([Set("/Resources/Db/DeletionPolicy", "Retain"), Add("/Resources/Db/UpdateReplacePolicy", "Retain"),
                    Add("/Resources/Db/Properties/Tags", [{"Key": "a", "Value": "b"}])])
    assert "\n" not in document.text
    expected = (YAML.replace("Delete", "Retain")
                + "      Tags:\n        - Key: a\n          Value: b\n    UpdateReplacePolicy: Retain\n")
    assert document.text == expected.replace("\n", "\r")
    assert document.take_warnings() == []


# -- anchors, aliases and merge keys ----------------------------------------------------
SHARED = """Common: &common
  Engine: aurora-mysql
  StorageEncrypted: false
Resources:
  Ledger:
    Type: AWS::RDS::DBCluster
    Properties: *common
  Reports:
    Type: AWS::RDS::DBCluster
    Metadata: {cfn-doctor: {ignore: [CD2001]}}
    Properties: *common
  Archive:
    Type: AWS::RDS::DBCluster
    Properties:
      <<: *common
      DatabaseName: archive
"""


def others_unchanged(before: dict, after: dict, edited: str) -> None:
    for name, body in before["Resources"].items():
        if name != edited:
            assert after["Resources"][name] == body, name


@pytest.mark.parametrize("edit", [
    Set("/Resources/Ledger/Properties/StorageEncrypted", True),
    Add("/Resources/Ledger/Properties/DeletionProtection", True),
    Remove("/Resources/Ledger/Properties/StorageEncrypted"),
    Set("/Resources/Archive/Properties/StorageEncrypted", True),
    Add("/Resources/Archive/Properties/DeletionProtection", True),
    Remove("/Resources/Archive/Properties/Engine"),
    Set("/Common/Engine", "aurora-postgresql"),
])
def test_an_edit_inside_an_alias_or_merge_never_reaches_the_other_users(edit):
    document = Document.from_text(SHARED, "t.yaml")
    before = copy_data(document.data)
    document.apply([edit])
    edited = edit.pointer.split("/")[2] if edit.pointer.startswith("/Resources/") else None
    reread(document)
    if edited:
        others_unchanged(before, document.data, edited)
    else:  # editing the anchor itself: its users keep what they had
        for name in ("Ledger", "Reports", "Archive"):
            assert document.data["Resources"][name]["Properties"]["Engine"] == "aurora-mysql"
    assert document.take_warnings() == []


def test_unsharing_writes_an_explicit_copy_only_where_the_edit_is():
    document = Document.from_text(SHARED, "t.yaml")
    document.apply([Set("/Resources/Ledger/Properties/StorageEncrypted", True)])
    assert changed(SHARED, document.text) == [
        "-    Properties: *common",
        "+    Properties:",
        "+      Engine: aurora-mysql",
        "+      StorageEncrypted: true",
    ]


def test_an_anchor_defined_inside_a_replaced_value_stays_defined_for_its_users():
    source = ("Resources:\n  A:\n    Type: T\n    Properties:\n      Tags: &tags [{Key: a, Value: b}]\n"
              "  B:\n    Type: T\n    Properties:\n      Tags: *tags\n")
    document = Document.from_text(source, "t.yaml")
    document.apply([Set("/Resources/A/Properties", {"Other": 1})])
    assert document.data["Resources"]["B"]["Properties"]["Tags"] == [{"Key": "a", "Value": "b"}]
    reread(document)
    assert document.take_warnings() == []


def test_merge_sources_follow_yaml_precedence():
    source = "A: &a {x: 1, y: 1}\nB: &b {x: 2, z: 2}\nResources:\n  R:\n    <<: [*a, *b]\n    y: 3\n"
    document = Document.from_text(source, "t.yaml")
    assert document.data["Resources"]["R"] == {"x": 1, "y": 3, "z": 2}


# -- failing examples found by the property tests and the fallback benchmark -----------
def test_removing_every_member_of_a_section_in_one_batch_leaves_an_empty_mapping():
    source = "Metadata:\n  cfn-lint:\n    config: {}\n\n  Other:\n    X: 1\nResources:\n  A: {Type: T}\n"
    document = Document.from_text(source, "t.yaml")
    document.apply([Remove("/Metadata/cfn-lint"), Remove("/Metadata/Other")])
    assert document.data["Metadata"] == {}
    reread(document)
    assert document.take_warnings() == []


def test_removing_the_function_of_a_short_form_tag():
    source = "Resources:\n  R:\n    Type: T\n    Properties:\n      Name: !Join ['-', [a, b]]\n"
    document = Document.from_text(source, "t.yaml")
    document.apply([Remove("/Resources/R/Properties/Name/Fn::Join")])
    assert document.data["Resources"]["R"]["Properties"]["Name"] == {}
    assert "      Name: {}\n" in document.text and document.take_warnings() == []


def test_a_literal_block_never_swallows_the_indented_comments_after_it():
    source = ("Resources:\n  R:\n    Type: T\n    Properties:\n      Config:\n        Port: 80\n\n"
              "        # Port: 8080\nOutputs: {}\n")
    document = Document.from_text(source, "t.yaml")
    document.apply([Add("/Resources/R/Properties/Config/Script", "#!/bin/sh\necho hi\n")])
    assert document.data["Resources"]["R"]["Properties"]["Config"]["Script"] == "#!/bin/sh\necho hi\n"
    assert "        # Port: 8080\n" in document.text and document.take_warnings() == []


@pytest.mark.parametrize(("source", "edit", "expected"), [
    ("Resources:\n  A: old\n\n\n  B: 1\n", Set("/Resources/A", "a\nb\n\n"), "  A: |+\n    a\n    b\n\n  B: 1\n"),
    ("Resources:\n  A: old  # note\n  B: 1\n", Set("/Resources/A", "a\nb\n\n"),
     "  A: |+ # note\n    a\n    b\n\n  B: 1\n"),
    ("Resources:\n  L:\n  - a\n\n\nX: 1\n", Add("/Resources/L/-", "a\nb\n\n"), "  - a\n  - |+\n    a\n    b\n\nX: 1\n"),
    ("Resources:\n  A: old   \n  B: 1\n", Set("/Resources/A", "x\n  y  \n"), "  A: |\n    x\n      y  \n  B: 1\n"),
])
def test_kept_blocks_and_trailing_blanks_at_the_end_of_an_edited_region(source, edit, expected):
    document = Document.from_text(source, "t.yaml")
    document.apply([edit])
    assert document.text.endswith(expected)
    reread(document)
    assert document.take_warnings() == []


def test_a_key_added_to_a_single_pair_in_a_flow_sequence_gets_braces():
    source = "Resources:\n  R:\n    Type: T\n    Properties:\n      Id:\n        Fn::If: [ c, Ref: A , Ref: B ]\n"
    document = Document.from_text(source, "t.yaml")
    document.apply([Add("/Resources/R/Properties/Id/Fn::If/2/Extra", "x")])
    assert "        Fn::If: [ c, Ref: A , {Ref: B, Extra: x}" in document.text
    assert document.take_warnings() == []
