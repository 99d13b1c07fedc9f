"""``assistant bench``'s table: "ok" is judged on the ratio it prints, and a measurement whose
optional baseline is missing is one skipped row, not the end of every figure."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from assistant.bench import runner
from assistant.bench.stats import Figure, Skipped, median, optional_baseline, ratio_figure

# Runs where the ratio of medians (0.940) and the median of pair ratios (0.964) disagree.
APP = [94.0, 48.2, 300.0]
RAW = [100.0, 50.0, 311.2]


def row(table: str, name: str) -> list[str]:
    line = next(line for line in table.splitlines() if line.startswith(name))
    return line.split()


def test_a_pair_ratio_row_prints_the_ratio_it_is_judged_on() -> None:
    pairs = [a / r for a, r in zip(APP, RAW, strict=True)]
    figure = ratio_figure("stream_throughput_1024", median(APP), "tok/s", median(RAW), pairs, 0.95,
                          ">= 0.95", {})
    assert round(median(APP) / median(RAW), 3) == 0.94  # what the table printed before
    assert figure.ratio == 0.964
    cells = row(runner.format_table([figure]), "stream_throughput_1024")
    assert "0.964" in cells and cells[-1] == "yes"


def test_a_row_below_the_target_says_no_next_to_the_same_ratio() -> None:
    figure = ratio_figure("ingest", 80.0, "chunks/s", 100.0, [0.81, 0.84, 0.9], 0.85, ">= 0.85", {})
    cells = row(runner.format_table([figure]), "ingest")
    assert "0.840" in cells and cells[-1] == "NO"


def test_the_judged_ratio_is_the_printed_one_at_the_boundary() -> None:
    figure = ratio_figure("edge", 1.0, "", 1.0, [0.94996], 0.95, ">= 0.95", {})
    cells = row(runner.format_table([figure]), "edge")
    assert "0.950" in cells and cells[-1] == "yes"


def test_a_missing_optional_baseline_skips_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)  # import openai -> ImportError
    with pytest.raises(Skipped, match="openai"):
        optional_baseline("openai", "the official client baseline")
    from assistant.bench.remote import remote_overhead

    with pytest.raises(Skipped, match="openai"):
        remote_overhead(Path("unused"), 1)


def test_run_bench_keeps_the_other_figures_when_one_measurement_is_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def measured(_home: Path, _quick: bool) -> list[Figure]:
        return [Figure("window_shown", 0.8, "s", None, "<= 1.5 s", True)]

    def needs_openai(_home: Path, _quick: bool) -> list[Figure]:
        raise Skipped("the official client baseline needs 'openai', which is not installed")

    monkeypatch.setattr(runner, "MEASUREMENTS", {"gui": measured, "remote": needs_openai})
    out = tmp_path / "bench.json"
    assert runner.run_bench(out=out) == 0
    table = capsys.readouterr().out
    assert row(table, "window_shown")[-1] == "yes"
    assert row(table, "remote")[-1] == "skipped" and "openai" in table
    figures = json.loads(out.read_text())["figures"]
    assert [f["name"] for f in figures] == ["window_shown", "remote"]
    assert "openai" in figures[1]["skipped"]
