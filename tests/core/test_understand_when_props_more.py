"""Properties of the time layer's later families: repeats with an end (UNTIL, COUNT) round-trip
through describe -> find in both languages, and a time named in another zone is the moment
zoneinfo gives for it, kept in the user's zone."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assistant.understand.when import When, describe_when, find_when
from assistant.understand.when_zh import ZONES as ZH_ZONES

ZONES = ["Asia/Shanghai", "Europe/London", "America/New_York"]
NOWS = st.builds(
    lambda minutes, zone: (
        datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(ZoneInfo(zone))
        + timedelta(minutes=minutes)
    ),
    st.integers(min_value=0, max_value=400 * 24 * 60),
    st.sampled_from(ZONES),
)
ZH_DAYS = "一二三四五六日"
EN_CITIES = {"New York": "America/New_York", "Tokyo": "Asia/Tokyo", "Paris": "Europe/Paris",
             "Los Angeles": "America/Los_Angeles", "Sydney": "Australia/Sydney"}  # fmt: skip


@st.composite
def bounded(draw: st.DrawFn) -> tuple[str, datetime]:
    now = draw(NOWS)
    hm = f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"
    day = draw(st.integers(0, 6))
    end = now + timedelta(days=draw(st.integers(8, 700)))
    times = draw(st.integers(2, 60))
    en_end = f"{end.day} {calendar.month_name[end.month]} {end.year}"
    zh_end = f"{end.year}年{end.month}月{end.day}日"
    texts = [
        f"every day at {hm} until {en_end}", f"每天{hm}，直到{zh_end}",
        f"every {calendar.day_name[day]} at {hm} until {en_end}", f"每周{ZH_DAYS[day]} {hm}，直到{zh_end}",
        f"every day at {hm}, {times} times", f"每天{hm}，共{times}次",
        f"every {calendar.day_name[day]} at {hm}, {times} times", f"每周{ZH_DAYS[day]} {hm}，重复{times}次",
    ]  # fmt: skip
    return draw(st.sampled_from(texts)), now


@settings(max_examples=300, deadline=None)
@given(bounded())
def test_repeats_with_an_end_round_trip_in_both_languages(case: tuple[str, datetime]) -> None:
    text, now = case
    first = find_when(text, now)
    if not isinstance(first, When):
        return  # an end before the first time, a DST gap: refused, tested elsewhere
    assert first.rrule is not None and ("UNTIL=" in first.rrule or "COUNT=" in first.rrule), text
    for language in ("en", "zh"):
        said = describe_when(first, language, now)
        again = find_when(said, now)
        assert isinstance(again, When), (text, said, again)
        assert (again.start, again.rrule) == (first.start, first.rrule), (text, said)


@st.composite
def elsewhere(draw: st.DrawFn) -> tuple[str, datetime, datetime]:
    """A time named in another zone, on a date, said at now: (text, now, the moment meant)."""
    now = draw(NOWS)
    zh = draw(st.booleans())
    place = draw(st.sampled_from(sorted(ZH_ZONES) if zh else sorted(EN_CITIES)))
    there = ZoneInfo(ZH_ZONES[place] if zh else EN_CITIES[place])
    day = (now + timedelta(days=draw(st.integers(2, 300)))).date()
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    meant = datetime(day.year, day.month, day.day, hour, minute, tzinfo=there)
    round_trip = meant.astimezone(ZoneInfo("UTC")).astimezone(there)
    assume(round_trip.replace(tzinfo=None) == meant.replace(tzinfo=None))  # not in a DST gap
    if zh:
        text = f"{day.year}年{day.month}月{day.day}日{place}时间{hour:02d}:{minute:02d}提醒我开会"
    else:
        date_words = f"{day.day} {calendar.month_name[day.month]} {day.year}"
        text = f"remind me at {hour:02d}:{minute:02d} {place} time on {date_words}"
    return text, now, meant


@settings(max_examples=200, deadline=None)
@given(elsewhere())
def test_a_time_named_elsewhere_is_that_moment_in_the_users_zone(
    case: tuple[str, datetime, datetime],
) -> None:
    text, now, meant = case
    found = find_when(text, now)
    assert isinstance(found, When), (text, found)
    assert found.start == meant and found.rrule is None, (text, found.start, meant)
    assert found.start.utcoffset() == now.utcoffset() or str(found.start.tzinfo) == str(now.tzinfo)
