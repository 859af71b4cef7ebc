"""The crash-recovery journal: one entry per document, written atomically, and the edits
that bring a document to a journaled text."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.document import Document
from app.core.edits import Add, Remove, Set, apply_edits, copy_data, same_data
from app.core.errors import TemplateError
from app.core.journal import Journal, digest, edits_between, file_digest


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal")


def test_an_entry_holds_what_was_recorded(journal, tmp_path):
    path = str(tmp_path / "a.yaml")
    journal.record(path, "Resources: {}\n", "yaml", "abc")
    (entry,) = journal.entries()
    assert (entry.path, entry.text, entry.format, entry.base_digest) == (path, "Resources: {}\n", "yaml", "abc")
    assert entry.time > 0
    assert journal.entry(path) == entry


def test_one_entry_per_document_newest_first(journal, tmp_path):
    first, second = str(tmp_path / "a.yaml"), str(tmp_path / "b.json")
    journal.record(first, "one", "yaml", None)
    journal.record(second, "{}", "json", None)
    journal.record(first, "two", "yaml", None)
    assert [(entry.path, entry.text) for entry in journal.entries()] == [(first, "two"), (second, "{}")]


def test_a_relative_path_is_the_same_document(journal, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    journal.record("a.yaml", "one", "yaml", None)
    journal.record(str(tmp_path / "a.yaml"), "two", "yaml", None)
    assert [(entry.path, entry.text) for entry in journal.entries()] == [(str(tmp_path / "a.yaml"), "two")]


def test_the_untitled_document_has_its_own_entry(journal, tmp_path):
    journal.record(None, "untitled", "json", None)
    journal.record(str(tmp_path / "a.yaml"), "titled", "yaml", None)
    assert journal.entry(None).text == "untitled"
    journal.discard(None)
    assert [entry.text for entry in journal.entries()] == ["titled"]


def test_discard_removes_the_entry_and_tolerates_none(journal, tmp_path):
    path = str(tmp_path / "a.yaml")
    journal.discard(path)
    journal.record(path, "one", "yaml", None)
    journal.discard(path)
    assert journal.entries() == [] and journal.entry(path) is None


def test_no_folder_yet_means_no_entries(tmp_path):
    assert Journal(tmp_path / "never-created").entries() == []


def test_the_folder_is_private(journal):
    journal.record(None, "secret template", "yaml", None)
    assert stat.S_IMODE(os.stat(journal.folder).st_mode) == 0o700


def test_what_is_not_a_whole_entry_is_left_out(journal, tmp_path):
    journal.record(str(tmp_path / "a.yaml"), "kept", "yaml", None)
    folder = journal.folder
    for name, content in [("torn.json", '{"version": 1, "path": "x", "te'), ("other.json", '{"version": 99}'),
                          ("list.json", "[1, 2]"), (".~leftover.json.abc123", "{}"), ("notes.txt", "hello")]:
        with open(os.path.join(folder, name), "w") as stream:
            stream.write(content)
    assert [entry.text for entry in journal.entries()] == ["kept"]


def test_a_failed_write_keeps_the_previous_entry_whole(journal, tmp_path, monkeypatch):
    path = str(tmp_path / "a.yaml")
    journal.record(path, "before", "yaml", None)

    def fail(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(TemplateError, match="No space left on device"):
        journal.record(path, "after", "yaml", None)
    monkeypatch.undo()
    assert [entry.text for entry in journal.entries()] == ["before"]
    assert sorted(os.listdir(journal.folder)) == [os.path.basename(journal._file(path))]


def test_an_unusable_folder_is_a_template_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(TemplateError, match="cannot create the journal folder"):
        Journal(blocker / "journal").record(None, "text", "yaml", None)


def test_file_digest(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"Resources: {}\n")
    assert file_digest(str(path)) == digest(b"Resources: {}\n") != digest(b"")
    assert file_digest(str(tmp_path / "missing")) is None


# -- the edits that restore a journaled text ---------------------------------------------
def test_edits_between_are_as_deep_as_the_difference():
    old = {"Resources": {"Db": {"Type": "AWS::RDS::DBCluster", "DeletionPolicy": "Delete"},
                         "Fn": {"Type": "AWS::Lambda::Function"}}}
    new = copy_data(old)
    new["Resources"]["Db"]["DeletionPolicy"] = "Retain"
    assert edits_between(old, new) == [Set("/Resources/Db/DeletionPolicy", "Retain")]
    assert edits_between(old, copy_data(old)) == []


def test_edits_between_put_keys_back_in_their_place():
    old = {"a": 1, "b": 2, "c": 3}
    new = {"x": 0, "a": 1, "c": 3, "b": 2}
    edits = edits_between(old, new)
    assert edits == [Remove("/c"), Add("/x", 0, "a"), Add("/c", 3, "b")]  # one key moves, the rest stay
    data = copy_data(old)
    apply_edits(data, edits)
    assert same_data(data, new)


keys = st.sampled_from(["a", "b", "c", "d", "e/f", "~g"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "1", "true"]))
values = st.recursive(
    scalars, lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=4)),
    max_leaves=12)
mappings = st.dictionaries(keys, values, max_size=5)


@settings(max_examples=150, deadline=None)
@given(mappings, mappings)
def test_edits_between_turn_one_into_the_other(old, new):
    data = copy_data(old)
    apply_edits(data, edits_between(old, new))
    assert same_data(data, new)


def test_restoring_through_a_document_keeps_the_untouched_text():
    text = "# Stack\nResources:\n  Db:  # the database\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Delete\n"
    document = Document.from_text(text, "t.yaml")
    journaled = Document.from_text(text.replace("Delete", "Snapshot"), "t.yaml")
    document.apply(edits_between(document.data, journaled.data))
    assert document.text == journaled.text


def test_a_running_editors_entry_is_not_offered_but_a_dead_ones_is(tmp_path):
    journal = Journal(tmp_path)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        for pid, name in ((live.pid, "live.yaml"), (dead.pid, "dead.yaml")):
            journal.record(str(tmp_path / name), "Resources: {}\n", "yaml", None)
            entry_file = journal._file(str(tmp_path / name))
            raw = json.loads(open(entry_file).read())
            raw["pid"] = pid
            open(entry_file, "w").write(json.dumps(raw))
        assert [os.path.basename(entry.path) for entry in journal.entries()] == ["dead.yaml"]
        assert journal.entry(str(tmp_path / "live.yaml")) is None
    finally:
        live.kill()
        live.wait()
