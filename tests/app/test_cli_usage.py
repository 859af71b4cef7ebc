"""Which arguments start the editor, which are usage errors, and the editor without a display."""

from __future__ import annotations

import argparse
import ctypes.util
import os
import subprocess
import sys

import pytest

import widgets.app
from app.cli import main
from tests.conftest import REPO

TEMPLATE = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
USAGE_START = "usage: cfn-doctor [FILE]"


@pytest.fixture
def editor_runs(monkeypatch) -> list[argparse.Namespace]:
    """The arguments each start of the editor got (the editor itself is not started)."""
    started: list[argparse.Namespace] = []

    def record(args: argparse.Namespace) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr(widgets.app, "main", record)
    return started


def usage_error(capsys, *arguments: str) -> list[str]:
    """The stderr lines of a run that must end as a usage error."""
    assert main(list(arguments)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err.splitlines()


def test_mistyped_command_is_a_usage_error_with_a_suggestion(capsys, editor_runs, write, monkeypatch):
    monkeypatch.chdir(write("t.yaml", TEMPLATE).parent)
    lines = usage_error(capsys, "chek", "t.yaml")
    assert lines[-1] == "cfn-doctor: unknown command 'chek' (did you mean 'check'?)"
    assert lines[0].startswith(USAGE_START)
    assert usage_error(capsys, "fixx")[-1] == "cfn-doctor: unknown command 'fixx' (did you mean 'fix'?)"
    assert usage_error(capsys, "lint")[-1] == ("cfn-doctor: unknown command 'lint' "
                                               "(commands: check, fix, impact, rules, convert)")
    assert editor_runs == []


def test_the_editor_takes_at_most_one_file(capsys, editor_runs, write):
    first, second = write("a.yaml", TEMPLATE), write("b.yaml", TEMPLATE)
    lines = usage_error(capsys, str(first), str(second))
    assert lines[0].startswith(USAGE_START) and lines[-1].startswith("cfn-doctor: the editor opens one FILE, not 2")
    assert editor_runs == []


def test_file_none_and_screenshot_still_start_the_editor(editor_runs, write, monkeypatch):
    path = write("t.yaml", TEMPLATE)
    monkeypatch.chdir(path.parent)
    (path.parent / "template").write_text(TEMPLATE)  # an existing file may look like a word
    assert main([str(path)]) == 0
    assert main([]) == 0
    assert main(["t.yaml", "--screenshot", "out.png", "--select", "Topic"]) == 0
    assert main(["--profile", "financial-services", "template"]) == 0
    assert main(["missing.yaml"]) == 0  # the editor says the file is missing, not the usage check
    assert [(args.file, args.screenshot) for args in editor_runs] == [
        (str(path), None), (None, None), ("t.yaml", "out.png"), ("template", None), ("missing.yaml", None)]
    assert editor_runs[2].select == "Topic" and editor_runs[3].profile == "financial-services"


def test_screenshot_of_a_file_runs_end_to_end_and_leaves_no_trace(write, tmp_path):
    path = write("t.yaml", TEMPLATE)
    config = tmp_path / "config"
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config)}
    result = subprocess.run([sys.executable, "-m", "app.cli", str(path), "--screenshot", str(tmp_path / "out.png")],
                            cwd=REPO, env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.png").read_bytes().startswith(b"\x89PNG")
    settings = "".join(file.read_text() for file in config.rglob("*") if file.is_file())
    assert str(path) not in settings  # a screenshot is not a recently opened file


def test_no_display_is_one_line_and_exit_2_not_an_abort(write):
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    for arguments in ([], [str(write("t.yaml", TEMPLATE))]):
        result = subprocess.run([sys.executable, "-m", "app.cli", *arguments], cwd=REPO, env=environment,
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 2, result.stderr
        assert result.stderr == ("cfn-doctor: cannot start the editor: no display (DISPLAY is not set); "
                                 "use --screenshot with QT_QPA_PLATFORM=offscreen, or the headless commands "
                                 "(check, fix)\n")


def test_missing_xcb_cursor_library_is_one_line_and_exit_2(monkeypatch, capsys, write):
    class Unreachable:
        @staticmethod
        def instance() -> None:
            raise AssertionError("Qt was started; it aborts the process without libxcb-cursor")

    monkeypatch.setattr(widgets.app, "QApplication", Unreachable)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    real_find = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else real_find(name))
    assert main([str(write("t.yaml", TEMPLATE))]) == 2
    assert capsys.readouterr().err == ("cfn-doctor: cannot start the editor: Qt's xcb platform needs libxcb-cursor0 "
                                       "(Debian/Ubuntu: sudo apt install libxcb-cursor0)\n")


@pytest.mark.parametrize(("environ", "platform", "problem"), [
    ({}, "linux", "no display"),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", "no display"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
    ({"QT_QPA_PLATFORM": "wayland"}, "linux", None),
    ({}, "darwin", None),
    ({"DISPLAY": ":0"}, "linux", None),
])
def test_display_problem_only_where_xcb_would_start_without_one(environ, platform, problem, monkeypatch):
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: f"lib{name}.so")
    found = widgets.app.display_problem(environ, platform)
    assert found is None if problem is None else problem in found
