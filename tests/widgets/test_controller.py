"""The document controller without a window: a stand-in prompter answers its questions and
records what it told the user; changes on disk are waited for on the controller's signal."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence

import pytest
from PySide6.QtCore import QSettings

from app.core.document import Document
from app.core.edits import Set
from app.core.errors import EditError
from app.core.journal import Journal, digest
from app.core.loading import Format
from app.impact import Change
from resources import EXAMPLE
from tests.widgets.helpers import LEDGER, LEDGER_POLICY, FakeEngine, modified, replaced
from widgets.controller import DiskCheck, DocumentController
from widgets.prompter import Choice, RecoveryOffer, UnsavedChoice
from widgets.recent_files import RecentFiles

EDITED = LEDGER.replace("DeletionPolicy: Retain", "DeletionPolicy: Snapshot")
ELSEWHERE = LEDGER.replace("BillingMode: PAY_PER_REQUEST", "BillingMode: PROVISIONED")
DISK_TIMEOUT_MS = 10_000


class FakePrompter:
    """Stands in for the user: gives the answers set on it, records what it was asked and told."""

    def __init__(self) -> None:
        self.yes_no: bool | None = None  # None: the question's default
        self.unsaved = UnsavedChoice.CANCEL
        self.save_losing_data = False  # the question's default: Cancel
        self.open_path: str | None = None
        self.save_path: tuple[str, Format] | None = None
        self.questions: list[tuple[str, str, bool]] = []  # title, text, default
        self.unsaved_asked: list[str] = []
        self.losses_asked: list[tuple[str, list[Change]]] = []  # name, the changes that lose data
        self.save_offers: list[tuple[str, str, list[Format]]] = []  # title, suggested path, formats
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []
        self.statuses: list[str] = []
        self.offers: list[tuple[RecoveryOffer, Callable[[Choice], None]]] = []

    def ask_yes_no(self, title: str, text: str, *, default: bool) -> bool:
        self.questions.append((title, text, default))
        return default if self.yes_no is None else self.yes_no

    def ask_unsaved(self, name: str) -> UnsavedChoice:
        self.unsaved_asked.append(name)
        return self.unsaved

    def ask_save_losing_data(self, name: str, losses: Sequence[Change]) -> bool:
        self.losses_asked.append((name, list(losses)))
        return self.save_losing_data

    def ask_open_path(self, folder: str) -> str | None:
        return self.open_path

    def ask_save_path(self, title: str, suggested: str, formats: Sequence[Format]) -> tuple[str, Format] | None:
        self.save_offers.append((title, suggested, list(formats)))
        return self.save_path

    def show_error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def show_warning(self, title: str, text: str) -> None:
        self.warnings.append((title, text))

    def show_status(self, text: str, *, warning: bool = False) -> None:
        self.statuses.append(text)

    def offer_recovery(self, offer: RecoveryOffer, answer: Callable[[Choice], None]) -> None:
        self.offers.append((offer, answer))


@pytest.fixture
def prompter():
    return FakePrompter()


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal")


@pytest.fixture
def make_controller(qapp, prompter, journal, tmp_path):
    made = []

    def make(*, offers_recovery=True):
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        controller = DocumentController(prompter, RecentFiles(settings), journal, offers_recovery=offers_recovery)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.session.undo_stack.setClean()
        assert controller.close()


@pytest.fixture
def controller(make_controller):
    return make_controller()


@pytest.fixture
def ledger(tmp_path):
    """A template alone in its folder: the folder is watched, and nothing else writes there."""
    folder = tmp_path / "templates"
    folder.mkdir()
    path = folder / "ledger.yaml"
    path.write_text(LEDGER)
    return path


def policy(controller):
    return controller.session.document.data["Resources"]["Ledger"]["DeletionPolicy"]


def edit(controller, value="Snapshot"):
    assert controller.apply([Set(LEDGER_POLICY, value)], "Set the policy")
    assert not controller.session.undo_stack.isClean()


def make_read_only(path):
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


# -- opening -------------------------------------------------------------------------------------
def test_open_remembers_the_file_and_a_file_that_cannot_be_read_changes_nothing(qtbot, controller, prompter, ledger,
                                                                                  tmp_path):
    with qtbot.waitSignal(controller.file_changed):
        assert controller.open(str(ledger))
    assert controller.session.file_path == str(ledger) and controller.session.display_name == "ledger.yaml"
    assert controller.recent.paths() == [str(ledger)]
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources:\n  A: [1, 2\n")
    assert not controller.open(str(bad))
    ((title, text),) = prompter.errors
    assert title == "Cannot open template" and text.startswith(f"{bad}:3:1: ")
    assert controller.session.file_path == str(ledger) and controller.recent.paths() == [str(ledger)]


def test_open_chosen_in_a_dialog_starts_in_the_documents_folder(controller, prompter, ledger):
    prompter.open_path = None  # cancelled
    controller.choose_and_open()
    assert controller.session.document is None
    prompter.open_path = str(ledger)
    controller.choose_and_open()
    assert controller.session.file_path == str(ledger) and controller.folder() == str(ledger.parent)


def test_the_example_opens_as_an_untitled_copy_and_is_never_saved_over(controller, prompter, tmp_path):
    before = (EXAMPLE.read_bytes(), os.stat(EXAMPLE).st_mtime_ns)
    assert controller.open_example()
    session = controller.session
    assert session.file_path is None and session.display_name == "Untitled (example transactions.json)"
    assert controller.recent.paths() == []
    assert controller.apply([Set("/Resources/AuroraDBCluster/DeletionPolicy", "Retain")], "Set the policy")
    prompter.save_path = (str(EXAMPLE), "json")
    assert not controller.save()  # Save asks where: not onto the example
    assert [title for title, _ in prompter.errors] == ["Cannot save"]
    assert (EXAMPLE.read_bytes(), os.stat(EXAMPLE).st_mtime_ns) == before and not session.undo_stack.isClean()
    target = tmp_path / "mine.yaml"
    prompter.save_path = (str(target), "json")
    assert controller.save()
    assert Document.open(str(target)).data["Resources"]["AuroraDBCluster"]["DeletionPolicy"] == "Retain"
    assert not target.read_text().lstrip().startswith("{")  # the name asked for YAML
    assert session.file_path == str(target) and session.undo_stack.isClean()
    assert controller.recent.paths() == [str(target)]
    assert (EXAMPLE.read_bytes(), os.stat(EXAMPLE).st_mtime_ns) == before


# -- saving --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "chosen", "written"), [
    ("x.yaml", "json", "yaml"),  # the name decides
    ("x.json", "yaml", "json"),
    ("x.template", "json", "json"),  # a name that does not: the filter chosen
    ("x.template", "yaml", "yaml"),
])
def test_save_as_writes_the_format_the_name_or_else_the_filter_asks_for(controller, prompter, ledger, tmp_path, name,
                                                                         chosen, written):
    controller.open(str(ledger))
    edit(controller)
    target = tmp_path / name
    prompter.save_path = (str(target), chosen)
    assert controller.save_as()
    (_, suggested, formats), = prompter.save_offers
    assert suggested == str(ledger) and formats == ["yaml", "json"]  # its own format offered first
    document = controller.session.document
    assert (document.path, document.format, document.text) == (str(target), written, target.read_text())
    assert Document.from_text(target.read_text(), str(target), written).data["Resources"]["Ledger"]["DeletionPolicy"] \
        == "Snapshot"
    assert controller.session.undo_stack.isClean() and controller.recent.paths()[0] == str(target)
    assert ledger.read_text() == LEDGER


def test_export_writes_a_copy_and_the_document_stays_on_its_file(controller, prompter, ledger, tmp_path):
    controller.open(str(ledger))
    edit(controller)
    target = tmp_path / "copy.json"
    prompter.save_path = (str(target), "json")
    controller.export("json")
    (title, suggested, formats), = prompter.save_offers
    assert (title, suggested, formats) == ("Export as JSON", str(ledger.parent / "ledger.json"), ["json"])
    assert Document.open(str(target)).data == controller.session.document.data
    assert controller.session.file_path == str(ledger) and not controller.session.undo_stack.isClean()
    assert prompter.statuses == [f"Exported to {target}"]


def test_a_write_that_fails_is_reported(controller, prompter, ledger, tmp_path):
    controller.open(str(ledger))
    prompter.save_path = (str(tmp_path / "no-such-folder" / "copy.yaml"), "yaml")
    controller.export("yaml")
    ((title, text),) = prompter.errors
    assert title == "Cannot save" and "cannot write" in text
    assert prompter.statuses == []


def test_save_asks_before_replacing_a_read_only_file(controller, prompter, ledger):
    controller.open(str(ledger))
    edit(controller)
    make_read_only(ledger)
    prompter.yes_no = False
    assert not controller.save()
    assert prompter.questions == [("Read-only file", "ledger.yaml is read-only. Replace it anyway?", False)]
    assert ledger.read_text() == LEDGER and not controller.session.undo_stack.isClean()
    prompter.yes_no = True
    assert controller.save()
    assert ledger.read_text() == EDITED and controller.session.undo_stack.isClean()
    assert not ledger.stat().st_mode & stat.S_IWUSR  # still read-only
    assert prompter.errors == []


def test_views_commit_what_is_being_typed_before_a_save(controller, prompter, ledger):
    controller.open(str(ledger))

    def commit_typed_value():
        controller.commit_pending.disconnect(commit_typed_value)
        controller.apply([Set(LEDGER_POLICY, "Snapshot")], "Typed")

    controller.commit_pending.connect(commit_typed_value)
    assert controller.save()
    assert ledger.read_text() == EDITED and controller.session.undo_stack.isClean()


def test_a_save_that_loses_data_asks_first_and_cancel_keeps_the_file(controller, prompter, ledger, monkeypatch):
    engine = FakeEngine(monkeypatch, (modified("Topic"), replaced("Ledger"), replaced("Journal")))
    controller.open(str(ledger))
    edit(controller)
    assert not controller.save()  # the default answer
    assert prompter.losses_asked == [("ledger.yaml", [replaced("Ledger"), replaced("Journal")])]
    assert engine.calls[-1][2:] == ("ledger.yaml on disk", "the working copy")
    assert ledger.read_text() == LEDGER and not controller.session.undo_stack.isClean()
    prompter.save_losing_data = True
    assert controller.save()
    assert ledger.read_text() == EDITED and controller.session.undo_stack.isClean()
    assert len(prompter.losses_asked) == 2


def test_closing_with_a_save_that_loses_data_stays_open_when_cancelled(controller, prompter, ledger, monkeypatch):
    FakeEngine(monkeypatch, (replaced("Ledger"),))
    controller.open(str(ledger))
    edit(controller)
    prompter.unsaved = UnsavedChoice.SAVE
    assert not controller.close()
    assert ledger.read_text() == LEDGER and [name for name, _ in prompter.losses_asked] == ["ledger.yaml"]


def test_no_question_when_nothing_is_lost_or_another_file_is_written(controller, prompter, ledger, tmp_path,
                                                                       monkeypatch):
    engine = FakeEngine(monkeypatch, (modified("Topic"), replaced("Ledger", data="retained")))
    controller.open(str(ledger))
    edit(controller)
    assert controller.save() and ledger.read_text() == EDITED
    engine.changes = (replaced("Ledger"),)
    edit(controller, "Delete")  # against the file on disk, this change now loses data
    prompter.save_path = (str(tmp_path / "copy.json"), "json")
    controller.export("json")
    prompter.save_path = (str(tmp_path / "copy.yaml"), "yaml")
    assert controller.save_as()  # a new file: no stack was deployed from it
    assert prompter.losses_asked == [] and (tmp_path / "copy.json").exists()


# -- unsaved changes -----------------------------------------------------------------------------
def test_reload_asks_before_unsaved_changes_are_lost(controller, prompter, ledger):
    controller.open(str(ledger))
    edit(controller)
    ledger.write_text(ELSEWHERE)
    prompter.unsaved = UnsavedChoice.CANCEL
    controller.reload()
    assert prompter.unsaved_asked == ["ledger.yaml"] and policy(controller) == "Snapshot"
    prompter.unsaved = UnsavedChoice.DISCARD
    controller.reload()
    assert controller.session.document.text == ELSEWHERE and controller.session.undo_stack.isClean()


def test_close_saves_when_asked_to_and_stays_open_when_cancelled(controller, prompter, ledger):
    controller.open(str(ledger))
    edit(controller)
    prompter.unsaved = UnsavedChoice.CANCEL
    assert not controller.close()
    assert ledger.read_text() == LEDGER and policy(controller) == "Snapshot"
    prompter.unsaved = UnsavedChoice.SAVE
    assert controller.close()
    assert ledger.read_text() == EDITED


def test_a_refused_change_is_reported_and_changes_nothing(controller, prompter, ledger, monkeypatch):
    controller.open(str(ledger))

    def refuse(self, edits):
        raise EditError("the document refuses")

    monkeypatch.setattr(Document, "apply", refuse)
    assert not controller.apply([Set(LEDGER_POLICY, "Snapshot")], "Set the policy")
    assert prompter.warnings == [("Cannot apply", "the document refuses")]
    assert controller.session.undo_stack.count() == 0 and controller.session.document.text == LEDGER


# -- changes on disk -----------------------------------------------------------------------------
def wait_for_check(qtbot, controller, wanted):
    return qtbot.waitSignal(controller.disk_checked, check_params_cb=lambda found: found is wanted,
                            timeout=DISK_TIMEOUT_MS)


def test_our_own_save_is_no_change_on_disk(qtbot, controller, prompter, ledger):
    controller.open(str(ledger))
    edit(controller)
    assert controller.save()
    edit(controller, "Delete")  # the text differs from the file again: only the file's digest tells
    # Whether the watcher reports our own write depends on when its events are read (the save
    # follows the new file, which drops those still queued): look as after any report.
    with qtbot.waitSignal(controller.disk_checked, timeout=DISK_TIMEOUT_MS) as checked:
        controller.watch.look_again_soon()
    assert checked.args == [DiskCheck.UNCHANGED]
    assert prompter.questions == [] and policy(controller) == "Delete"


def test_a_change_by_another_program_is_offered_and_reloaded(qtbot, controller, prompter, ledger):
    controller.open(str(ledger))
    with wait_for_check(qtbot, controller, DiskCheck.CHANGED):
        ledger.write_text(ELSEWHERE)
    assert prompter.questions == [("File changed on disk", "ledger.yaml was changed by another program. Reload it?",
                                   True)]
    assert controller.session.document.text == ELSEWHERE  # the default reloads: nothing is lost
    assert controller.session.undo_stack.isClean()


def test_with_unsaved_changes_the_default_keeps_them(qtbot, controller, prompter, ledger):
    controller.open(str(ledger))
    edit(controller)
    with wait_for_check(qtbot, controller, DiskCheck.CHANGED):
        ledger.write_text(ELSEWHERE)
    ((title, text, default),) = prompter.questions
    assert title == "File changed on disk" and "unsaved changes" in text and default is False
    assert controller.session.document.text == EDITED and not controller.session.undo_stack.isClean()
    prompter.yes_no = True  # the next change is taken
    with wait_for_check(qtbot, controller, DiskCheck.CHANGED):
        ledger.write_text(LEDGER.replace("# Ledger", "# Ledger, again"))
    assert controller.session.document.text.startswith("# Ledger, again")
    assert controller.session.undo_stack.isClean()


def test_a_file_deleted_and_written_again_is_still_watched(qtbot, controller, prompter, ledger):
    controller.open(str(ledger))
    edit(controller)  # so that the default answer keeps the document as it is
    with wait_for_check(qtbot, controller, DiskCheck.GONE):  # what `git checkout` does, in two steps
        ledger.unlink()
    assert prompter.statuses == ["ledger.yaml is gone from disk; Save writes it again."]
    assert controller.watch.watched_files() == []
    with wait_for_check(qtbot, controller, DiskCheck.CHANGED):
        ledger.write_text(ELSEWHERE)
    assert controller.watch.watched_files() == [str(ledger)]  # taken up again, though not reloaded
    assert policy(controller) == "Snapshot"
    with wait_for_check(qtbot, controller, DiskCheck.CHANGED):  # changed in place: only the file watch sees it
        ledger.write_text(LEDGER.replace("# Ledger", "# Ledger, again"))
    assert [title for title, _, _ in prompter.questions] == ["File changed on disk"] * 2


# -- crash recovery ------------------------------------------------------------------------------
def test_the_journal_follows_the_unsaved_state(controller, journal, ledger):
    controller.open(str(ledger))
    assert journal.entries() == []
    edit(controller)
    (entry,) = journal.entries()
    assert (entry.path, entry.text, entry.base_digest) == (str(ledger), EDITED, digest(LEDGER.encode()))
    controller.undo()
    assert journal.entries() == []
    controller.redo()
    assert [entry.text for entry in journal.entries()] == [EDITED]
    controller.save()
    assert journal.entries() == []


def test_an_entry_left_behind_is_offered_and_restored_as_one_undo_step(controller, prompter, journal, ledger):
    journal.record(str(ledger), EDITED, "yaml", digest(LEDGER.encode()))
    controller.offer_recovery()
    ((offer, answer),) = prompter.offers
    assert (offer.name, offer.disk_text, offer.disk_changed) == ("ledger.yaml", LEDGER, False)
    answer(Choice.RESTORE)
    session = controller.session
    assert session.file_path == str(ledger) and session.document.text == EDITED
    assert session.undo_stack.count() == 1 and not session.undo_stack.isClean()
    controller.undo()
    assert session.document.text == LEDGER and session.undo_stack.isClean()


def test_an_entry_decided_later_is_offered_again_when_its_file_opens(controller, prompter, journal, ledger):
    journal.record(str(ledger), EDITED, "yaml", digest(LEDGER.encode()))
    controller.offer_recovery()
    prompter.offers.pop()[1](Choice.LATER)
    assert len(journal.entries()) == 1 and controller.session.document is None
    controller.open(str(ledger))
    ((offer, answer),) = prompter.offers
    answer(Choice.DISCARD)
    assert journal.entries() == [] and controller.session.document.text == LEDGER


def test_an_entry_whose_file_is_gone_opens_as_unsaved(controller, prompter, journal, tmp_path):
    gone = tmp_path / "gone.yaml"
    journal.record(str(gone), EDITED, "yaml", digest(LEDGER.encode()))
    controller.offer_recovery()
    ((offer, answer),) = prompter.offers
    assert offer.disk_text is None
    answer(Choice.RESTORE)
    assert controller.session.file_path == str(gone) and controller.session.document.text == EDITED
    assert not controller.session.undo_stack.isClean()
    assert controller.save() and gone.read_text() == EDITED and journal.entries() == []


def test_entries_are_kept_but_never_offered_when_recovery_is_off(make_controller, prompter, journal, ledger):
    journal.record(str(ledger), EDITED, "yaml", digest(LEDGER.encode()))
    controller = make_controller(offers_recovery=False)
    controller.offer_recovery()
    controller.open(str(ledger))
    assert prompter.offers == [] and len(journal.entries()) == 1
