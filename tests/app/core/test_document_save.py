import os
import stat
from pathlib import Path

import pytest

from app.core import atomic
from app.core.document import Document
from app.core.edits import Set
from app.core.errors import TemplateError

YAML = "# comment\nResources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Delete\n"


def test_unedited_save_is_byte_identical_with_bom_and_crlf(write):
    raw = b"\xef\xbb\xbf" + YAML.replace("\n", "\r\n").encode()
    path = write("t.yaml", raw)
    Document.open(str(path)).save()
    assert path.read_bytes() == raw


def test_save_keeps_file_mode(write):
    path = write("t.yaml", YAML)
    os.chmod(path, 0o640)
    document = Document.open(str(path))
    document.apply([Set("/Resources/Db/DeletionPolicy", "Retain")])
    document.save()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert path.read_text() == YAML.replace("Delete", "Retain")


@pytest.mark.parametrize("failing", ["fsync", "replace", "write"])
def test_failed_save_leaves_original_intact_and_no_temp_file(write, monkeypatch, failing):
    path = write("t.yaml", YAML)
    document = Document.open(str(path))
    document.apply([Set("/Resources/Db/DeletionPolicy", "Retain")])

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        class BrokenStream:
            def __init__(self, handle, mode):
                self._stream = real_fdopen(handle, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._stream.close()

            def write(self, data):
                self._stream.write(data[: len(data) // 2])
                broken()

        monkeypatch.setattr(atomic.os, "fdopen", BrokenStream)
    else:
        monkeypatch.setattr(atomic.os, failing, broken)
    with pytest.raises(TemplateError) as caught:
        document.save()
    assert "No space left on device" in str(caught.value)
    assert path.read_text() == YAML
    assert os.listdir(path.parent) == ["t.yaml"]


def test_save_into_missing_folder_is_a_clear_error(write, tmp_path):
    document = Document.open(str(write("t.yaml", YAML)))
    with pytest.raises(TemplateError) as caught:
        document.save(str(tmp_path / "no" / "such" / "out.yaml"))
    assert "cannot write" in caught.value.message


def test_save_as_other_format_by_extension(write, tmp_path):
    document = Document.open(str(write("t.yaml", YAML)))
    target = tmp_path / "out.json"
    document.save(str(target))
    assert Document.open(str(target)).data == document.data
    assert document.path.endswith("t.yaml")  # exporting leaves the document on its file


def test_save_as_same_format_moves_the_document(write, tmp_path):
    document = Document.open(str(write("t.yaml", YAML)))
    document.save(str(tmp_path / "copy.yml"))
    assert document.path == str(tmp_path / "copy.yml")


def test_listeners_hear_every_applied_batch():
    document = Document.from_text(YAML, "t.yaml")
    heard = []
    document.subscribe(heard.append)
    document.apply([Set("/Resources/Db/DeletionPolicy", "Retain")])
    assert heard == [(Set("/Resources/Db/DeletionPolicy", "Retain"),)]
    assert document.revision == 1


def edited_document(write) -> tuple[Document, Path]:
    """A document with one edit not yet saved, and its file."""
    path = write("t.yaml", YAML)
    document = Document.open(str(path))
    document.apply([Set("/Resources/Db/DeletionPolicy", "Retain")])
    return document, path


def test_saving_through_a_chain_of_links_replaces_the_file_and_keeps_the_links(write, tmp_path):
    target = write("real.yaml", YAML)
    (tmp_path / "sub").mkdir()
    middle = tmp_path / "sub" / "middle.yaml"
    middle.symlink_to(target)
    link = tmp_path / "link.yaml"
    link.symlink_to(os.path.relpath(middle, tmp_path))
    atomic.write_atomic(str(link), b"new\n")
    assert target.read_bytes() == b"new\n"
    assert link.is_symlink() and middle.is_symlink() and os.readlink(middle) == str(target)
    assert sorted(os.listdir(tmp_path)) == ["link.yaml", "real.yaml", "sub"]
    assert os.listdir(tmp_path / "sub") == ["middle.yaml"]


def test_document_saved_through_a_link_stays_on_the_link(write, tmp_path):
    document, target = edited_document(write)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    document.save(str(link))
    assert link.is_symlink() and document.path == str(link)
    assert target.read_text() == YAML.replace("Delete", "Retain")


def test_a_dangling_link_gets_its_file_created(tmp_path):
    link = tmp_path / "link.yaml"
    link.symlink_to("made.yaml")
    atomic.write_atomic(str(link), b"x\n")
    assert link.is_symlink() and (tmp_path / "made.yaml").read_bytes() == b"x\n"


def test_read_only_file_is_refused_unless_asked(write):
    path = write("t.yaml", YAML)
    os.chmod(path, 0o444)
    with pytest.raises(TemplateError) as caught:
        atomic.write_atomic(str(path), b"new\n")
    assert str(caught.value) == f"{path}:0:0: the file is read-only; not replaced"
    assert path.read_text() == YAML and os.listdir(path.parent) == ["t.yaml"]
    atomic.write_atomic(str(path), b"new\n", replace_read_only=True)
    assert path.read_bytes() == b"new\n" and stat.S_IMODE(os.stat(path).st_mode) == 0o444


def test_read_only_target_of_a_link_is_refused(write, tmp_path):
    target = write("t.yaml", YAML)
    os.chmod(target, 0o444)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    with pytest.raises(TemplateError, match="read-only"):
        atomic.write_atomic(str(link), b"new\n")
    assert target.read_text() == YAML


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to(os.devnull)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(TemplateError) as caught:
        atomic.write_atomic(str(target), b"new\n")
    assert "not a regular file; not replaced" in caught.value.message
    assert sorted(os.listdir(tmp_path)) == before


@pytest.mark.parametrize("name", ["t" * 250 + ".yaml", "é" * 125 + ".yaml", "数" * 83 + "ab.yml"])
def test_longest_names_save_and_leave_no_temporary_file(tmp_path, name):
    assert len(os.fsencode(name)) == 255  # the longest name the file system takes
    path = tmp_path / name
    path.write_bytes(b"old\n")
    atomic.write_atomic(str(path), b"new\n")
    assert path.read_bytes() == b"new\n" and os.listdir(tmp_path) == [name]


def test_temporary_file_sits_beside_the_target_and_is_named_after_it(tmp_path, monkeypatch):
    name = "t" * 250 + ".yaml"
    seen = []
    real_replace = os.replace

    def spy(source, destination):
        seen.append(source)
        real_replace(source, destination)

    monkeypatch.setattr(atomic.os, "replace", spy)
    atomic.write_atomic(str(tmp_path / name), b"new\n")
    (temporary,) = seen
    assert os.path.dirname(temporary) == str(tmp_path)
    assert os.path.basename(temporary).startswith(".~tttt") and len(os.fsencode(os.path.basename(temporary))) <= 255


def test_other_hard_links_keep_the_old_content(write, tmp_path):
    path = write("t.yaml", YAML)
    other = tmp_path / "other.yaml"
    os.link(path, other)
    atomic.write_atomic(str(path), b"new\n")
    assert path.read_bytes() == b"new\n" and other.read_text() == YAML


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_save_through_a_link_leaves_no_temp_file_beside_the_target(write, tmp_path, monkeypatch, failing):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "t.yaml"
    target.write_text(YAML)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, broken)
    with pytest.raises(TemplateError, match="No space left on device"):
        atomic.write_atomic(str(link), b"new\n")
    assert target.read_text() == YAML and os.listdir(tmp_path / "real") == ["t.yaml"] and link.is_symlink()


def test_saving_keeps_the_files_owner(write):
    path = write("t.yaml", YAML)
    # Root saving someone else's file must not take it over; anyone else owns what they save.
    owner = (1234, 5678) if os.getuid() == 0 else (os.getuid(), os.getgid())
    os.chown(path, *owner)
    document = Document.open(str(path))
    document.apply([Set("/Resources/Db/DeletionPolicy", "Retain")])
    document.save()
    status = os.stat(path)
    assert (status.st_uid, status.st_gid) == owner
