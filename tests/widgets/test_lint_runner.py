"""The background cfn-lint runner, for real: spawned workers run cfn-lint on small templates,
and the tests wait on the runner's signals (and on the workers' starts) instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from multiprocessing.process import BaseProcess

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from pytestqt.qtbot import QtBot

import widgets.lint_runner
from app.cfn_lint import CRASH_RULE
from app.core.findings import Finding
from widgets.lint_runner import DEBOUNCE_MS, LintRunner

#: A spawned cfn-lint run takes about a second; far longer on a loaded machine.
LINT_TIMEOUT_MS = 60_000

Delivered = list[tuple[int, list[Finding]]]


def bucket(name: str) -> str:
    """A template on which cfn-lint's one finding is E3002 (an unknown property) on bucket ``name``."""
    return f"Resources:\n  {name}:\n    Type: AWS::S3::Bucket\n    Properties: {{Nope: 1}}\n"


def e3002_on(name: str) -> list[tuple[str, str | None]]:
    return [("E3002", name)]


def described(delivered: Delivered) -> list[tuple[int, list[tuple[str, str | None]]]]:
    """Each delivery as its revision and its findings' (rule, resource)."""
    return [(revision, sorted((finding.rule, finding.resource) for finding in findings))
            for revision, findings in delivered]


def failing_lint(text: str, connection: object) -> None:
    """Stands in for lint_to_pipe in a worker: dies before sending anything (module level, so
    that a spawned worker can import it)."""
    raise RuntimeError("the worker failed")


class Workers(QObject):
    """The worker processes started during a test, in order: a run is a started process."""

    spawned = Signal(object)  # the process, once started

    def __init__(self) -> None:
        super().__init__()
        self.processes: list[BaseProcess] = []

    def record(self, process: BaseProcess) -> None:
        self.processes.append(process)
        self.spawned.emit(process)


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Workers:
    """Records every process started: the runner has no signal for the start of a run (its
    ``started`` is sent for every request), and each run is a process it starts."""
    workers = Workers()
    start = BaseProcess.start

    def start_and_record(process: BaseProcess) -> None:
        start(process)
        workers.record(process)

    monkeypatch.setattr(BaseProcess, "start", start_and_record)
    return workers


@pytest.fixture
def runner() -> Iterator[LintRunner]:
    runner = LintRunner()
    yield runner
    runner.stop()


@pytest.fixture
def delivered(runner: LintRunner) -> Delivered:
    """Every (revision, findings) the runner reports, in order."""
    deliveries: Delivered = []
    runner.finished.connect(lambda revision, findings: deliveries.append((revision, findings)))
    return deliveries


def first_run(qtbot: QtBot, runner: LintRunner, workers: Workers) -> BaseProcess:
    """Request revision 1 at once; its worker, just started."""
    with qtbot.waitSignal(workers.spawned, timeout=LINT_TIMEOUT_MS) as spawn:
        runner.request(1, bucket("Old"), immediately=True)
    process: BaseProcess = spawn.args[0]
    return process


# The moments at which revision 1 is superseded: while its debounce runs, and once its worker has finished.
def while_waiting(qtbot: QtBot, runner: LintRunner, workers: Workers) -> None:
    runner.request(1, bucket("Old"))


def after_its_worker_finished(qtbot: QtBot, runner: LintRunner, workers: Workers) -> None:
    process = first_run(qtbot, runner, workers)
    # Blocking here keeps the runner's poll from reading the result the worker sent: it is
    # complete, in the pipe, and unread when revision 2 is requested.
    process.join(LINT_TIMEOUT_MS / 1000)
    assert process.exitcode == 0, "the first worker did not finish its run"


@pytest.mark.parametrize("superseded", [while_waiting, after_its_worker_finished])
def test_a_superseded_revision_never_delivers_its_findings(
    qtbot: QtBot, runner: LintRunner, workers: Workers, delivered: Delivered,
    superseded: Callable[[QtBot, LintRunner, Workers], None],
) -> None:
    superseded(qtbot, runner, workers)
    with qtbot.waitSignal(runner.idle, timeout=LINT_TIMEOUT_MS):
        runner.request(2, bucket("New"), immediately=True)
    assert described(delivered) == [(2, e3002_on("New"))]


def test_a_request_while_running_ends_the_worker_and_lints_the_newest_text(
    qtbot: QtBot, runner: LintRunner, workers: Workers, delivered: Delivered,
) -> None:
    running = first_run(qtbot, runner, workers)
    with qtbot.waitSignal(runner.idle, timeout=LINT_TIMEOUT_MS):
        runner.request(2, bucket("Middle"))
        assert not running.is_alive() and running.exitcode is not None and running.exitcode < 0, (
            "the superseded worker was left running")
        runner.request(3, bucket("Newest"))
    assert described(delivered) == [(3, e3002_on("Newest"))]
    assert len(workers.processes) == 2, "revision 2, superseded before its debounce ended, was linted"


# The ways a worker dies without a result: killed (as the out-of-memory killer does), or failing in lint_to_pipe.
def kill_the_worker(qtbot: QtBot, runner: LintRunner, workers: Workers, patch: pytest.MonkeyPatch) -> None:
    first_run(qtbot, runner, workers).kill()


def fail_in_the_worker(qtbot: QtBot, runner: LintRunner, workers: Workers, patch: pytest.MonkeyPatch) -> None:
    patch.setattr(widgets.lint_runner, "lint_to_pipe", failing_lint)
    first_run(qtbot, runner, workers)


@pytest.mark.parametrize("crash", [kill_the_worker, fail_in_the_worker])
def test_a_worker_that_dies_yields_one_crash_finding_and_the_runner_runs_again(
    qtbot: QtBot, runner: LintRunner, workers: Workers, delivered: Delivered, monkeypatch: pytest.MonkeyPatch,
    crash: Callable[[QtBot, LintRunner, Workers, pytest.MonkeyPatch], None],
) -> None:
    with monkeypatch.context() as patch, qtbot.waitSignal(runner.idle, timeout=LINT_TIMEOUT_MS):
        crash(qtbot, runner, workers, patch)
    assert described(delivered) == [(1, [(CRASH_RULE, None)])]
    assert delivered[0][1][0].source == "cfn-lint"
    assert not runner.running
    with qtbot.waitSignal(runner.idle, timeout=LINT_TIMEOUT_MS):
        runner.request(2, bucket("Again"), immediately=True)
    assert described(delivered)[1:] == [(2, e3002_on("Again"))]


def test_quick_requests_within_the_debounce_interval_start_one_run(
    qtbot: QtBot, runner: LintRunner, workers: Workers, delivered: Delivered,
) -> None:
    # The requests come from the event loop, as typing does, each within the interval of the one before; the
    # burst outlasts the interval, so that a runner which started a run at once, or one interval after the
    # first request, would start more than one.
    gap_ms = DEBOUNCE_MS // 2
    drafts = [bucket(f"Draft{revision}") for revision in range(1, 6)]
    with qtbot.waitSignal(runner.idle, timeout=LINT_TIMEOUT_MS):
        for revision, text in enumerate(drafts, start=1):
            QTimer.singleShot((revision - 1) * gap_ms, lambda r=revision, t=text: runner.request(r, t))
    assert len(workers.processes) == 1
    assert described(delivered) == [(5, e3002_on("Draft5"))]
