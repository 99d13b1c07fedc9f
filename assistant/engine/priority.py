"""The model's process runs below the window's priority.

On a 2-core laptop llama.cpp's threads and the window's GUI thread share the cores; at equal
priority the window's 16 ms heartbeat stalled to a p99 of 38–44 ms while the starter model
streamed (docs/BENCHMARKS.md, "Streaming that stays smooth"), at niceness 10 to 28 ms, with
the same tokens per second: the window needs little CPU, only promptly. Threads inherit the
niceness of the thread that starts them, so this runs first thing in the child, before
llama.cpp starts any. ``ASSISTANT_MODEL_NICENESS=0`` keeps equal priority.
"""

from __future__ import annotations

import os

NICENESS_ENV = "ASSISTANT_MODEL_NICENESS"
DEFAULT_NICENESS = 10


def yield_to_the_window() -> None:
    try:
        wanted = int(os.environ.get(NICENESS_ENV, DEFAULT_NICENESS))
    except ValueError:
        wanted = DEFAULT_NICENESS
    if wanted <= 0 or not hasattr(os, "nice"):
        return  # Windows: no nice(); the process keeps normal priority
    try:
        os.nice(wanted)
    except OSError:
        pass  # a sandbox that forbids it: run as we are
