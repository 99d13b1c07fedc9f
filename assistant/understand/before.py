"""A reminder set relative to another time in the same request: "The 23rd of October is Priya's
leaving do, remind me the day before at 6pm", "my flight lands on Saturday at 14:40, remind me
an hour before", "half term starts mon 25 oct so remind me the friday before".

The other time (the anchor) is read by the time layer like any time; this module only says how
far before it the reminder falls. The reminder's own clock time, when one is said next to
"before", wins; a whole day before with no clock is at 09:00, like any day without a time.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta

from assistant.scheduler.single import relative_delta
from assistant.scheduler.vocabulary import DAY_RE, DEFAULT_TIME, NUMBERS, WEEKDAYS
from assistant.understand.when import When, WhenProblem, find_when
from assistant.understand.when_problems import past

_BEFORE = re.compile(
    rf"\b(?:(?P<amount>(?:an?|half an?|a couple of|\d+|{'|'.join(NUMBERS)})\s+"
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?))"
    r"|(?P<day>the day|the night|the evening)"
    rf"|the (?P<weekday>{DAY_RE}))\s+before\b",
    re.IGNORECASE,
)
_CLOCK_NEAR = re.compile(r"^\s*(?:at\s+)?(\d{1,2}(?::\d{2}|[.]\d{2})?\s*(?:[ap]\.?m\b)?)", re.IGNORECASE)


def before_anchor(text: str, now: datetime, tz: str | None) -> When | WhenProblem | None:
    """The time "… before" another time names, or None when the text says no such thing."""
    said = _BEFORE.search(text)
    if said is None:
        return None
    blank = " " * (said.end() - said.start())
    rest = text[: said.start()] + blank + text[said.end() :]
    clock_words = _CLOCK_NEAR.match(text[said.end() :])
    if clock_words:
        start = said.end() + clock_words.start(1)
        rest = rest[:start] + " " * len(clock_words.group(1)) + rest[start + len(clock_words.group(1)) :]
    anchor = find_when(rest, now, tz)
    if not isinstance(anchor, When) or anchor.rrule is not None:
        return None
    spans = [said.span()]
    clock = None
    if clock_words:
        clock = find_when("at " + clock_words.group(1), anchor.start, tz)
        spans.append((said.end() + clock_words.start(1), said.end() + clock_words.end(1)))
    moment = _moved_back(said, anchor.start, clock.start if isinstance(clock, When) else None)
    if moment <= now:
        return past(moment.replace(tzinfo=None), tuple(spans), now)
    outer = (min(s for s, _ in spans), max(e for _, e in spans))
    named_clock = clock is not None or bool(said.group("amount"))
    return replace(anchor, start=moment, span=outer, spans=tuple(spans), clock_given=named_clock)


def _moved_back(said: re.Match[str], anchor: datetime, clock: datetime | None) -> datetime:
    if said.group("amount"):
        moved = anchor - relative_delta(said.group("amount"))
        return moved if clock is None else datetime.combine(moved.date(), clock.timetz())
    if said.group("weekday"):
        wanted = WEEKDAYS[said.group("weekday").lower()]
        day = anchor.date() - timedelta(days=(anchor.weekday() - wanted - 1) % 7 + 1)
    else:
        day = anchor.date() - timedelta(days=1)
    hour, minute = (clock.hour, clock.minute) if clock else DEFAULT_TIME
    return datetime.combine(day, time(hour, minute), tzinfo=anchor.tzinfo)
