"""Runs the measurements, prints a table of figures and ratios, writes JSON."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assistant import __version__
from assistant.bench.stats import Figure, Skipped, skipped_figure

Measurement = Callable[[Path, bool], list[Figure]]


def _throughput(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.chat_path import streaming_throughput

    return streaming_throughput(home, (256, 1024), 2 if quick else 5)


def _ttft(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.chat_path import second_turn_ttft

    return [second_turn_ttft(home, 1 if quick else 3)]


def _gui(home: Path, quick: bool) -> list[Figure]:
    """Window start-up, then the heartbeat idle and while scripted replies stream at the starter
    model's rate (assistant/bench/gui.py)."""
    from assistant.bench.gui import heartbeat, window_shown

    streaming = heartbeat(home / "gui", "scripted", ["1024", "4096", "1024@200"], 900)
    return [window_shown(home / "gui"), *streaming]


def _gui_real(home: Path, quick: bool) -> list[Figure]:
    """The same heartbeat while the real starter model streams (minutes on 2 cores)."""
    from assistant.bench.gui import heartbeat

    scenarios = ["1024", "1024@200"] if quick else ["1024", "4096", "1024@200"]
    return heartbeat(home / "gui-real", "local", scenarios, 3600)


def _remote(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.remote import remote_overhead

    return remote_overhead(home, 3 if quick else 8)


def _models(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.models import header_read, load_time

    return load_time(home, 2 if quick else 5) + header_read(home, 3 if quick else 10)


def _api(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.api import api_overhead

    return api_overhead(home, 3 if quick else 8)


def _retrieval_quality(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.retrieval_quality import retrieval_quality

    return retrieval_quality(home, quick)


def _agent(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.agent import eval_accuracy, time_to_confirmation, tool_overhead

    return eval_accuracy(home, quick) + time_to_confirmation(home, quick) + tool_overhead(home, quick)


def _loops(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.loops import loop_share

    return loop_share(home, quick)


def _grounded(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.grounded import grounded_share

    return grounded_share(home, quick)


MEASUREMENTS: dict[str, Measurement] = {
    "throughput": _throughput,
    "ttft": _ttft,
    "gui": _gui,
    "gui_real": _gui_real,
    "models": _models,
    # Memory and knowledge (assistant/bench/memory.py); imported lazily, like the others.
    "retrieval": lambda home, quick: _memory("retrieval", home, quick),
    "retrieval_zh": lambda home, quick: _memory("retrieval_zh", home, quick),
    "ingest": lambda home, quick: _memory("ingest", home, quick),
    "rescan": lambda home, quick: _memory("rescan", home, quick),
    "query_overhead": lambda home, quick: _memory("query_overhead", home, quick),
    # Labelled Chinese/English retrieval set (assistant/bench/retrieval_set), issue 10.
    "retrieval-quality": _retrieval_quality,
    "agent": _agent,
    # One model decision: under the choice grammar vs chosen without it (engine/scoring.py), issue 9.
    "decisions": lambda home, quick: _decisions(home, quick),
    # Replies that fall into repetition, before/after sampling defaults and the detector (issue 9).
    "loops": _loops,
    # Document and fact questions: extractive answers beside the model's free answer (issue 9).
    "grounded": _grounded,
    "remote": _remote,
    "api": _api,
}


def _decisions(home: Path, quick: bool) -> list[Figure]:
    from assistant.bench.decisions import model_decisions

    return model_decisions(home, quick)


def _memory(name: str, home: Path, quick: bool) -> list[Figure]:
    from assistant.bench import memory

    measure: Measurement = getattr(memory, name)  # one of bench/memory.py's measurements
    return measure(home, quick)


def run_bench(quick: bool = False, out: Path | None = None, only: list[str] | None = None) -> int:
    names = only or list(MEASUREMENTS)
    unknown = [n for n in names if n not in MEASUREMENTS]
    if unknown:
        print(f"unknown measurement(s): {', '.join(unknown)}; known: {', '.join(MEASUREMENTS)}")
        return 2
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        os.environ.setdefault("ASSISTANT_HOME", tmp)  # never touch the user's real profile
        for name in names:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            try:
                figures.extend(MEASUREMENTS[name](Path(tmp), quick))
            except Skipped as skip:  # an optional baseline is missing: the other rows stay
                print(f"skipped {name}: {skip}", file=sys.stderr, flush=True)
                figures.append(skipped_figure(name, str(skip)))
    print(format_table(figures))
    report = {
        "version": __version__,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "quick": quick,
        "figures": [f.to_dict() for f in figures],
    }
    target = out or Path("bench-results") / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {target}")
    return 0


def format_table(figures: list[Figure]) -> str:
    rows = [("measurement", "value", "baseline", "ratio", "target", "ok")]
    for f in figures:
        if f.skipped:
            rows.append((f.name, "-", "", "", f"skipped: {f.skipped}", "skipped"))
            continue
        rows.append(
            (
                f.name,
                f"{f.value:.3f} {f.unit}",
                "" if f.baseline is None else f"{f.baseline:.3f} {f.unit}",
                "" if f.ratio is None else f"{f.ratio:.3f}",  # pair-ratio rows are judged on it
                f.target,
                {True: "yes", False: "NO", None: ""}[f.passed],
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows)
