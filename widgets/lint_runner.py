"""cfn-lint off the GUI thread: debounced, one run at a time, newer runs supersede older
ones, and results for a stale revision are dropped (qutebrowser's Throttle, napari's
workers)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from app.findings import Finding
from rules.cfn_lint_bridge import CancelToken, LintCancelled, lint

DEBOUNCE_MS = 300


class _LintThread(QThread):
    done = Signal(int, list)

    def __init__(self, revision: int, text: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.revision = revision
        self._text = text
        self.token = CancelToken()

    def run(self) -> None:
        try:
            findings = lint(self._text, cancel=self.token)
        except LintCancelled:
            return
        self.done.emit(self.revision, findings)


class LintRunner(QObject):
    """Call :meth:`request` with an immutable snapshot after every change."""

    started = Signal()
    finished = Signal(int, list)  # revision, findings
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self._pending: tuple[int, str] | None = None
        self._thread: _LintThread | None = None
        self.enabled = True

    @property
    def running(self) -> bool:
        return self._thread is not None or self._pending is not None

    def request(self, revision: int, text: str, *, immediately: bool = False) -> None:
        if not self.enabled:
            return
        self._pending = (revision, text)
        if self._thread is not None:
            self._thread.token.cancel()  # it reports nothing; _finished starts the newest
        self._timer.start(0 if immediately else DEBOUNCE_MS)
        self.started.emit()

    def _start(self) -> None:
        if self._thread is not None or self._pending is None:
            return
        revision, text = self._pending
        self._pending = None
        thread = _LintThread(revision, text, self)
        thread.done.connect(self._deliver)
        thread.finished.connect(self._finished)
        self._thread = thread
        thread.start()

    def _deliver(self, revision: int, findings: list[Finding]) -> None:
        if self._pending is None:
            self.finished.emit(revision, findings)

    def _finished(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.deleteLater()
        if self._pending is not None:
            self._timer.start(0)
        else:
            self.idle.emit()

    def stop(self) -> None:
        """Cancel everything and wait for the worker: called on close."""
        self._timer.stop()
        self._pending = None
        if self._thread is not None:
            self._thread.token.cancel()
            self._thread.wait(30_000)
            self._thread = None
