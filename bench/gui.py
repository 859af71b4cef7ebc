"""Desktop-editor figures on the 500-resource template (not a test).

Opens the template in the real main window (offscreen) and prints: time from open to a
fully populated tree with findings, peak memory of the process, and the longest
event-loop stall while cfn-lint runs in the background.  Targets (issue 4): under 1 s,
under 300 MB, under 100 ms.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from widgets.main_window import MainWindow

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "synthetic"


def main(path: Path = CORPUS / "large-500.yaml") -> None:
    app = QApplication([])
    window = MainWindow(persistent=False)
    window.show()
    app.processEvents()

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    start = time.perf_counter()
    window.open_path(str(path))
    resources = window.tree_filter.index(next(r for r in range(window.tree_filter.rowCount())
                                              if window.tree_filter.index(r, 0).data() == "Resources"), 0)
    rows = window.tree_filter.rowCount(resources)
    window.tree.expand(resources)
    app.processEvents()
    populated = time.perf_counter() - start
    flagged = sum(1 for r in range(rows) if resources.model().index(r, 2, resources).data())

    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(tick)
    loop = QEventLoop()
    window.session.lint_idle.connect(loop.quit)
    last[0] = time.perf_counter()
    ticker.start()
    lint_start = time.perf_counter()
    if window.session.lint.running:
        loop.exec()
    ticker.stop()
    lint_time = time.perf_counter() - lint_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{path.name}: {rows} resources in the tree, {flagged} flagged, "
          f"{len(window.session.own_findings)} own findings")
    print(f"open -> populated tree with findings: {populated * 1000:.0f} ms")
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak_mb:.0f} MB in the editor, {worker_mb:.0f} MB in the cfn-lint worker process")
    print(f"cfn-lint in the background: {lint_time:.1f} s, {len(window.session.lint_findings)} findings; "
          f"longest event-loop stall {max(gaps, default=0) * 1000:.0f} ms over {len(gaps)} ticks")
    window.session.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS / "large-500.yaml")
