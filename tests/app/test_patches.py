"""`cfn-doctor fix --diff` prints patches that `git apply` and GNU `patch` apply exactly."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from app.cli import main
from app.core.diffs import NO_NEWLINE_MARKER, unified_diff
from tests.conftest import CORPUS, corpus_files, corpus_id

# A database whose DeletionPolicy CD1001 fixes, as the tail of every template below.
DB_YAML = "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    DeletionPolicy: Delete"
TEMPLATES: dict[str, bytes] = {
    "no-final-newline.yaml": f"# keep\n{DB_YAML}".encode(),
    "crlf.yaml": f"# keep\n{DB_YAML}\n".replace("\n", "\r\n").encode(),
    "crlf-no-final-newline.yaml": f"# keep\n{DB_YAML}".replace("\n", "\r\n").encode(),
    "bom.yaml": b"\xef\xbb\xbf" + f"{DB_YAML}\n".encode(),
    # Line separators that str.splitlines() splits on, but git and patch do not.
    "separators.json": '{"Description": "a\u2028b\x85c",\n "Resources": {"Db": {"Type": "AWS::RDS::DBCluster",\n'
                       '  "DeletionPolicy": "Delete"}}}\n'.encode(),
    "name with spaces.yaml": f"{DB_YAML}\n".encode(),
    'a "quoted"\tname.yaml': f"{DB_YAML}\n".encode(),
}


def git_apply(patch: Path, folder: Path) -> None:
    """Apply with git outside any repository, whatever the user's git configuration says."""
    environment = {**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent), "GIT_CONFIG_GLOBAL": os.devnull,
                   "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["git", "apply", "--whitespace=nowarn", str(patch)], cwd=folder, env=environment,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def gnu_patch(patch: Path, folder: Path) -> None:
    result = subprocess.run(["patch", "-p1", "--batch", "--silent", "-i", str(patch)], cwd=folder,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def fixed_by_the_cli(capsys: pytest.CaptureFixture[str], name: str, out: Path, *options: str) -> tuple[str, bytes]:
    """The patch `fix --diff` prints for ``name`` and the bytes `fix -o` writes for it."""
    assert main(["fix", *options, "--diff", name]) == 0
    patch = capsys.readouterr().out
    out.parent.mkdir(parents=True, exist_ok=True)
    assert main(["fix", *options, name, "-o", str(out)]) == 0
    capsys.readouterr()
    return patch, out.read_bytes()


def test_fix_diffs_of_the_whole_corpus_apply_with_git(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(CORPUS)  # the CLI names files by their path from here: unique, relative
    work, expected = tmp_path / "work", {}
    patches = []
    for path in corpus_files():
        name = corpus_id(path)
        patch, expected[name] = fixed_by_the_cli(capsys, name, tmp_path / "fixed" / name)
        patches.append(patch)
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, work / name)
    assert sum(bool(patch) for patch in patches) > 100  # not a vacuous test: many templates get fixes
    (tmp_path / "all.patch").write_text("".join(patches), newline="")
    git_apply(tmp_path / "all.patch", work)
    not_as_fixed = [name for name, content in expected.items() if (work / name).read_bytes() != content]
    assert not_as_fixed == []


@pytest.mark.parametrize("tool", [git_apply, gnu_patch], ids=["git apply", "patch"])
@pytest.mark.parametrize("name", TEMPLATES)
def test_fix_diff_applies_to_awkward_files(tmp_path, monkeypatch, capsys, tool, name):
    if tool is gnu_patch and shutil.which("patch") is None:
        pytest.skip("GNU patch is not installed; git apply covers the same patch")
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(TEMPLATES[name])
    patch, expected = fixed_by_the_cli(capsys, name, tmp_path / "fixed" / name, "--rule", "CD1001")
    assert patch
    (tmp_path / "fix.patch").write_text(patch, newline="")
    tool(tmp_path / "fix.patch", tmp_path)
    assert (tmp_path / name).read_bytes() == expected


def edited_copy(lines: list[str], rng: random.Random) -> list[str]:
    edited = list(lines)
    for _ in range(rng.randint(1, 6)):
        if edited and rng.random() < 0.5:
            del edited[rng.randrange(len(edited))]
        else:
            edited.insert(rng.randint(0, len(edited)), rng.choice(["x", "}", "", "  - a"]))
    return edited


def random_text(lines: list[str], newline: str, final_newline: bool) -> str:
    return newline.join(lines) + (newline if final_newline and lines else "")


@pytest.mark.parametrize("tool", [git_apply, gnu_patch], ids=["git apply", "patch"])
def test_patches_between_random_texts_apply(tmp_path, tool):
    if tool is gnu_patch and shutil.which("patch") is None:
        pytest.skip("GNU patch is not installed; git apply covers the same patch")
    rng = random.Random(20240601)
    expected, patches = {}, []
    for number in range(150):
        # Few distinct lines, so that most repeat (where difflib alone is slow and anchors are few).
        old = [rng.choice(["{", "}", "a: 1", "  b: 2", "", "x"]) for _ in range(rng.randint(1, 40))]
        newline = rng.choice(["\n", "\r\n"])
        before = random_text(old, newline, rng.random() < 0.7)
        after = random_text(edited_copy(old, rng), newline, rng.random() < 0.7)
        name = f"f{number}.txt"
        (tmp_path / name).write_text(before, newline="")
        expected[name] = after
        patches.append(unified_diff(before, after, f"a/{name}", f"b/{name}"))
    (tmp_path / "all.patch").write_text("".join(patches), newline="")
    tool(tmp_path / "all.patch", tmp_path)
    assert [name for name, text in expected.items() if (tmp_path / name).read_bytes().decode() != text] == []


def test_large_template_diff_is_fast():
    """A line added after each "Type" line of 500 resources: difflib's matcher alone takes seconds here."""
    before = (CORPUS / "synthetic" / "large-500.json").read_text()
    type_line = re.compile(r'(?m)^      "Type": .*\n')
    after = type_line.sub(lambda match: match.group(0) + '      "Added": true,\n', before)
    started = time.perf_counter()
    patch = unified_diff(before, after, "a/t", "b/t")
    assert time.perf_counter() - started < 2.0
    assert patch.split("\n").count('+      "Added": true,') == len(type_line.findall(before)) > 500


def test_missing_final_newline_is_marked_on_both_sides():
    patch = unified_diff("a\nb", "a\nc", "a/t", "b/t")
    assert patch == f"--- a/t\n+++ b/t\n@@ -1,2 +1,2 @@\n a\n-b\n{NO_NEWLINE_MARKER}+c\n{NO_NEWLINE_MARKER}"
    assert unified_diff("a\nb", "a\nb\n", "a/t", "b/t").endswith(f"-b\n{NO_NEWLINE_MARKER}+b\n")


def test_only_line_feeds_end_lines():
    patch = unified_diff("x\u2028y\r\nz\n", "x\u2028y\r\nw\n", "a/t", "b/t")
    assert patch == "--- a/t\n+++ b/t\n@@ -1,2 +1,2 @@\n x\u2028y\r\n-z\n+w\n"


def test_equal_texts_give_no_patch():
    assert unified_diff("a\nb", "a\nb", "a/t", "b/t") == ""
