import os
import stat

import pytest

from app import atomic
from app.document import Document
from app.edits import Set
from app.errors import TemplateError

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
