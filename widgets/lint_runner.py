"""cfn-lint off the GUI: debounced, one run at a time, newer runs supersede older ones,
and results for a stale revision are dropped (qutebrowser's Throttle).

Each run is a spawned worker process calling the cfn-lint bridge: a thread would share
the interpreter lock with the GUI and stall it for hundreds of milliseconds on a large
template, and a process can be cancelled for real by ending it.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from PySide6.QtCore import QObject, QTimer, Signal

from app.cfn_lint import crash_finding, lint_to_pipe
from app.core.findings import Finding

DEBOUNCE_MS = 300
POLL_MS = 40


class LintRunner(QObject):
    """Call :meth:`request` with an immutable snapshot after every change."""

    started = Signal()
    finished = Signal(int, object)  # revision, list of findings
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.timeout.connect(self._start)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check)
        self._pending: tuple[int, str] | None = None
        self._worker: tuple[BaseProcess, Connection, int] | None = None
        self._context = multiprocessing.get_context("spawn")  # never fork a Qt process

    @property
    def running(self) -> bool:
        return self._worker is not None or self._pending is not None

    def request(self, revision: int, text: str, *, immediately: bool = False) -> None:
        self._pending = (revision, text)
        self._cancel_worker()  # superseded: its result would be stale anyway
        self._debounce.start(0 if immediately else DEBOUNCE_MS)
        self.started.emit()

    def _start(self) -> None:
        if self._worker is not None or self._pending is None:
            return
        revision, text = self._pending
        self._pending = None
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(target=lint_to_pipe, args=(text, sender), daemon=True, name="cfn-lint")
        process.start()
        sender.close()
        self._worker = (process, receiver, revision)
        self._poll.start()

    def _check(self) -> None:
        if self._worker is None:
            self._poll.stop()
            return
        process, receiver, revision = self._worker
        findings: list[Finding] | None = None
        try:
            if receiver.poll():
                findings = receiver.recv()
            elif process.is_alive():
                return
        except (EOFError, OSError):
            findings = None
        if findings is None:
            findings = [crash_finding(f"cfn-lint's worker ended without a result (exit code {process.exitcode})")]
        self._end_worker()
        self.finished.emit(revision, findings)
        if self._pending is None:
            self.idle.emit()

    def _cancel_worker(self) -> None:
        if self._worker is not None:
            self._worker[0].terminate()
            self._end_worker()

    def _end_worker(self) -> None:
        assert self._worker is not None
        process, receiver, _ = self._worker
        self._worker = None
        self._poll.stop()
        receiver.close()
        process.join(1)

    def stop(self) -> None:
        """Cancel everything: called on close."""
        self._debounce.stop()
        self._pending = None
        self._cancel_worker()
