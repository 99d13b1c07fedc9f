"""Natural-language times -> an aware datetime (+ an RFC 5545 RRULE for repeats).

Deterministic on purpose: the model only copies the user's words ("tomorrow at 9",
"every weekday at 8"); this layer turns them into a time, and refuses or asks when the words
do not name one time ("30 February", "next Friday" said on a Wednesday, a past time).
dateparser handles the long tail of one-off phrases; recurrence is ours (see ``recur``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assistant.scheduler.recur import describe_rule, parse_recurrence
from assistant.scheduler.single import extract_time, parse_single
from assistant.scheduler.vocabulary import (
    DAY_RE,
    DEFAULT_TIME,
    MONTH_RE,
    MONTHS,
    NUMBERS,
    WEEKDAYS,
    TimeParseError,
    check_date,
    format_time,
    localize,
)
from assistant.scheduler.zones import extract_zone, zone

#: The vocabulary and the one-off reader are re-exported: callers import times from here.
__all__ = [
    "DAY_RE",
    "DEFAULT_TIME",
    "MONTHS",
    "MONTH_RE",
    "NUMBERS",
    "WEEKDAYS",
    "ParsedTime",
    "TimeParseError",
    "check_date",
    "extract_time",
    "format_time",
    "localize",
    "parse_single",
    "parse_when",
]


@dataclass(frozen=True)
class ParsedTime:
    start: datetime  # aware, in ``tz``: the first (or only) time it is due
    tz: str
    rrule: str | None = None  # RRULE value; UNTIL is local wall time like the start
    note: str = ""  # what we assumed ("no time given: 09:00", "moved past the DST gap")

    @property
    def local(self) -> datetime:
        """Wall-clock time in its zone, naive: what recurrences are computed on (DST-safe)."""
        return self.start.replace(tzinfo=None)

    def describe(self) -> str:
        text = f"{format_time(self.start)} ({self.tz})"
        if self.rrule:
            text += ", " + describe_rule(self.rrule)
        return text + (f" — {self.note}" if self.note else "")



def parse_when(
    text: str, now: datetime, tz: str | None = None, allow_past: bool = False, fallback: bool = True
) -> ParsedTime:
    """Parse a one-off or repeating time said at ``now`` (aware) by a user in ``tz``.
    ``fallback=False``: no dateparser guess for words our own patterns do not read."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    cleaned, named_zone = extract_zone(" ".join(text.replace("’", "'").split()))
    cleaned = cleaned.lower().strip(" .!?,")
    if not cleaned:
        raise TimeParseError("No time was given.", "unparsed")
    tz_name = named_zone or tz or str(now.tzinfo)
    zone_info = zone(tz_name)
    local_now = now.astimezone(zone_info).replace(tzinfo=None)
    repeating = parse_recurrence(cleaned, local_now, zone_info)
    if repeating is not None:
        start, rule, note = repeating
        aware, moved = localize(start, zone_info)
        note = "; ".join(n for n in (note, "moved past the DST gap" if moved else "") if n)
        return ParsedTime(aware, tz_name, rule, note)
    naive, note = parse_single(cleaned, local_now, allow_past, fallback)
    aware, moved = localize(naive, zone_info)
    if moved:
        note = "; ".join(n for n in (note, "that time does not exist on this day (clocks go forward)") if n)
    return ParsedTime(aware, tz_name, None, note)

