"""Event-loop health while long replies stream, run by ``assistant bench`` (``gui``).

``python -m ui.app.stream_probe --out FILE.json [--engine local|scripted] [--rate TOK_S]
[--scenario 1024] [--scenario 4096] [--scenario 1024@200]`` opens one window in one process
and measures, with a 16 ms ``QTimer`` heartbeat, the gaps between its ticks:

* ``start_up``: from the first tick until the core's background start-up work is done (the
  embedding model's import holds the GIL for seconds), reported apart;
* ``baseline``: the window idle, nothing streaming (the same process and window, just before);
* ``warm_up``: a short first reply (the process's one-time costs), reported apart;
* each scenario ``N`` or ``N@H``: a reply of N tokens streamed into a new chat, or into a
  conversation of H stored messages opened first. Gaps count from the reply's first text to
  the end of the turn (so the final render of the reply is in them). Before it sends, the
  heartbeat is measured with that conversation open and nothing streaming
  (``idle_open_gap_ms``): the window's own cost of showing it.

``--engine local`` streams the real starter model (end of text ignored, loop cut off, so the
reply has N tokens); ``scripted`` streams a Markdown-heavy reply (headings, lists, code,
tables, Chinese) at ``--rate`` tokens per second, one word per token. It runs in a throw-away
profile folder, so it never touches the user's chats.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HEARTBEAT_MS = 16
#: The starter model's streaming rate on the 2-core bench machine when it is not shared
#: (docs/BENCHMARKS.md, stream_throughput: 73-80 tok/s); the scripted engine's default.
STARTER_RATE = 75.0
WARM_UP_TOKENS = 96
PROMPT = "Write a long, detailed guide to keeping a lighthouse, with steps, code and tables."
SECTION = (
    "## Part {i}\n\nThe keeper checks the **lamp**, the `lens` and the log book every evening "
    "before sunset, and writes down the weather, the ships seen and anything unusual [1].\n\n"
    "1. Clean the lens with a soft cloth.\n2. Trim the wick and fill the oil.\n\n"
    "   Keep the spare wicks dry.\n\n3. Wind the clockwork.\n\n"
    "```python\ndef rotation_seconds(turns: int) -> float:\n    return 60 / max(turns, 1)\n```\n\n"
    "| item | every |\n|------|-------|\n| lens | day   |\n| oil  | week  |\n\n"
    "灯塔看守人每天检查灯、透镜和日志，并记录天气与过往船只。\n\n"
)


def scripted_reply(n_tokens: int) -> str:
    """A Markdown-heavy reply of exactly ``n_tokens`` words (the scripted engine's tokens)."""
    words: list[str] = []
    part = 0
    while len(words) < n_tokens:
        words.extend(SECTION.format(i=part).split(" "))
        part += 1
    return " ".join(words[:n_tokens])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def summary(gaps: list[float]) -> dict[str, float]:
    return {
        "ticks": len(gaps),
        "p50": round(percentile(gaps, 50), 2),
        "p99": round(percentile(gaps, 99), 2),
        "max": round(max(gaps, default=0.0), 2),
        "mean": round(statistics.fmean(gaps), 2) if gaps else 0.0,
    }


def parse_scenario(text: str) -> tuple[int, int]:
    """``"1024"`` -> (1024, 0); ``"1024@200"`` -> (1024 tokens, 200 stored messages)."""
    tokens, _, history = text.partition("@")
    return int(tokens), int(history or 0)


def store_history(core: Any, n_messages: int) -> int:
    """A conversation of ``n_messages`` alternating questions and Markdown answers."""
    conversation: int = core.chats.create_conversation(f"{n_messages} messages")
    for i in range(n_messages):
        if i % 2 == 0:
            core.chats.add_message(conversation, "user", f"Question {i}: how do I look after part {i}?")
        else:
            core.chats.add_message(conversation, "assistant", SECTION.format(i=i)[:400])
    return conversation


def background_busy(core: Any) -> bool:
    """The core's start-up work is still going: the embedding model loading (importing torch
    and sentence-transformers in a thread holds the GIL for seconds) or messages waiting for
    their vectors (the 200 messages a scenario has just stored: in use, a conversation that
    long was embedded long before it is opened again)."""
    from assistant.memory.worker import pending_count

    memory = core.memory
    worker, embedder = memory.worker, memory.embedder
    if worker is None or embedder is None or worker.error or not worker.running:
        return False  # no background embedding in this run
    return not embedder.ready or pending_count(core.database, embedder.model_id) > 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.app.stream_probe")
    parser.add_argument("--engine", choices=["local", "scripted"], default="scripted")
    parser.add_argument("--rate", type=float, default=STARTER_RATE, help="scripted tokens/s")
    parser.add_argument("--scenario", action="append", help="N or N@H (repeatable)")
    parser.add_argument("--baseline-seconds", type=float, default=8.0)
    parser.add_argument("--worker-nice", type=int, default=None,
                        help="experiment: run the model's process at this niceness (Linux)")
    parser.add_argument("--settle-timeout", type=float, default=180.0,
                        help="longest wait for the core's background work before measuring")
    parser.add_argument("--open-idle-seconds", type=float, default=4.0,
                        help="idle heartbeat with each scenario's conversation open, before it sends")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--timeout", type=float, default=1800.0, help="give up after this long")
    args = parser.parse_args(argv)
    scenarios = [parse_scenario(s) for s in (args.scenario or ["1024", "4096", "1024@200"])]
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["ASSISTANT_HOME"] = tempfile.mkdtemp(prefix="assistant-stream-probe-")
    result = run(args, scenarios)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result))
    return 0 if "error" not in result else 1


def run(args: argparse.Namespace, scenarios: list[tuple[int, int]]) -> dict[str, Any]:
    # PySide 6.12 on Python 3.11 drops a reference to None on every call of a void Qt method
    # from Python; a few thousand calls (a long stream) would free None and abort. The probe
    # holds spare references so the measurement can finish (the app is not patched here).
    # (A tuple: the collector stops tracking a tuple of None, so it costs no collection time.)
    spare_none_refs = tuple([None] * 20_000_000)
    gc.collect()
    from assistant.config import Settings
    from assistant.core import Core
    from ui.app.i18n import install_translators
    from ui.app.main import apply_style, build_window, make_app

    app = make_app([sys.argv[0]])
    engine: Any = None
    if args.engine == "scripted":
        from assistant.engine.fake import ScriptedEngine

        engine = ScriptedEngine([lambda request: scripted_reply(request.max_tokens or 1024)],
                                token_delay=1 / args.rate)
        os.environ.setdefault("ASSISTANT_MODEL", "scripted.gguf")
    core = Core.open(engine=engine)
    core.session.ignore_eos = True  # the real model writes the full length
    core.session.stop_loops = False  # and is not cut when a 135M model repeats itself
    translators = install_translators(app, core.settings.language)
    apply_style(app)
    window = build_window(core)
    window.resize(1000, 800)
    result: dict[str, Any] = {"engine": args.engine, "heartbeat_interval_ms": HEARTBEAT_MS, "scenarios": []}
    if args.engine == "scripted":
        result["scripted_rate_tok_s"] = args.rate
    gaps: list[float] = []
    clock = {"last": 0.0, "on": 0.0}
    steps: list[Callable[[], None]] = []

    def tick() -> None:
        now = time.perf_counter()
        if clock["on"] and clock["last"]:
            gaps.append((now - clock["last"]) * 1000)
        clock["last"] = now

    def measuring(on: bool) -> None:
        gaps.clear()
        clock["on"] = 1.0 if on else 0.0
        clock["last"] = 0.0

    def next_step() -> None:
        if not steps:
            finish("")
        else:
            stepper.start(300)  # let the previous turn's deferred work settle first

    settling: dict[str, Any] = {}

    def settle(then: Callable[[], None], record: str = "") -> None:
        """Wait until the core's background work is done (polled), then ``then()``; with
        ``record``, the gaps measured meanwhile are reported under that name."""
        settling.update(then=then, record=record, since=time.perf_counter())
        poller.start()

    def poll() -> None:
        waited = time.perf_counter() - settling["since"]
        busy = background_busy(core)
        if busy and waited < args.settle_timeout:
            poller.start()
            return
        if settling["record"]:
            result[settling["record"]] = {"gap_ms": summary(gaps), "seconds": round(waited, 1),
                                          "settled": not busy}
            measuring(False)
        settling["then"]()

    def baseline() -> None:
        measuring(True)
        idle.start(int(args.baseline_seconds * 1000))

    def baseline_done() -> None:
        result["baseline"] = summary(gaps)
        measuring(False)
        next_step()

    def scenario(n_tokens: int, history: int, warm_up: bool = False) -> Callable[[], None]:
        entry: dict[str, Any] = {"tokens": n_tokens, "history_messages": history}

        def start() -> None:
            if not warm_up:  # the heartbeat with this conversation open and nothing streaming
                entry["idle_open_gap_ms"] = summary(gaps)
            measuring(False)
            core.settings = Settings(
                n_ctx=8192 if n_tokens > 2048 else 4096, temperature=0.0,
                max_reply_tokens=n_tokens, system_prompt="You are a helpful assistant.",
            )
            window.chat.send(PROMPT)
            worker = window.chat.worker
            if worker is None:
                finish(f"the {n_tokens}-token turn did not start")
                return
            worker.textReady.connect(lambda _text, _count: measuring(True) if not clock["on"] else None)
            worker.done.connect(lambda event: entry.update(
                n_tokens=event.n_tokens, tokens_per_second=round(event.tokens_per_second, 1)))
            worker.failed.connect(lambda event: entry.update(error=event.message))

            def ended() -> None:
                entry["gap_ms"] = summary(gaps)
                measuring(False)
                if warm_up:
                    result["warm_up"] = entry
                else:
                    result["scenarios"].append(entry)
                next_step()

            worker.finished.connect(ended)

        def open_chat() -> None:
            # Opened first and laid out, as a user opens a conversation and then writes.
            if history:
                window.chat.open_conversation(store_history(core, history))
            else:
                window.chat.new_chat()
            sender.timeout.disconnect()
            sender.timeout.connect(idle_open)
            settle(lambda: sender.start(2000 if history else 300))

        def idle_open() -> None:
            measuring(True)
            sender.timeout.disconnect()
            sender.timeout.connect(start)
            sender.start(int(args.open_idle_seconds * 1000) if not warm_up else 0)

        return open_chat

    def start_when_ready() -> None:
        preloading = window.chat.preload_worker
        if preloading is not None:  # the window warms the model first; measure after it
            preloading.finished.connect(start_when_ready)
            return
        # The core's start-up work (the embedding model's import, seconds of GIL) is
        # measured apart as "start_up", from the first tick until it is done.
        steps.append(lambda: settle(next_step, record="start_up"))
        steps.append(baseline)
        # The process's first reply pays one-time costs (pygments loads a lexer on the first
        # code block, Qt caches fonts): a short turn first, reported apart as "warm_up".
        steps.append(scenario(WARM_UP_TOKENS, 0, warm_up=True))
        steps.extend(scenario(n, h) for n, h in scenarios)
        next_step()

    def run_next() -> None:
        steps.pop(0)()

    def finish(error: str) -> None:
        heartbeat.stop()
        watchdog.stop()
        if error:
            result["error"] = error
        app.quit()

    # Parented timers, not pending singleShot lambdas: PySide 6.12 crashes at interpreter exit
    # when a singleShot functor is still queued.
    heartbeat = _timer(window, HEARTBEAT_MS, tick, single=False)
    stepper = _timer(window, 300, run_next)
    sender = _timer(window, 300, lambda: None)
    idle = _timer(window, 1000, baseline_done)
    poller = _timer(window, 200, poll)
    watchdog = _timer(window, int(args.timeout * 1000), lambda: finish("timed out"))
    starter = _timer(window, 300, start_when_ready)
    if args.worker_nice is not None:  # an experiment: the model's process yields to the window
        _timer(window, 500, lambda: renice_children(args.worker_nice), single=False).start()
    window.show()
    window.load_initial()
    heartbeat.start()
    measuring(True)  # from the first tick: the start-up record
    watchdog.start()
    starter.start()
    app.exec()
    window.desktop.quit_hook = lambda: None
    window.desktop.quit_app()  # not close(): with no tray, close() would ask whether to quit
    core.close()
    del translators, spare_none_refs
    return result


def renice_children(niceness: int) -> None:
    """Give this process's children (the model's process) ``niceness`` (Linux /proc)."""
    me = str(os.getpid())
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                parent = stat.read().rsplit(")", 1)[1].split()[1]
            if parent == me and os.getpriority(os.PRIO_PROCESS, int(pid)) != niceness:
                os.setpriority(os.PRIO_PROCESS, int(pid), niceness)
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to change


def _timer(parent: Any, interval_ms: int, slot: Callable[[], None], single: bool = True) -> Any:
    from PySide6.QtCore import QTimer

    timer = QTimer(parent)
    timer.setSingleShot(single)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


if __name__ == "__main__":
    sys.exit(main())
