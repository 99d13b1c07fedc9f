"""The words of times (weekdays, months, numbers, parts of the day) and what every time
reader shares: the error it raises, day checks, DST-safe zoning, the display format.

No other scheduler module is imported here: the readers (``single``, ``recur``, ``parse``)
all build on this one.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from typing import TypedDict
from zoneinfo import ZoneInfo

WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "weds": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "half an": 0.5,
    "a quarter of an": 0.25,
    "quarter of an": 0.25,
    "three quarters of an": 0.75,
    "a couple of": 2,
    "few": 3,
}
#: Times of day people name without a clock time.
PARTS_OF_DAY = {
    "morning": (9, 0),
    "noon": (12, 0),
    "midday": (12, 0),
    "lunchtime": (12, 30),
    "afternoon": (15, 0),
    "evening": (19, 0),
    "tonight": (20, 0),
    "night": (21, 0),
    "midnight": (0, 0),
    "end of the day": (17, 0),
}
DEFAULT_TIME = (9, 0)
DAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
NUM_RE = r"\d+(?:\.\d+)?|" + "|".join(sorted(NUMBERS, key=len, reverse=True))
#: Hours said as words ("quarter past seven", "half past six").
HOUR_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


class TimeProblem(TypedDict, total=False):
    """What went wrong, for callers that word it themselves (e.g. in Chinese)."""

    # invalid_date: the date asked for, and the month's last day when the day is past it
    year: int
    month: int
    day: int
    last: int
    moment: datetime  # past: the time that has gone
    name: str  # ambiguous: the words that could mean two days ("next Friday")
    monthday: int  # ambiguous: a repeat on a day not every month has


class TimeParseError(ValueError):
    """The words do not name one future time. ``kind``: unparsed | invalid_date | ambiguous |
    past | too_frequent | bad_end; ``options`` holds the candidates of an ambiguous time."""

    def __init__(
        self,
        message: str,
        kind: str = "unparsed",
        options: tuple[datetime, ...] = (),
        detail: TimeProblem | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.options = options
        self.detail: TimeProblem = detail or {}



def format_time(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b %Y}, {moment:%H:%M}"


def localize(naive: datetime, tz: ZoneInfo) -> tuple[datetime, bool]:
    """Attach ``tz``; a wall time inside a DST gap moves forward by the gap (02:30 -> 03:30).
    Returns the aware time and whether it moved."""
    aware = naive.replace(tzinfo=tz)
    normal = aware.astimezone(UTC).astimezone(tz)
    return normal, normal.replace(tzinfo=None) != naive



def check_date(year: int, month: int, day: int) -> date:
    detail: TimeProblem = {"year": year, "month": month, "day": day}
    if not 1 <= month <= 12:
        raise TimeParseError(f"There is no month {month}.", "invalid_date", detail=detail)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        detail["last"] = last
        raise TimeParseError(
            f"{day} {name} does not exist: {name} {year} has {last} days.", "invalid_date", detail=detail
        )
    return date(year, month, day)

