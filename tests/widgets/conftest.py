import shutil

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from resources import EXAMPLE
from tests.widgets.helpers import Answers
from widgets.crash_recovery import DATA_DIR_VARIABLE
from widgets.main_window import MainWindow


@pytest.fixture(autouse=True)
def _isolated_qt(qapp, tmp_path, monkeypatch):
    """Every GUI test gets a QApplication, its own settings file and its own journal."""
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "data"))
    yield


@pytest.fixture
def answers(monkeypatch):
    return Answers(monkeypatch)


@pytest.fixture
def start_window(qtbot):
    """Start a main window (as the editor does on launch); closed after the test."""
    started = []

    def start():
        win = MainWindow()
        win.show()
        qtbot.waitExposed(win)
        started.append(win)
        return win

    yield start
    # Not qtbot.addWidget: pytest-qt would close them before the test's unsaved changes
    # are discarded here, and the close would wait on the save prompt.
    for win in started:
        win.session.undo_stack.setClean()
        win.close()
        win.deleteLater()


@pytest.fixture
def window(start_window):
    return start_window()


@pytest.fixture
def example(tmp_path):
    path = tmp_path / "transactions.json"
    shutil.copy(EXAMPLE, path)
    return path
