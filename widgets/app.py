"""``cfn-doctor [FILE]``: the desktop editor, and its screenshot mode."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from widgets.main_window import APP_NAME, MainWindow

SCREENSHOT_SIZE = (1400, 900)
LINT_TIMEOUT_MS = 120_000


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cfn-doctor", description="Open the CFN Doctor editor. "
                                     "Headless commands: cfn-doctor check|fix|rules|convert --help")
    parser.add_argument("file", metavar="FILE", nargs="?", help="template to open")
    parser.add_argument("--profile", metavar="P", help="profile name or file for this session")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the window at 1400x900 after loading and cfn-lint, save, exit")
    parser.add_argument("--select", metavar="LOGICAL_ID", help="with --screenshot: select this resource first")
    parser.add_argument("--tab", choices=("properties", "source"), default="properties", help="with --screenshot: the centre tab shown")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str]) -> int:
    args = parse(argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("CFN Doctor")
    app.setApplicationName(APP_NAME)
    window = MainWindow(restore_layout=not args.screenshot)
    if args.profile:
        window.session.set_profile(args.profile)
        window._show_profile(args.profile)
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
