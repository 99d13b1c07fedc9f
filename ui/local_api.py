"""Settings → Local API, and the controller that runs ``assistant.api.ApiServer`` for the window.

The server shares the window's engine (one model in memory; the window's turns go first). It
is started and stopped off the GUI thread (starting imports Starlette and uvicorn and binds;
stopping waits for streams in flight), one change at a time: a change asked for while one is
under way is applied when it ends. The token lives in a 0600 file (``assistant.api.auth``).
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal, Slot
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

from assistant.api import DEFAULT_HOST, api_token, regenerate_api_token
from assistant.core import Core
from ui.transfer_dialogs import run_off_thread
from ui.workers import GeneratorWorker

OFF, STARTING, RUNNING, ERROR = "off", "starting", "running", "error"
#: How long quitting waits for a start or stop under way before stopping the server itself.
SHUTDOWN_WAIT_MS = 12_000


def api_url(port: int, host: str = DEFAULT_HOST) -> str:
    return f"http://{host}:{port}/v1"


class ApiController(QObject):
    """Keeps the server in line with ``core.settings`` (api_enabled, api_port).

    ``stateChanged(state, detail)``: state is off, starting, running or error; detail is the
    URL when running and a sentence for the user on error.
    """

    stateChanged = Signal(str, str)

    def __init__(self, core: Core, parent: QObject | None = None, host: str = DEFAULT_HOST) -> None:
        super().__init__(parent)
        self.core = core
        self.host = host
        self.server: object | None = None  # assistant.api.ApiServer, imported when first started
        self.state, self.detail = OFF, ""
        self._worker: GeneratorWorker | None = None
        self._pending = False  # settings changed (or a restart was asked) while a change ran
        self._restart = False
        self._closing = False
        #: Every server started (appended on the worker thread), so quitting stops one whose
        #: start finished after the GUI stopped listening.
        self._started: list[object] = []

    @property
    def running(self) -> bool:
        return self.state == RUNNING

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def apply(self, restart: bool = False) -> None:
        """Start, stop or move the server to match the settings; ``restart`` also replaces a
        running one (a new token)."""
        self._restart = self._restart or restart
        if self._closing:
            return
        if self._worker is not None:
            self._pending = True
            return
        settings = self.core.settings
        enabled, port = settings.api_enabled, settings.api_port
        server = self.server
        same = server is not None and getattr(server, "running", False) and getattr(server, "port", 0) == port
        already_off = not enabled and server is None and self.state != ERROR
        if (enabled and same and not self._restart) or already_off:
            self._restart = False
            return
        self._restart = False
        old, core, host = server, self.core, self.host
        self.server = None

        def change() -> object:
            if old is not None:
                old.stop()  # type: ignore[attr-defined]
                if old in self._started:
                    self._started.remove(old)
            if not enabled:
                return None
            from assistant.api import ApiServer

            try:
                started = ApiServer(core, host, port, api_token()).start()
            except Exception as exc:  # ApiServerError (port taken), or a token file not writable
                return exc
            self._started.append(started)
            return started

        self._set_state(STARTING if enabled else OFF, api_url(port, host) if enabled else "")
        self._worker = run_off_thread(change, lambda result: self._on_changed(result, port), self)
        self._worker.finished.connect(self._on_worker_finished)

    def _on_changed(self, result: object, port: int) -> None:
        from assistant.api import ApiServer, ApiServerError

        if isinstance(result, ApiServer):
            self.server = result
            self._set_state(RUNNING, result.url)
        elif result is None:
            self._set_state(OFF, "")
        elif isinstance(result, ApiServerError) and _port_taken(result):
            self._set_state(ERROR, self.tr(
                "Port %1 is already in use by another program. Choose another port in "
                "Settings → Local API.").replace("%1", str(port)))
        else:
            message = str(getattr(result, "message", "") or result)
            self._set_state(ERROR, self.tr("The local API could not start: %1").replace("%1", message))

    @Slot()
    def _on_worker_finished(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        if self._pending and not self._closing:
            self._pending = False
            self.apply()

    def _set_state(self, state: str, detail: str) -> None:
        self.state, self.detail = state, detail
        self.stateChanged.emit(state, detail)

    def shutdown(self) -> None:
        """On quit: wait for a change under way, then stop the server (streams are cancelled)."""
        self._closing = True
        if self._worker is not None:
            self._worker.wait(SHUTDOWN_WAIT_MS)
        self.server = None
        for server in self._started:
            server.stop()  # type: ignore[attr-defined]  # a stopped one returns at once
        self._started.clear()
        self.state = OFF


def _port_taken(error: BaseException) -> bool:
    cause = error.__cause__
    return isinstance(cause, OSError) and cause.errno in (errno.EADDRINUSE, errno.EACCES)


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

        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(settings.api_port if 1024 <= settings.api_port <= 65535 else 8765)
        self.port.setAccelerated(True)
        self.port.valueChanged.connect(self._update_url)
        port_row = QHBoxLayout()
        port_row.addWidget(self.port)
        port_row.addStretch(1)

        self.url = QLabel()
        self.url.setObjectName("apiUrl")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy_url = QPushButton(self.tr("Copy"))
        copy_url.setToolTip(self.tr("Copy the URL"))
        copy_url.clicked.connect(lambda: self._copy(self.url.text(), self.tr("URL copied.")))
        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(copy_url)

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
        token_buttons = QHBoxLayout()
        token_buttons.addWidget(self.show_token)
        token_buttons.addWidget(self.copy_token)
        token_buttons.addWidget(self.regenerate)
        token_buttons.addStretch(1)
        token_row = QVBoxLayout()
        token_row.addWidget(self.token)
        token_row.addLayout(token_buttons)

        self.status = QLabel()
        self.status.setObjectName("secondaryText")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Port"), port_row)
        form.addRow(self.tr("URL"), url_row)
        form.addRow(self.tr("Token"), token_row)
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
