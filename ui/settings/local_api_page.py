"""Settings → Local API: the switch, port, URL and token of the OpenAI-compatible API.

The server itself is run by :class:`ui.bridge.api_server.ApiController`; this page only
stores the settings (on Save) and shows the controller's state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant.api import api_token, regenerate_api_token
from assistant.core import Core
from ui.bridge.api_server import ERROR, OFF, RUNNING, STARTING, ApiController, api_url


class LocalApiPage(QWidget):
    """A Settings tab. The switch and port apply on Save; Regenerate applies at once (it
    writes the new token and restarts a running server, after asking)."""

    def __init__(
        self,
        core: Core,
        controller: ApiController,
        parent: QWidget | None = None,
        confirm: Callable[[QWidget, str, str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("localApiPage")
        self.core = core
        self.controller = controller
        # Asks before replacing the token; tests answer it.
        self.confirm = confirm or _ask
        settings = core.settings
        self.enabled = QCheckBox(self.tr("Serve an OpenAI-compatible API on this computer (127.0.0.1)"))
        self.enabled.setChecked(settings.api_enabled)
        explain = QLabel(self.tr(
            "Editors, scripts and other programs on this computer can then use the assistant's model "
            "as if it were OpenAI's API. Other computers cannot reach it, and each program needs the token."))
        explain.setWordWrap(True)
        explain.setObjectName("secondaryText")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Port"), self._port_row(settings.api_port))
        form.addRow(self.tr("URL"), self._url_row())
        form.addRow(self.tr("Token"), self._token_rows())
        self.status = QLabel()
        self.status.setObjectName("secondaryText")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Status"), self.status)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(explain)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addStretch(1)
        self._update_url()
        controller.stateChanged.connect(self._on_state)
        self._on_state(controller.state, controller.detail)

    def _port_row(self, port: int) -> QHBoxLayout:
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(port if 1024 <= port <= 65535 else 8765)
        self.port.setAccelerated(True)
        self.port.valueChanged.connect(self._update_url)
        row = QHBoxLayout()
        row.addWidget(self.port)
        row.addStretch(1)
        return row

    def _url_row(self) -> QHBoxLayout:
        self.url = QLabel()
        self.url.setObjectName("apiUrl")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy_url = QPushButton(self.tr("Copy"))
        copy_url.setToolTip(self.tr("Copy the URL"))
        copy_url.clicked.connect(lambda: self._copy(self.url.text(), self.tr("URL copied.")))
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(copy_url)
        return row

    def _token_rows(self) -> QVBoxLayout:
        """The token (hidden until Show) and Show, Copy, Regenerate below it."""
        self.token = QLineEdit(api_token())
        self.token.setObjectName("apiToken")
        self.token.setReadOnly(True)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setCursorPosition(0)
        self.token.setMinimumWidth(self.token.fontMetrics().horizontalAdvance(self.token.text()) + 24)
        self.show_token = QPushButton(self.tr("Show"))
        self.show_token.setCheckable(True)
        self.show_token.toggled.connect(self._toggle_token)
        self.copy_token = QPushButton(self.tr("Copy"))
        self.copy_token.setToolTip(self.tr("Copy the token"))
        self.copy_token.clicked.connect(lambda: self._copy(self.token.text(), self.tr("Token copied.")))
        self.regenerate = QPushButton(self.tr("Regenerate"))
        self.regenerate.setToolTip(self.tr("Make a new token at once; programs using the old one are "
                                           "refused until they get the new one."))
        self.regenerate.clicked.connect(self.regenerate_token)
        buttons = QHBoxLayout()
        for button in (self.show_token, self.copy_token, self.regenerate):
            buttons.addWidget(button)
        buttons.addStretch(1)
        rows = QVBoxLayout()
        rows.addWidget(self.token)
        rows.addLayout(buttons)
        return rows

    @staticmethod
    def title() -> str:
        return QGuiApplication.translate("LocalApiPage", "Local API")

    @Slot()
    def _update_url(self) -> None:
        self.url.setText(api_url(self.port.value(), self.controller.host))

    @Slot(bool)
    def _toggle_token(self, shown: bool) -> None:
        self.token.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_token.setText(self.tr("Hide") if shown else self.tr("Show"))

    def _copy(self, text: str, done: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.status.setText(done)

    @Slot()
    def regenerate_token(self) -> None:
        question = self.tr("Programs using the current token will be refused until you give them "
                           "the new one. Make a new token now?")
        if not self.confirm(self, self.tr("New API token"), question):
            return
        self.token.setText(regenerate_api_token())
        self.token.setCursorPosition(0)
        self.controller.apply(restart=True)  # the running server checks the token it started with
        self.status.setText(self.tr("New token made. Give it to the programs that use the API."))

    @Slot(str, str)
    def _on_state(self, state: str, detail: str) -> None:
        texts = {
            OFF: self.tr("Off."),
            STARTING: self.tr("Starting…"),
            RUNNING: self.tr("Running at %1").replace("%1", detail),
            ERROR: detail,
        }
        self.status.setObjectName("errorText" if state == ERROR else "secondaryText")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(texts.get(state, detail))

    def save(self) -> None:
        """Called when Settings is saved: store the switch and port, then start or stop."""
        enabled, port = self.enabled.isChecked(), self.port.value()
        self.core.save_settings(replace(self.core.settings, api_enabled=enabled, api_port=port))
        self.controller.apply()


def _ask(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question)
    return answer == QMessageBox.StandardButton.Yes
