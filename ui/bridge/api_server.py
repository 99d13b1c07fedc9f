"""Runs ``assistant.api.ApiServer`` for the window, in line with the settings.

The server shares the window's engine (one model in memory; the window's turns go first). It
is started and stopped off the GUI thread (starting imports Starlette and uvicorn and binds;
stopping waits for streams in flight), one change at a time: a change asked for while one is
under way is applied when it ends. The token lives in a 0600 file (``assistant.api.auth``).
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from assistant.api import DEFAULT_HOST, api_token
from assistant.core import Core
from ui.bridge.workers import GeneratorWorker, run_off_thread

if TYPE_CHECKING:  # imported when first started: Starlette and uvicorn are slow to import
    from assistant.api.server import ApiServer

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
        self.server: ApiServer | None = None
        self.state, self.detail = OFF, ""
        self._worker: GeneratorWorker | None = None
        self._pending = False  # settings changed (or a restart was asked) while a change ran
        self._restart = False
        self._closing = False
        #: Every server started (appended on the worker thread), so quitting stops one whose
        #: start finished after the GUI stopped listening.
        self._started: list[ApiServer] = []

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
        same = server is not None and server.running and server.port == port
        already_off = not enabled and server is None and self.state != ERROR
        if (enabled and same and not self._restart) or already_off:
            self._restart = False
            return
        self._restart = False
        old, core, host = server, self.core, self.host
        self.server = None

        def change() -> object:
            if old is not None:
                old.stop()
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
            server.stop()  # a stopped one returns at once
        self._started.clear()
        self.state = OFF


def _port_taken(error: BaseException) -> bool:
    cause = error.__cause__
    return isinstance(cause, OSError) and cause.errno in (errno.EADDRINUSE, errno.EACCES)
