"""Servers for the remote-engine tests: a scripted fake OpenAI server and a real llama_cpp.server.

The fake speaks just enough of the OpenAI API (``GET /models``, streaming
``POST /chat/completions``) to stage each fault the engine must explain: slowness, bad JSON,
a refused key, a server error, a dropped connection.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from assistant.bench.remote import free_port, llama_server  # noqa: F401 (re-exported for tests)

#: Each mode scripts /chat/completions (and "401" also /models); see FakeHandler.
MODES = ("ok", "endless", "slow", "slow_headers", "pings", "malformed", "401", "500", "reset", "old",
         "tools", "no_json_schema")


def chunk(content: str | None = None, finish: str | None = None) -> dict[str, Any]:
    delta = {"content": content} if content is not None else {}
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    return {"object": "chat.completion.chunk", "choices": [choice]}


class FakeOpenAIServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.mode = "ok"
        self.models = ["fake-model"]
        self.words = ["Hello", " there", ",", " friend", "."]
        self.chunk_delay = 0.0
        self.requests: list[dict[str, Any]] = []
        #: Set on shutdown, so handlers that "hang" return and the server can stop.
        self.stopping = threading.Event()
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join(5)


class FakeHandler(BaseHTTPRequestHandler):
    server: FakeOpenAIServer
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes: simplest streaming

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
        pass

    def _record(self, body: dict[str, Any] | None) -> None:
        self.server.requests.append({"method": self.command, "path": self.path,
                                     "headers": dict(self.headers), "body": body})

    def _json(self, status: int, data: dict[str, Any]) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _event(self, data: dict[str, Any] | str) -> None:
        text = data if isinstance(data, str) else json.dumps(data)
        self.wfile.write(f"data: {text}\n\n".encode())
        self.wfile.flush()

    def do_GET(self) -> None:
        self._record(None)
        if self.server.mode == "401":
            self._json(401, {"error": {"message": "Invalid API key provided.", "type": "auth_error"}})
        elif self.path.endswith("/models"):
            models = [{"id": m, "object": "model"} for m in self.server.models]
            self._json(200, {"object": "list", "data": models})
        else:
            self._json(404, {"detail": "Not Found"})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        self._record(body)
        server, mode = self.server, self.server.mode
        if mode == "401":
            return self._json(401, {"error": {"message": "Invalid API key provided.", "type": "auth_error"}})
        if mode == "500":
            return self._json(500, {"error": {"message": "CUDA out of memory", "type": "server_error"}})
        if mode == "old" and "stream_options" in body:
            return self._json(400, {"detail": "Unknown field: stream_options"})
        if mode == "no_json_schema" and body.get("response_format", {}).get("type") == "json_schema":
            # llama-cpp-python's server: pydantic refuses anything but text / json_object.
            return self._json(422, {"detail": [{"loc": ["body", "response_format", "type"],
                                                "msg": "Input should be 'text' or 'json_object'"}]})
        if mode == "tools":
            return self._tool_call_stream()
        if mode == "slow_headers":
            server.stopping.wait(30)
            return None
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self._event(chunk(server.words[0]))
        if mode == "slow":
            server.stopping.wait(30)
            return None
        if mode == "pings":  # keep-alive comments, never any data
            while not server.stopping.wait(0.05):
                self.wfile.write(b": ping\n\n")
                self.wfile.flush()
            return None
        if mode == "malformed":
            self.wfile.write(b'data: {"choices": [{"delta": {"content": "oops"\n\n')
            return None
        if mode == "reset":  # SO_LINGER 0 makes close() send RST: a crashed server mid-reply
            time.sleep(0.2)  # let the client read the chunk first: an RST discards unread data
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return None
        words = server.words[1:]
        while True:
            for word in words:
                if server.chunk_delay:
                    time.sleep(server.chunk_delay)
                self._event(chunk(word))
            if mode != "endless" or server.stopping.is_set():
                break
            words = server.words
        self._event(chunk(None, "stop"))
        if body.get("stream_options", {}).get("include_usage"):
            self._event({"choices": [], "usage": {"prompt_tokens": 42, "completion_tokens": len(server.words),
                                                  "total_tokens": 42 + len(server.words)}})
        self._event("[DONE]")
        return None

    def _tool_call_stream(self) -> None:
        """One call to ``agenda`` whose arguments arrive in three fragments, as OpenAI sends them."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        fragments = [{"index": 0, "id": "call_1", "type": "function",
                      "function": {"name": "agenda", "arguments": ""}},
                     {"index": 0, "function": {"arguments": '{"day": '}},
                     {"index": 0, "function": {"arguments": '"tomorrow"}'}}]
        for fragment in fragments:
            delta = {"tool_calls": [fragment]}
            self._event({"choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
        self._event(chunk(None, "tool_calls"))
        self._event("[DONE]")


@contextmanager
def fake_server() -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer().start()
    try:
        yield server
    finally:
        server.stop()
