"""The loops bench's measure and table (no model: the bench itself runs the starter model)."""

from __future__ import annotations

from assistant.bench.loops import DEGENERATE, PROMPTS, _figures, repeated_share
from assistant.bench.runner import MEASUREMENTS


def test_prompt_set_and_registration() -> None:
    assert "loops" in MEASUREMENTS
    assert len(PROMPTS) >= 20 and "Write a long story about a lighthouse." in PROMPTS
    assert sum(1 for p in PROMPTS if any("\u4e00" <= c <= "\u9fff" for c in p)) >= 10


def test_repeated_share() -> None:
    assert repeated_share("I hope you have a wonderful trip to Lisbon! " * 10) > DEGENERATE
    healthy = "Rain forms when water vapour cools and condenses into droplets that fall."
    assert repeated_share(healthy) == 0.0 and repeated_share("") == 0.0
    assert repeated_share("小明每天都去海边看灯塔，" * 10) > DEGENERATE


def test_figures_side_by_side() -> None:
    def row(degenerate: bool, stopped: bool = False) -> dict[str, object]:
        return {"degenerate": degenerate, "detector_fires": degenerate, "stopped_for_loop": stopped,
                "repeated_share": 0.5 * degenerate, "tokens": 10}

    before = [row(True), row(True), row(False), row(False)]
    sampled = [row(True), row(False), row(False), row(False)]
    after = [row(False, True), row(False), row(False), row(False)]
    figures = {f.name: f for f in _figures(before, sampled, after, ["a"] * 4)}
    assert figures["loops_degenerate_share_before"].value == 0.5
    assert figures["loops_degenerate_share_sampling_only"].value == 0.25
    after_figure = figures["loops_degenerate_share_after"]
    assert after_figure.value == 0.0 and after_figure.baseline == 0.5 and after_figure.passed
    assert figures["loops_stopped_by_detector_after"].value == 0.25
    mean = figures["loops_mean_repeated_share_after"]
    assert mean.value == 0.0 and mean.baseline == 0.25
