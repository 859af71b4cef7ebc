"""``cfn-doctor [FILE]``: the desktop editor, and its screenshot mode."""

from __future__ import annotations

import argparse
import ctypes.util
import os
import sys
from collections.abc import Mapping

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from widgets.main_window import APP_NAME, MainWindow

SCREENSHOT_SIZE = (1400, 900)
LINT_TIMEOUT_MS = 120_000


def display_problem(environ: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why Qt's xcb platform could not start here, or None.  Qt aborts the process (SIGABRT,
    a core dump) when its platform plugin fails, so this is asked before it is tried."""
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if not platform.startswith("linux") or chosen not in ("", "xcb"):
        return None
    wayland = not chosen and bool(environ.get("WAYLAND_DISPLAY"))
    if not environ.get("DISPLAY") and not wayland:
        return ("no display (DISPLAY is not set); use --screenshot with QT_QPA_PLATFORM=offscreen, "
                "or the headless commands (check, fix)")
    if not wayland and ctypes.util.find_library("xcb-cursor") is None:
        return "Qt's xcb platform needs libxcb-cursor0 (Debian/Ubuntu: sudo apt install libxcb-cursor0)"
    return None


def main(args: argparse.Namespace) -> int:
    """Run the editor for arguments parsed by :func:`app.cli.build_editor_parser`."""
    problem = display_problem(os.environ)
    if problem:
        print(f"cfn-doctor: cannot start the editor: {problem}", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("CFN Doctor")
    app.setApplicationName(APP_NAME)
    window = MainWindow(persistent=not args.screenshot)
    if args.profile:
        window.session.set_profile(args.profile)
        window.profile_box.show_profile(args.profile)
    if args.screenshot:
        return _screenshot(window, args)
    window.show()
    if args.file:
        window.open_path(args.file)
    return app.exec()


def _screenshot(window: MainWindow, args: argparse.Namespace) -> int:
    window.session.undo_stack.setClean()
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    if args.file and not window.open_path(args.file):
        return 2
    if args.select:
        window.select_resource(args.select)
    if args.tab == "source":
        window.tabs.setCurrentWidget(window.source)
    _wait_for_lint(window)
    QApplication.processEvents()
    if not window.grab().save(args.screenshot):
        print(f"cfn-doctor: cannot write {args.screenshot}", file=sys.stderr)
        return 2
    window.close()
    return 0


def _wait_for_lint(window: MainWindow) -> None:
    if window.session.document is None:
        return
    loop = QEventLoop()
    window.session.lint_idle.connect(loop.quit)
    QTimer.singleShot(LINT_TIMEOUT_MS, loop.quit)
    if window.session.lint.running:
        loop.exec()
