"""Progress bars over byte counts: QProgressBar is int-based and model files exceed 2**31
bytes, so the bars count thousandths of the whole."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar

SCALE = 1000


def set_fraction(bar: QProgressBar, done: int, total: int | None) -> None:
    """``done`` of ``total`` bytes on ``bar`` (empty when the total is not known)."""
    bar.setRange(0, SCALE)
    bar.setValue(int(done * SCALE / total) if total else 0)
