"""Natural-language times against a fixed "now" (Wednesday 14 January 2026, 10:30 London)."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.scheduler.parse import TimeParseError, parse_when

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 1, 14, 10, 30, tzinfo=LONDON)


def at(text: str) -> tuple[str, str | None]:
    parsed = parse_when(text, NOW)
    return parsed.start.strftime("%Y-%m-%d %H:%M %Z"), parsed.rrule


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow at 9am", "2026-01-15 09:00"),
        ("tomorrow 9", "2026-01-15 09:00"),
        ("in 20 minutes", "2026-01-14 10:50"),
        ("in an hour and 30 minutes", "2026-01-14 12:00"),
        ("in 3 days at 5pm", "2026-01-17 17:00"),
        ("Friday at 11", "2026-01-16 11:00"),  # dateparser alone read this as 2027
        ("friday next week", "2026-01-23 09:00"),
        ("at 8am", "2026-01-15 08:00"),  # passed today: tomorrow
        ("at 3", "2026-01-14 15:00"),
        ("tonight", "2026-01-14 20:00"),
        ("3 March at 2pm", "2026-03-03 14:00"),
        ("March 3rd 2027 at 14:15", "2027-03-03 14:15"),
        ("2026-02-01 14:00", "2026-02-01 14:00"),
        ("29 February", "2028-02-29 09:00"),
        ("half past 4 tomorrow", "2026-01-15 16:30"),
        ("noon on Saturday", "2026-01-17 12:00"),
    ],
)
def test_one_off_times(text: str, expected: str) -> None:
    start, rule = at(text)
    assert start.startswith(expected) and rule is None


@pytest.mark.parametrize(
    ("text", "first", "rule"),
    [
        ("every weekday at 8", "2026-01-15 08:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("the first Monday of each month", "2026-02-02 09:00", "FREQ=MONTHLY;BYDAY=+1MO"),
        ("the last friday of every month at 4pm", "2026-01-30 16:00", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("every 2 weeks until March", "2026-01-15 09:00", "FREQ=WEEKLY;INTERVAL=2;UNTIL=20260228T235959"),
        ("every other Tuesday at 6pm", "2026-01-20 18:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("every Monday and Thursday at 7", "2026-01-15 07:00", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("every month on the 15th", "2026-01-15 09:00", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("every year on 3 March", "2026-03-03 09:00", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3"),
        ("daily at 6pm", "2026-01-14 18:00", "FREQ=DAILY"),
        ("every Monday 5 times", "2026-01-19 09:00", "FREQ=WEEKLY;BYDAY=MO;COUNT=5"),
        ("every 30 minutes", "2026-01-14 11:00", "FREQ=MINUTELY;INTERVAL=30"),
        # a span in the repeat's own unit counts its times; other spans bound it
        ("every day at 9pm for 5 days", "2026-01-14 21:00", "FREQ=DAILY;COUNT=5"),
        ("every Monday for three weeks", "2026-01-19 09:00", "FREQ=WEEKLY;BYDAY=MO;COUNT=3"),
        ("every Monday and Friday for 2 weeks", "2026-01-16 09:00", "FREQ=WEEKLY;BYDAY=MO,FR;UNTIL=20260128T103000"),  # noqa: E501
    ],
)
def test_recurrences(text: str, first: str, rule: str) -> None:
    start, got = at(text)
    assert start.startswith(first) and got == rule


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("30 February", "invalid_date"),
        ("31 April 2026", "invalid_date"),
        ("next Friday", "ambiguous"),  # said on a Wednesday: the 16th or the 23rd?
        ("yesterday at 5", "past"),
        ("today at 8am", "past"),
        ("1 March 2020", "past"),
        ("every second", "too_frequent"),
        ("every minute", "too_frequent"),
        ("every 5 minutes", "too_frequent"),
        ("every month on the 31st", "ambiguous"),
        ("every year on 30 February", "invalid_date"),
        ("every day until last week", "bad_end"),
        ("blah blah", "unparsed"),
        ("", "unparsed"),
    ],
)
def test_refused_or_clarified(text: str, kind: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_when(text, NOW)
    assert caught.value.kind == kind and caught.value.message


def test_next_friday_on_a_friday_is_a_week_away() -> None:
    # Said on a Friday, "this Friday" is today: "next Friday" is the one in 7 days (as 下周五).
    friday = datetime(2026, 1, 16, 8, 0, tzinfo=LONDON)
    assert parse_when("next Friday at 10", friday).local.isoformat() == "2026-01-23T10:00:00"


def test_next_friday_said_on_wednesday_offers_both_dates() -> None:
    wednesday = datetime(2026, 1, 14, 8, 0, tzinfo=LONDON)
    with pytest.raises(TimeParseError) as caught:
        parse_when("next Friday at 10", wednesday)
    options = [o.date().isoformat() for o in caught.value.options]
    assert options == ["2026-01-16", "2026-01-23"]


def test_next_monday_said_on_wednesday_is_clear() -> None:
    assert at("next Monday at 10")[0].startswith("2026-01-19 10:00")


@pytest.mark.parametrize(
    ("text", "zone", "local"),
    [
        ("tomorrow at 9am EST", "America/New_York", "2026-01-15 09:00"),
        ("tomorrow at 10:00 America/New_York", "America/New_York", "2026-01-15 10:00"),
        ("3pm Tokyo time tomorrow", "Asia/Tokyo", "2026-01-15 15:00"),
    ],
)
def test_time_zones(text: str, zone: str, local: str) -> None:
    parsed = parse_when(text, NOW)
    assert parsed.tz == zone and parsed.start.strftime("%Y-%m-%d %H:%M") == local


def test_default_zone_is_the_users() -> None:
    parsed = parse_when("tomorrow at 9am", NOW, "America/New_York")
    assert parsed.tz == "America/New_York" and parsed.start.hour == 9


def test_time_in_the_spring_forward_gap_moves_forward_and_says_so() -> None:
    before = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    parsed = parse_when("tomorrow at 1:30am", before)
    assert parsed.start.strftime("%H:%M %Z") == "02:30 BST" and "clocks go forward" in parsed.note


@given(st.integers(min_value=1, max_value=5000))
def test_relative_minutes_are_exact(minutes: int) -> None:
    parsed = parse_when(f"in {minutes} minutes", NOW)
    assert parsed.start - NOW == timedelta(minutes=minutes)


@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=31),
    st.integers(min_value=2027, max_value=2030),
)
def test_dates_exist_or_are_refused_never_shifted(month: int, day: int, year: int) -> None:
    text = f"{day} {calendar.month_name[month]} {year} at 10am"
    if day <= calendar.monthrange(year, month)[1]:
        parsed = parse_when(text, NOW)
        assert (parsed.start.year, parsed.start.month, parsed.start.day) == (year, month, day)
    else:
        with pytest.raises(TimeParseError) as caught:
            parse_when(text, NOW)
        assert caught.value.kind == "invalid_date"


@given(
    st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]),
    st.integers(min_value=0, max_value=23),
)
def test_plain_weekday_is_within_a_week_and_in_the_future(day: str, hour: int) -> None:
    parsed = parse_when(f"{day} at {hour}:00", NOW)
    assert NOW < parsed.start <= NOW + timedelta(days=7)
    assert parsed.start.strftime("%A").lower() == day
