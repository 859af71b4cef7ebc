"""The open file as committed at git HEAD, read in the background without blocking the
window: ``git rev-parse --show-prefix`` in the file's folder says where that folder is in
its repository, then ``git show HEAD:<prefix><name>`` prints the committed bytes.  What goes
wrong (no repository, a file never committed, no git at all) comes back as one quiet
sentence, never as an exception or a dialog."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

TIMEOUT_MS = 10_000
KILL_WAIT_MS = 1000


@dataclass(frozen=True)
class HeadRead:
    path: str  #: the file asked about
    spec: str  #: what was read, as git names it (``HEAD:templates/ledger.yaml``); empty if unknown
    raw: bytes | None  #: the committed bytes; None when they could not be read
    problem: str = ""  #: why not, in a few words


@dataclass
class _Request:
    path: str
    folder: str
    name: str
    spec: str = ""  # known once the first step told the folder's place in the repository


def problem_from(stderr: str, name: str) -> str:
    """What git's complaint means for the file ``name``, in a few words."""
    text = stderr.strip()
    if "not a git repository" in text:
        return f"{name} is not in a git repository"
    if "exists on disk, but not in" in text or "does not exist in" in text:
        return f"{name} is not committed at HEAD yet"
    if "invalid object name 'HEAD'" in text:
        return "the git repository has no commits yet"
    first = text.splitlines()[0] if text else "no message"
    return f"git failed: {first.removeprefix('fatal: ')}"


class GitHead(QObject):
    """Call :meth:`read`; :attr:`finished` tells the :class:`HeadRead`.  A newer read
    abandons the one still running.

    One process object runs both steps of every read: a process made per step and let go
    with ``deleteLater`` from its own signal crashed PySide once this object went first."""

    finished = Signal(object)  # HeadRead

    def __init__(self, parent: QObject | None = None, *, program: str = "git", timeout_ms: int = TIMEOUT_MS) -> None:
        super().__init__(parent)
        self._program = program
        self._timeout_ms = timeout_ms
        self._request: _Request | None = None
        self._process = QProcess(self)
        self._process.setProgram(program)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("LC_ALL", "C")  # git's messages in English: problem_from reads them
        self._process.setProcessEnvironment(environment)
        self._process.finished.connect(self._step_finished)
        self._process.errorOccurred.connect(self._error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)

    @property
    def running(self) -> bool:
        return self._request is not None

    def read(self, path: str) -> None:
        self.cancel()
        folder, name = os.path.split(os.path.realpath(path))  # through a link, to the file's own repository
        self._request = _Request(path, folder, name)
        self._start(["rev-parse", "--show-prefix"])

    def cancel(self) -> None:
        self._request = None  # what the process still reports is for nobody
        self._timer.stop()
        if self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()
            self._process.waitForFinished(KILL_WAIT_MS)

    def _start(self, arguments: list[str]) -> None:
        assert self._request is not None
        self._process.setWorkingDirectory(self._request.folder)
        self._process.setArguments(arguments)
        self._process.start()
        self._timer.start(self._timeout_ms)

    def _step_finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        request = self._request
        if request is None:
            return
        if status != QProcess.ExitStatus.NormalExit or exit_code != 0:
            stderr = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace")
            self._end(None, problem_from(stderr, request.name))
            return
        output = bytes(self._process.readAllStandardOutput().data())
        if request.spec:
            self._end(output)
            return
        request.spec = f"HEAD:{os.fsdecode(output).strip()}{request.name}"
        self._start(["show", request.spec])

    def _error(self, kind: QProcess.ProcessError) -> None:
        if kind == QProcess.ProcessError.FailedToStart and self._request is not None:  # no `finished` follows
            installed = shutil.which(self._program) is not None
            self._end(None, f"git could not start: {self._process.errorString()}" if installed
                      else "git is not installed")

    def _timed_out(self) -> None:
        self._end(None, f"git did not answer within {self._timeout_ms / 1000:g} s")

    def _end(self, raw: bytes | None, problem: str = "") -> None:
        request = self._request
        assert request is not None
        self.cancel()
        self.finished.emit(HeadRead(request.path, request.spec if raw is not None else "", raw, problem))
