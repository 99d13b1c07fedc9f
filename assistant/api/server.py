"""``ApiServer``: the local OpenAI-compatible API in a background thread, on the window's engine.

    server = ApiServer(core, "127.0.0.1", 8765, api_token())
    server.start()      # raises ApiServerError (port taken, refused address) at once
    ...
    server.stop()       # cancels what is generating, frees the port

Starlette + uvicorn (pure-Python h11, no extras). The server shares ``core.engine`` and the
session's priority gate, so there is one model in memory and the window's turns go first.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

from assistant.api import DEFAULT_HOST, DEFAULT_PORT
from assistant.api.app import MAX_BODY_BYTES, create_app
from assistant.api.queue import DEFAULT_LIMIT, DEFAULT_MAX_WAIT, RequestQueue

if TYPE_CHECKING:
    from assistant.core import Core

log = logging.getLogger(__name__)
START_SECONDS = 10.0
STOP_SECONDS = 5.0
#: Open connections beyond this get uvicorn's 503 before any of our code runs.
MAX_CONNECTIONS = 64


class ApiServerError(RuntimeError):
    """The server could not start; the message is for the user."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ApiServer:
    def __init__(
        self,
        core: Core,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        token: str = "",
        *,
        allow_remote: bool = False,
        queue_limit: int = DEFAULT_LIMIT,
        max_wait: float = DEFAULT_MAX_WAIT,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        if not token:
            raise ValueError("the API needs a token (assistant.api.api_token())")
        if not allow_remote and not is_loopback(host):
            raise ApiServerError(f"{host} is reachable from other machines; the API serves 127.0.0.1 only "
                                 "unless remote access is allowed explicitly.")
        self.core = core
        self.host = host
        self.port = port
        self.queue = RequestQueue(core.session.gate, queue_limit, max_wait)
        self._app = create_app(core, token, self.queue, max_body)
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def url(self) -> str:
        """The base URL clients use (``OpenAI(base_url=server.url, api_key=token)``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    def start(self) -> ApiServer:
        """Bind and serve in a daemon thread; returns once requests are accepted."""
        import uvicorn

        if self.running:
            return self
        sock = self._bind()
        self.port = sock.getsockname()[1]  # port 0 picks a free one (tests)
        config = uvicorn.Config(
            self._app, log_level="warning", access_log=False, lifespan="off", server_header=False,
            limit_concurrency=MAX_CONNECTIONS, timeout_graceful_shutdown=int(STOP_SECONDS),
        )
        self._server = uvicorn.Server(config)
        self._failure = None
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="api-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ApiServerError(f"The API server did not start: {self._failure or 'timed out'}")
            time.sleep(0.01)
        log.info("API listening on %s", self.url)
        return self

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            raise ApiServerError(f"Cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from exc
        return sock

    def _serve(self, sock: socket.socket) -> None:
        try:
            self._server.run(sockets=[sock])
        except BaseException as exc:  # uvicorn exits with SystemExit on a startup failure
            self._failure = exc
            log.error("API server stopped: %s", exc)
        finally:
            sock.close()

    def stop(self) -> None:
        """Stop accepting, cancel the generations in flight, and wait for the thread."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self.queue.cancel_all()
        server.should_exit = True
        thread.join(STOP_SECONDS + 2)
        if thread.is_alive():
            server.force_exit = True
            thread.join(2)
        self._server = self._thread = None
        log.info("API stopped")
