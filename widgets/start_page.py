"""What the window shows before a template is open: Open, Open Example, and the recent files."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QListView, QPushButton, QVBoxLayout, QWidget

from widgets.recent_files import PATH_ROLE, RecentFiles


class StartPage(QWidget):
    open_requested = Signal()
    example_requested = Signal()
    recent_chosen = Signal(str)  # the path

    def __init__(self, recent: RecentFiles, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recent = recent
        title = QLabel("<h1>CFN Doctor</h1><p style='color:#616161'>Open a CloudFormation template (JSON or YAML) to "
                       "see its resources, what endangers their data, and one-click fixes.</p>")
        title.setWordWrap(True)
        open_button = QPushButton("Open Template…")
        open_button.clicked.connect(self.open_requested)
        example_button = QPushButton("Open Example")
        example_button.setObjectName("open-example")
        example_button.clicked.connect(self.example_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(open_button)
        buttons.addWidget(example_button)
        buttons.addStretch(1)
        self.recent_list = QListView()
        self.recent_list.setModel(recent)
        self.recent_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent_list.activated.connect(self._activated)
        self.no_recent = QLabel("No recent files yet — open a template, or try the example.")
        self.no_recent.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 50, 60, 50)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("<b>Recent files</b>"))
        layout.addWidget(self.recent_list, 1)
        layout.addWidget(self.no_recent, 1)
        recent.modelReset.connect(self._show_recent)
        self._show_recent()

    def _show_recent(self) -> None:
        has_recent = self._recent.rowCount() > 0
        self.recent_list.setVisible(has_recent)
        self.no_recent.setVisible(not has_recent)

    def _activated(self, index: QModelIndex) -> None:
        self.recent_chosen.emit(index.data(PATH_ROLE))
