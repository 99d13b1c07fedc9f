"""Model-handling measurements: load time from the page cache, GGUF header reads."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.bench.stats import Figure, median
from assistant.config import physical_cores, starter_model_path
from assistant.engine.base import EngineConfig
from assistant.engine.local import LocalEngine
from assistant.events import ModelLoaded
from assistant.models.gguf_header import read_header


def load_time(home: Path, repeats: int) -> list[Figure]:
    """Loading the starter model (already in the OS page cache, mmap) in the app's model
    process, beside the same load done in-process with llama_cpp.Llama."""
    import llama_cpp

    from assistant.engine.worker import skip_llama_cpp_chat_formatters

    model = starter_model_path()
    assert model is not None
    model.read_bytes()  # into the page cache
    threads = physical_cores()
    app, raw, in_child = [], [], []
    for i in range(repeats):
        engine = LocalEngine()
        start = time.perf_counter()
        loaded = [e for e in engine.ensure_loaded(EngineConfig(str(model), 2048 + i, threads, 0))
                  if isinstance(e, ModelLoaded)]
        app.append(time.perf_counter() - start)
        in_child.append(loaded[0].load_seconds)
        engine.close()
        start = time.perf_counter()
        skip_llama_cpp_chat_formatters(llama_cpp)  # as the model process does: no unbounded Jinja
        llm = llama_cpp.Llama(str(model), n_ctx=2048, n_threads=threads, verbose=False)
        raw.append(time.perf_counter() - start)
        del llm
    value = median(in_child)
    return [
        Figure("model_load_page_cache", value, "s", median(raw), "<= 1 s", value <= 1.0,
               {"model_process_load_runs": in_child, "raw_llama_runs": raw}),
        Figure("model_ready_incl_process_start", median(app), "s", median(raw), "",
               None, {"runs": app, "note": "spawn + import llama_cpp + load, as the user waits"}),
    ]


def header_read(home: Path, repeats: int) -> list[Figure]:
    """Our bounded header reader beside gguf.GGUFReader on the same file."""
    import gguf

    model = starter_model_path()
    assert model is not None
    ours, theirs = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        read_header(model)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        gguf.GGUFReader(str(model))
        theirs.append(time.perf_counter() - start)
    value = median(ours) * 1000
    return [Figure("gguf_header_read", value, "ms", median(theirs) * 1000, "<= 50 ms per model",
                   value <= 50, {"ours_s": ours, "gguf_reader_s": theirs})]
