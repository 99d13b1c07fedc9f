"""GUI responsiveness probe, run by ``assistant bench``.

``python -m ui.app.bench_probe [--engine fake|local] --out FILE.json`` measures

* ``window_shown_ms``: from process start (``ASSISTANT_T0``, epoch seconds, when the caller
  sets it; otherwise the process creation time) to the main window's first paint;
* the event loop's health while a reply streams: a 16 ms ``QTimer`` heartbeat records the gaps
  between ticks; ``stall_ms`` is how much longer than 16 ms a gap was (0 = on time).

It runs in a throw-away profile folder, so it never touches the user's chats.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HEARTBEAT_MS = 16


def process_t0() -> float:
    """Epoch seconds when this process started, as early as we can know it."""
    given = os.environ.get("ASSISTANT_T0")
    if given:
        return float(given)
    try:
        # Linux: the start time in clock ticks since boot, against the uptime clock (10 ms
        # resolution). psutil's create_time() adds the boot time, which is whole seconds.
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(stat[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.time() - (uptime - started)
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return float(psutil.Process().create_time())
    except Exception:
        return time.time()


T0 = process_t0()
_FAKE_REPLY = " ".join(
    ["Here is a longer answer with **Markdown**, a list and code:\n\n1. first point\n2. second\n\n"]
    + ["```python\nfor i in range(10):\n    print(i * i)\n```\n\n"]
    + [f"Sentence number {i} keeps the stream going for a while." for i in range(60)]
)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.app.bench_probe")
    parser.add_argument("--engine", choices=["fake", "local"], default="fake")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--token-delay", type=float, default=0.01, help="fake engine, seconds")
    parser.add_argument("--prompt", default="Write a short story about a lighthouse keeper.")
    parser.add_argument("--timeout", type=float, default=300.0, help="give up after this long")
    args = parser.parse_args(argv)

    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="assistant-bench-")
    os.environ["ASSISTANT_HOME"] = home

    from PySide6.QtCore import QEvent, QObject, QTimer

    from assistant.core import Core
    from ui.app.i18n import install_translators
    from ui.app.main import apply_style, build_window, make_app

    app = make_app([sys.argv[0]])
    engine: Any = None
    if args.engine == "fake":
        from assistant.engine.fake import ScriptedEngine

        engine = ScriptedEngine([_FAKE_REPLY], token_delay=args.token_delay)
        os.environ.setdefault("ASSISTANT_MODEL", "scripted.gguf")
    core = Core.open(engine=engine)
    translators = install_translators(app, core.settings.language)
    apply_style(app)
    window = build_window(core)
    result: dict[str, Any] = {"engine": args.engine, "heartbeat_interval_ms": HEARTBEAT_MS}
    gaps: list[float] = []
    state: dict[str, float] = {"last": 0.0, "first_text": 0.0}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "window_shown_ms" not in result:
                result["window_shown_ms"] = round((time.time() - T0) * 1000, 1)
                QTimer.singleShot(300, start_turn)
            return super().eventFilter(watched, event)

    heartbeat = QTimer(window)
    heartbeat.setInterval(HEARTBEAT_MS)

    def tick() -> None:
        now = time.perf_counter()
        if state["last"] and state["first_text"]:
            gaps.append((now - state["last"]) * 1000)
        state["last"] = now

    def on_text(_text: str, _count: int) -> None:
        if not state["first_text"]:
            state["first_text"] = time.perf_counter()

    def start_turn() -> None:
        preloading = window.chat.preload_worker
        if preloading is not None:  # the window warms the model first; measure the turn after it
            preloading.finished.connect(start_turn)
            return
        heartbeat.start()
        window.composer.set_text(args.prompt)
        window.chat.send(args.prompt)
        if window.chat.worker is None:
            finish("the turn did not start")
            return
        window.chat.worker.textReady.connect(on_text)
        window.chat.worker.done.connect(lambda event: result.update(
            n_tokens=event.n_tokens, tokens_per_second=round(event.tokens_per_second, 1)))
        window.chat.worker.failed.connect(lambda event: result.update(error=event.message))
        window.chat.worker.finished.connect(lambda: finish(""))

    def finish(error: str) -> None:
        heartbeat.stop()
        watchdog.stop()
        if error:
            result["error"] = error
        stalls = [max(0.0, gap - HEARTBEAT_MS) for gap in gaps]
        result["heartbeat_ticks"] = len(gaps)
        result["gap_ms"] = {q: round(percentile(gaps, p), 2) for q, p in (("p50", 50), ("p99", 99))}
        result["gap_ms"]["max"] = round(max(gaps, default=0.0), 2)
        result["stall_ms"] = {
            "p50": round(percentile(stalls, 50), 2),
            "p99": round(percentile(stalls, 99), 2),
            "max": round(max(stalls, default=0.0), 2),
            "mean": round(statistics.fmean(stalls), 2) if stalls else 0.0,
        }
        app.quit()

    heartbeat.timeout.connect(tick)
    painter = FirstPaint()
    window.installEventFilter(painter)
    window.show()
    QTimer.singleShot(0, window.load_initial)
    # A parented timer, not a pending singleShot lambda: PySide 6.12 crashes at interpreter
    # exit when a singleShot functor is still queued.
    watchdog = QTimer(window)
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: finish("timed out"))
    watchdog.start(int(args.timeout * 1000))
    app.exec()
    window.desktop.quit_hook = lambda: None
    window.desktop.quit_app()  # not close(): with no tray, close() would ask whether to quit
    core.close()
    del translators
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
