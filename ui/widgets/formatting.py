"""Numbers for people: sizes, speeds and durations, short and locale-neutral."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def human_bytes(n: float | None) -> str:
    if n is None:
        return "?"
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def human_duration(seconds: float | None) -> str:
    if seconds is None or seconds < 0:
        return translate("Format", "unknown")
    seconds = round(seconds)
    if seconds < 60:
        return translate("Format", "%1 s").replace("%1", str(seconds))
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return translate("Format", "%1 min %2 s").replace("%1", str(minutes)).replace("%2", str(seconds))
    hours, minutes = divmod(minutes, 60)
    return translate("Format", "%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))
