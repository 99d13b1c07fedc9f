"""Time language for English and Simplified Chinese: find the time inside a whole sentence.

``find_when("后天下午三点提醒我取快递", now)`` -> a ``When`` (aware start, RRULE, the spans of the
time words so the caller can cut them out of the "what"), a ``WhenProblem`` to ask back (an
impossible date, a past time, an unclear one, a repeat every second), or None: no time named.
The model never writes times: this layer is their only source. English goes through
``scheduler.parse`` (and ``recur``); Chinese has its own reader (``when_zh``) that ends in the
same rules: the same defaults (09:00), the same bare-hour guess, the same RRULEs.
"""

from __future__ import annotations

import re
from datetime import datetime

from assistant.scheduler.zones import zone
from assistant.understand import when_en, when_zh, when_zh_resolve
from assistant.understand.when_describe import describe_when
from assistant.understand.when_problems import from_error, what_time_today
from assistant.understand.when_types import When, WhenProblem, outer

__all__ = ["When", "WhenProblem", "describe_when", "find_when", "names_only_a_clock"]

_CJK = re.compile(r"[\u3400-\u9fff]")


def find_when(text: str, now: datetime, tz: str | None = None) -> When | WhenProblem | None:
    """The time named in ``text``, said at ``now`` (aware) by a user in ``tz`` (default: now's zone)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not text or not text.strip():
        return None
    tz_name = tz or getattr(now.tzinfo, "key", None) or str(now.tzinfo)
    if _CJK.search(text):
        found = when_zh_resolve.find(text, now.astimezone(zone(tz_name)))
        if found is not None:
            return found
    return _english(text, now, tz_name)


def _english(text: str, now: datetime, tz: str) -> When | WhenProblem | None:
    found = when_en.read(text, now, tz)
    if found is None:
        return None
    local_now = now.astimezone(zone(tz))
    if found.error is not None:
        moment = found.error.detail.get("moment")
        if found.error.kind == "past" and not found.clock_given and moment is not None:
            if moment.date() == local_now.date():
                return what_time_today(found.spans)  # "today", no time, said after 09:00
        return from_error(found.error, found.spans, local_now)
    parsed = found.parsed
    assert parsed is not None
    user_zone = zone(tz)
    start = parsed.start if parsed.rrule else parsed.start.astimezone(user_zone)
    if not found.clock_given and parsed.rrule is None and "passed today" in parsed.note:
        return what_time_today(found.spans)  # "today" with no time, said after 09:00
    return When(start, parsed.rrule, outer(found.spans), found.spans, found.clock_given)


def names_only_a_clock(text: str) -> bool:
    """Whether the words name a time of day and nothing else ("10am", "下午四点"): no day, no
    offset, no repeat."""
    if _CJK.search(text):
        named = set(when_zh.slots(text).pieces) - {"zone"}
        if named:
            return named <= {"clock", "part"}
    found: set[str] = set()
    for run in when_en.runs(when_en.tokens(text), text):
        found |= when_en.slots(when_en.words(run))
    return found == {"clock"}
