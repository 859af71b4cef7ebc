"""The Changes panel's parts without the window: the tracker that compares the working copy
with the file on disk or at git HEAD (the engine replaced by a stand-in that answers with
set changes), git's HEAD read in the background, the panel's rows, summary and navigation."""

from __future__ import annotations

import stat

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.core.document import Document
from app.core.edits import Set
from app.impact import Change, Impact
from tests.widgets.helpers import LEDGER, LEDGER_POLICY, FakeEngine, git, modified, needs_git, replaced
from widgets.changes import WORKING_COPY, Baseline, ChangeTracker, Comparison
from widgets.changes_panel import LOSS_BACKGROUND, LOSS_TEXT, ChangesPanel
from widgets.dialogs import LOSSES_LISTED, losing_data_text
from widgets.git_head import GitHead, HeadRead, problem_from
from widgets.session import Session

EDITED = LEDGER.replace("DeletionPolicy: Retain", "DeletionPolicy: Snapshot")
WAIT_MS = 10_000


def ledger_data(text: str = LEDGER) -> dict:
    return Document.from_text(text, "ledger.yaml").data


# -- the tracker, against the file on disk ---------------------------------------------------------
@pytest.fixture
def engine(monkeypatch):
    return FakeEngine(monkeypatch, (modified("Topic"), replaced("Ledger")))


@pytest.fixture
def ledger(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    path = folder / "ledger.yaml"
    path.write_text(LEDGER)
    return path


@pytest.fixture
def session(qapp):
    made = Session()
    yield made
    made.close()


@pytest.fixture
def tracker(session):
    made = ChangeTracker(session)
    yield made
    made.stop()


def updated(qtbot, tracker, accept=lambda comparison: True):
    return qtbot.waitSignal(tracker.updated, check_params_cb=accept, timeout=WAIT_MS)


def opened(qtbot, session, tracker, path):
    """Open ``path`` as the controller does, and wait for the first comparison."""
    with updated(qtbot, tracker, lambda comparison: comparison.impact is not None or bool(comparison.note)):
        session.open(str(path))
        tracker.files_changed()


def test_each_edit_is_compared_with_the_file_on_disk_once_the_edits_pause(qtbot, session, tracker, engine, ledger):
    opened(qtbot, session, tracker, ledger)
    assert tracker.comparison == Comparison(Baseline.DISK, Impact("ledger.yaml on disk", WORKING_COPY, ()))
    assert engine.calls == [(ledger_data(), ledger_data(), "ledger.yaml on disk", WORKING_COPY)]
    for value in ("Delete", "Retain", "Snapshot"):
        session.apply([Set(LEDGER_POLICY, value)], "Set the policy")
    assert tracker.comparison.impact.changes == ()  # debounced: nothing computed yet
    with updated(qtbot, tracker) as blocker:
        pass
    (comparison,) = blocker.args
    assert comparison.impact.changes == engine.changes and comparison.losses == (engine.changes[1],)
    assert len(engine.calls) == 2  # one comparison for the burst
    assert engine.calls[-1][:2] == (ledger_data(), ledger_data(EDITED))


def test_a_refresh_with_nothing_new_computes_nothing(qtbot, session, tracker, engine, ledger):
    opened(qtbot, session, tracker, ledger)
    tracker.refresh()
    assert len(engine.calls) == 1
    session.set_profile("financial-services")  # the profile says which types hold data
    tracker.refresh()
    assert len(engine.calls) == 2


def test_the_file_is_read_again_when_another_program_changed_it(qtbot, session, tracker, engine, ledger):
    opened(qtbot, session, tracker, ledger)
    ledger.write_text(EDITED)
    tracker.refresh()
    assert engine.calls[-1][:2] == (ledger_data(EDITED), ledger_data())
    assert tracker.comparison.impact.changes == engine.changes


def test_without_a_readable_file_the_panel_says_why_in_a_quiet_line(qtbot, session, tracker, engine, ledger,
                                                                        monkeypatch):
    opened(qtbot, session, tracker, ledger)
    ledger.write_text("Resources: [1, 2\n")
    tracker.refresh()
    assert tracker.comparison.impact is None
    assert tracker.comparison.note.startswith("ledger.yaml on disk cannot be read: ")
    ledger.unlink()
    tracker.refresh()
    assert tracker.comparison == Comparison(Baseline.DISK, None,
                                            "ledger.yaml is not on disk: there is nothing to compare with")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    ledger.write_text(LEDGER)
    monkeypatch.setattr("widgets.changes.impact", broken)
    tracker.refresh()
    assert tracker.comparison == Comparison(Baseline.DISK, None, "The impact cannot be computed: RuntimeError boom")
    assert tracker.against_disk().losses == ()  # a save goes on


def test_rows_of_the_previous_document_go_at_once_when_another_opens(qtbot, session, tracker, engine, ledger,
                                                                       tmp_path):
    ledger.write_text(EDITED)  # the working copy will differ from the disk
    opened(qtbot, session, tracker, ledger)
    session.apply([Set(LEDGER_POLICY, "Retain")], "Set the policy")
    tracker.refresh()
    assert tracker.comparison.impact.changes == engine.changes
    other = tmp_path / "other.yaml"
    other.write_text(LEDGER)
    session.open(str(other))
    tracker.files_changed()
    assert tracker.comparison == Comparison(Baseline.DISK)


# -- git HEAD ------------------------------------------------------------------------------------
@pytest.fixture
def repo(tmp_path, ledger):
    """A repository whose HEAD holds templates/ledger.yaml as LEDGER."""
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "templates/ledger.yaml")
    git(tmp_path, "commit", "-q", "-m", "Ledger")
    return tmp_path


def read_head(qtbot, reader, path):
    with qtbot.waitSignal(reader.finished, timeout=WAIT_MS) as blocker:
        reader.read(str(path))
    return blocker.args[0]


@needs_git
def test_head_is_read_relative_to_the_repository_root(qtbot, repo, ledger):
    ledger.write_text(EDITED)
    reader = GitHead()
    assert read_head(qtbot, reader, ledger) == HeadRead(str(ledger), "HEAD:templates/ledger.yaml", LEDGER.encode())
    link = repo / "elsewhere.yaml"
    link.symlink_to(ledger)  # a link is read as the file it points to
    assert read_head(qtbot, reader, link).spec == "HEAD:templates/ledger.yaml"


@needs_git
def test_what_goes_wrong_with_git_comes_back_as_a_few_words(qtbot, repo, tmp_path_factory):
    reader = GitHead()
    new = repo / "templates" / "new.yaml"
    new.write_text(LEDGER)
    assert read_head(qtbot, reader, new) == HeadRead(str(new), "", None, "new.yaml is not committed at HEAD yet")
    outside = tmp_path_factory.mktemp("outside") / "loose.yaml"
    outside.write_text(LEDGER)
    assert read_head(qtbot, reader, outside).problem == "loose.yaml is not in a git repository"
    empty = tmp_path_factory.mktemp("empty")
    git(empty, "init", "-q")
    (empty / "a.yaml").write_text(LEDGER)
    assert read_head(qtbot, reader, empty / "a.yaml").problem == "the git repository has no commits yet"
    assert read_head(qtbot, GitHead(program="no-such-git-program"), new).problem == "git is not installed"


def test_a_git_that_hangs_is_given_up_on(qtbot, tmp_path):
    hanging = tmp_path / "hanging-git"
    hanging.write_text("#!/bin/sh\nexec sleep 30\n")
    hanging.chmod(hanging.stat().st_mode | stat.S_IXUSR)
    read = read_head(qtbot, GitHead(program=str(hanging), timeout_ms=200), tmp_path / "a.yaml")
    assert read.raw is None and read.problem == "git did not answer within 0.2 s"


def test_git_messages_in_few_words():
    assert problem_from("fatal: detected dubious ownership in repository at '/r'\nmore", "a.yaml") == \
        "git failed: detected dubious ownership in repository at '/r'"
    assert problem_from("", "a.yaml") == "git failed: no message"


@needs_git
def test_a_newer_read_abandons_the_one_running(qtbot, repo, ledger):
    reader = GitHead()
    results = []
    reader.finished.connect(results.append)
    new = repo / "templates" / "new.yaml"
    new.write_text(LEDGER)
    reader.read(str(new))
    reader.read(str(ledger))
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    qtbot.wait(300)
    assert [read.path for read in results] == [str(ledger)] and not reader.running


@needs_git
def test_the_tracker_compares_with_head_when_asked(qtbot, session, tracker, engine, repo, ledger):
    ledger.write_text(EDITED)  # changed since the commit; the working copy is the file on disk
    opened(qtbot, session, tracker, ledger)
    assert tracker.comparison.impact.changes == ()
    with updated(qtbot, tracker, lambda comparison: comparison.impact is not None) as blocker:
        tracker.set_baseline(Baseline.HEAD)
        assert tracker.comparison == Comparison(Baseline.HEAD, None, "Reading HEAD…")
    (comparison,) = blocker.args
    assert comparison.baseline is Baseline.HEAD and comparison.impact.changes == engine.changes
    assert engine.calls[-1] == (ledger_data(), ledger_data(EDITED), "HEAD:templates/ledger.yaml", WORKING_COPY)
    assert tracker.against_disk().impact.changes == ()  # a save is still judged against the disk
    tracker.set_baseline(Baseline.DISK)
    assert tracker.comparison.baseline is Baseline.DISK and tracker.comparison.impact.changes == ()


@needs_git
def test_head_is_read_again_after_a_commit_once_the_file_is_saved(qtbot, session, tracker, engine, repo, ledger):
    ledger.write_text(EDITED)
    opened(qtbot, session, tracker, ledger)
    with updated(qtbot, tracker, lambda comparison: comparison.impact is not None):
        tracker.set_baseline(Baseline.HEAD)
    git(repo, "commit", "-q", "-am", "Snapshot")
    with updated(qtbot, tracker, lambda comparison: comparison.impact is not None and not comparison.impact.changes):
        tracker.files_changed()  # what the controller calls after a save or a look at the disk
    assert engine.calls[-1][:3] == (ledger_data(EDITED), ledger_data(EDITED), "HEAD:templates/ledger.yaml")


# -- the panel -----------------------------------------------------------------------------------
@pytest.fixture
def panel(qtbot):
    made = ChangesPanel()
    qtbot.addWidget(made)
    made.resize(1000, 200)
    made.show()
    return made


CHANGES = (modified("Topic"), replaced("Ledger"), replaced("Journal", data="retained"),
           Change("Archive", "AWS::S3::Bucket", "remove", None, (), "lost", renamed_to="Records",
                  data_class="record", data_reason="the bucket and its objects are deleted (DeletionPolicy: Delete)",
                  notes=("Keep the old logical id.",)),
           Change("Cluster", "AWS::RDS::DBCluster", "replace", "conditional", ("Engine: Ref Engine",), "lost",
                  conditional=True))


def rows(panel):
    model = panel.model
    return [[model.index(row, column).data() for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def test_rows_that_lose_data_come_first_and_red(panel):
    panel.show_comparison(Comparison(Baseline.DISK, Impact("ledger.yaml on disk", WORKING_COPY, CHANGES)))
    assert rows(panel) == [
        ["replace", "Ledger", "AWS::DynamoDB::Table", "always", "LOSES DATA", "TableName changed", ""],
        ["remove", "Archive", "AWS::S3::Bucket", "", "LOSES DATA", "", "Records"],
        ["replace", "Cluster", "AWS::RDS::DBCluster", "conditional", "MAY LOSE DATA", "Engine: Ref Engine", ""],
        ["modify", "Topic", "AWS::SNS::Topic", "", "", "DisplayName changed", ""],
        ["replace", "Journal", "AWS::DynamoDB::Table", "always", "data kept", "TableName changed", ""],
    ]
    model = panel.model
    for row, red in enumerate((True, True, True, False, False)):
        for column in range(model.columnCount()):
            foreground = model.index(row, column).data(Qt.ItemDataRole.ForegroundRole)
            background = model.index(row, column).data(Qt.ItemDataRole.BackgroundRole)
            assert (foreground.color() == QColor(LOSS_TEXT)) if red else foreground is None
            assert (background.color() == QColor(LOSS_BACKGROUND)) if red else background is None
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == (
        "Archive (AWS::S3::Bucket): remove (renamed to Records)\n"
        "the bucket and its objects are deleted (DeletionPolicy: Delete)\nKeep the old logical id.")
    assert panel.summary.text() == "2 resources lose data, 1 may; 5 changes."
    assert panel.summary.toolTip() == "Deploying the working copy over a stack deployed from ledger.yaml on disk"
    assert LOSS_TEXT in panel.summary.styleSheet() and not panel.note.isVisible()


def test_a_note_instead_of_rows_and_the_selection_kept(panel):
    panel.show_comparison(Comparison(Baseline.DISK, Impact("a on disk", WORKING_COPY, CHANGES)))
    panel.table.setCurrentIndex(panel.model.index(3, 0))
    assert panel.current().resource == "Topic"
    panel.show_comparison(Comparison(Baseline.DISK, Impact("a on disk", WORKING_COPY, CHANGES[:2])))
    assert panel.current().resource == "Topic"
    assert panel.summary.text() == "1 resource loses data; 2 changes."
    panel.show_comparison(Comparison(Baseline.HEAD, None, "a.yaml is not in a git repository"))
    assert rows(panel) == [] and panel.summary.text() == ""
    assert panel.note.isVisible() and panel.note.text() == "a.yaml is not in a git repository"
    panel.show_comparison(Comparison(Baseline.DISK, Impact("a on disk", WORKING_COPY, (modified("Topic"),))))
    assert panel.summary.text() == "no data is lost; 1 change."
    assert panel.summary.styleSheet() == ""


def test_double_click_and_enter_navigate_and_the_switch_chooses_the_baseline(qtbot, panel):
    panel.show_comparison(Comparison(Baseline.DISK, Impact("a on disk", WORKING_COPY, CHANGES)))
    table = panel.table
    rect = table.visualRect(panel.model.index(1, 1))
    with qtbot.waitSignal(panel.navigate) as blocker:
        # As a mouse does it: the view goes to the row the first click pressed.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args[0].resource == "Archive"
    table.setCurrentIndex(panel.model.index(3, 0))
    table.setFocus()
    with qtbot.waitSignal(panel.navigate) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args[0].resource == "Topic"
    with qtbot.waitSignal(panel.baseline_chosen) as blocker:
        qtbot.mouseClick(panel.at_head, Qt.MouseButton.LeftButton)
    assert blocker.args == [Baseline.HEAD]
    with qtbot.waitSignal(panel.baseline_chosen) as blocker:
        qtbot.mouseClick(panel.on_disk, Qt.MouseButton.LeftButton)
    assert blocker.args == [Baseline.DISK]



def test_the_save_question_lists_what_is_lost_and_how_many_more():
    cluster = Change("Db", "AWS::RDS::DBCluster", "replace", "always", ("DatabaseName: 'a' → 'b'",), "lost",
                     data_reason="the old database cluster and its data are deleted (UpdateReplacePolicy: Delete)")
    assert losing_data_text("t.yaml", [cluster, replaced("Ledger", causes=())]) == (
        "Deployed over a stack made from t.yaml as it is on disk, these changes lose data:\n\n"
        "• Db (AWS::RDS::DBCluster), replace: DatabaseName: 'a' → 'b'. The old database cluster and its data are "
        "deleted (UpdateReplacePolicy: Delete).\n"
        "• Ledger (AWS::DynamoDB::Table), replace\n\nSave anyway?")
    many = [replaced(f"Table{number}") for number in range(LOSSES_LISTED + 2)]
    listed = losing_data_text("t.yaml", many).splitlines()
    assert sum(line.startswith("• Table") for line in listed) == LOSSES_LISTED
    assert "• and 2 more: the Changes panel lists them all" in listed
