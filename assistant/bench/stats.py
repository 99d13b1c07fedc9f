"""Small helpers shared by the measurements."""

from __future__ import annotations

import importlib
import math
import statistics
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any


@dataclass
class Figure:
    """One row of the bench table: a measured value, its baseline, and the target."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    target: str = ""
    passed: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)
    #: The ratio to show when it is not value / baseline (e.g. the median of per-pair ratios):
    #: build such rows with :func:`ratio_figure`, so "ok" is judged on the ratio shown.
    pair_ratio: float | None = None
    #: Why the row has no figure (an optional baseline is not installed).
    skipped: str = ""

    @property
    def ratio(self) -> float | None:
        if self.pair_ratio is not None:
            return self.pair_ratio
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "target": self.target,
            "passed": self.passed,
            "details": self.details,
            **({"skipped": self.skipped} if self.skipped else {}),
        }


class Skipped(Exception):
    """A measurement cannot run here (its optional baseline is missing); the reason is shown."""


def optional_baseline(module: str, purpose: str) -> ModuleType:
    """Import a baseline that is not a dependency of the app, or skip the measurement."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise Skipped(f"{purpose} needs '{module}', which is not installed") from exc


def skipped_figure(name: str, reason: str) -> Figure:
    return Figure(name, math.nan, "", None, "", None, {}, skipped=reason)


def ratio_figure(
    name: str,
    value: float,
    unit: str,
    baseline: float,
    pair_ratios: list[float],
    at_least: float,
    target: str,
    details: dict[str, Any],
) -> Figure:
    """A row judged on the median of per-pair ratios: that ratio is the one printed (to 3
    places) and "ok" compares exactly the printed number with ``at_least``."""
    ratio = round(median(pair_ratios), 3)
    return Figure(name, value, unit, baseline, target, ratio >= at_least,
                  {**details, "median_pair_ratio": ratio}, pair_ratio=ratio)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
