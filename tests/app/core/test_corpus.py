"""Every real template of the shared corpus opens, saves byte for byte, converts both
ways to equal data, and takes an edit that touches only its own lines."""

import difflib

import pytest

from app.core import pointer as jp
from app.core.document import Document
from app.core.edits import Add, Set, same_data
from app.core.yaml_splice import content_end
from tests.conftest import corpus_files, corpus_id

FILES = corpus_files()


def test_corpus_is_the_expected_size():
    assert len(FILES) > 400


@pytest.mark.parametrize("path", FILES, ids=corpus_id)
def test_round_trip(path, tmp_path):
    document = Document.open(str(path))
    copy = tmp_path / path.name
    document.save(str(copy))
    assert copy.read_bytes() == path.read_bytes()

    other = "yaml" if document.format == "json" else "json"
    converted = Document.from_text(document.render(other), f"converted.{other}")
    assert same_data(converted.data, document.data)
    back = Document.from_text(converted.render(document.format), f"back.{document.format}")
    assert same_data(back.data, document.data)


def _editable_resource(document: Document) -> str | None:
    names = [name for name, body in document.data["Resources"].items() if isinstance(body, dict)]
    return names[len(names) // 2] if names else None


YAML_FILES = [path for path in FILES if Document.open(str(path)).format == "yaml"]
EDITABLE = [path for path in YAML_FILES if _editable_resource(Document.open(str(path)))]


def test_yaml_templates_without_a_plain_resource_have_none_to_edit():
    for path in set(YAML_FILES) - set(EDITABLE):
        resources = Document.open(str(path)).data["Resources"]
        assert all(name.startswith("Fn::ForEach::") for name in resources), path


@pytest.mark.parametrize("path", EDITABLE, ids=corpus_id)
def test_yaml_edit_touches_only_the_edited_resource(path):
    document = Document.open(str(path))
    name = _editable_resource(document)
    resource = jp.join(["Resources", name])
    key, body = document.positions.find(resource)
    first_line = key.start_mark.line
    last_line = document.text.count("\n", 0, content_end(document.text, body))
    before = document.text.splitlines()

    pointer = resource + "/DeletionPolicy"
    old_policy = document.data["Resources"][name].get("DeletionPolicy")
    had_policy = old_policy is not None
    new_policy = "Snapshot" if old_policy == "Retain" else "Retain"
    document.apply([Set(pointer, new_policy) if had_policy else Add(pointer, new_policy)])
    after = document.text.splitlines()

    assert document.warnings == []
    assert same_data(Document.from_text(document.text, path.name).data, document.data)
    opcodes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    changes = [op for op in opcodes if op[0] != "equal"]
    assert changes, "the edit must show in the text"
    for _tag, start, end, _new_start, _new_end in changes:
        assert first_line <= start and end <= last_line + 1, (start, end, first_line, last_line)
    if not had_policy:
        assert len(changes) == 1 and changes[0][0] == "insert"
        inserted = after[changes[0][3] : changes[0][4]]
        assert [line.strip() for line in inserted] == ["DeletionPolicy: Retain"]
