"""Properties of find_when: describe -> find gives back the same time and rule, in English and
in Chinese; huge or odd input costs bounded work."""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.understand import when_en, when_zh
from assistant.understand.when import When, describe_when, find_when

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


@st.composite
def one_off(draw: st.DrawFn) -> tuple[str, datetime]:
    now = draw(NOWS)
    moment = now + timedelta(minutes=draw(st.integers(min_value=1, max_value=3 * 365 * 24 * 60)))
    hm = f"{moment:%H:%M}"
    texts = [
        f"remind me on {moment.day} {calendar.month_name[moment.month]} {moment.year} at {hm} to call Li Wei",
        f"{moment.year}年{moment.month}月{moment.day}日{hm}提醒我给李伟打电话",
        f"in {(moment - now) // timedelta(minutes=1)} minutes",
        f"{(moment - now) // timedelta(minutes=1)}分钟后提醒我",
    ]
    return draw(st.sampled_from(texts)), now


@st.composite
def repeating(draw: st.DrawFn) -> tuple[str, datetime]:
    now = draw(NOWS)
    h, m = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    hm = f"{h:02d}:{m:02d}"
    days = sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=4)))
    day = draw(st.integers(0, 6))
    monthday = draw(st.integers(1, 28))
    month = draw(st.integers(1, 12))
    yearday = draw(st.integers(1, calendar.monthrange(2024, month)[1]))
    nth = draw(st.sampled_from([1, 2, 3, 4, -1]))
    en_days = " and ".join(calendar.day_name[d] for d in days)
    zh_days = "、".join(f"周{ZH_DAYS[d]}" for d in days)
    nth_en = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}[nth]
    nth_zh = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", -1: "最后一个"}[nth]
    texts = [
        f"every day at {hm}", f"每天{hm}", f"every weekday at {hm}", f"每个工作日{hm}",
        f"every {en_days} at {hm}", f"每{zh_days} {hm}", f"every other {calendar.day_name[day]} at {hm}",
        f"每隔一周的周{ZH_DAYS[day]} {hm}", f"every month on the {monthday}th at {hm}",
        f"每月{monthday}号 {hm}",
        f"on the last day of every month at {hm}", f"每月最后一天 {hm}",
        f"the {nth_en} {calendar.day_name[day]} of every month at {hm}", f"每月{nth_zh}周{ZH_DAYS[day]} {hm}",
        f"every year on {yearday} {calendar.month_name[month]} at {hm}", f"每年{month}月{yearday}日 {hm}",
        f"every {draw(st.integers(15, 300))} minutes", f"每{draw(st.integers(1, 12))}小时",
    ]  # fmt: skip
    return draw(st.sampled_from(texts)), now


def _round_trip(text: str, now: datetime) -> None:
    first = find_when(text, now)
    if not isinstance(first, When):
        return  # e.g. a DST gap or a past time; the refusals have their own tests
    for language in ("en", "zh"):
        said = describe_when(first, language, now)
        again = find_when(said, now)
        assert isinstance(again, When), (text, said, again)
        assert (again.start, again.rrule) == (first.start, first.rrule), (text, said)


@settings(max_examples=300, deadline=None)
@given(one_off())
def test_one_off_times_round_trip_in_both_languages(case: tuple[str, datetime]) -> None:
    _round_trip(*case)


@settings(max_examples=300, deadline=None)
@given(repeating())
def test_repeats_round_trip_in_both_languages(case: tuple[str, datetime]) -> None:
    _round_trip(*case)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), NOWS)
def test_any_text_gives_a_time_a_problem_or_none(text: str, now: datetime) -> None:
    result = find_when(text, now)
    if isinstance(result, When):
        assert result.start.tzinfo is not None and result.spans
        assert all(0 <= a < b <= len(text) for a, b in result.spans)


def test_patterns_have_no_unbounded_repeats() -> None:
    """Every Chinese pattern and the English tokenizer repeat only a bounded number of times,
    so a match attempt at one position does bounded work: the scan is linear in the text."""
    sources = [p.pattern for _, p in when_zh.PATTERNS] + [when_en._TOKEN.pattern]
    for source in sources:
        assert not re.search(r"(?<!\\)[+*]", source), source


@pytest.mark.parametrize(
    "unit",
    [
        "明天下午三点 remind me at 5pm 🙂 ",
        "tomorrow at 9 on Sunday every day ",
        "每天早上八点后天3号 ",
        "a" * 997 + " ",
    ],
)
def test_a_100k_request_does_bounded_work(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"parse": 0, "slots": 0}
    real_parse, real_slots = when_en.parse_when, when_en.slots

    def counted_parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["parse"] += 1
        return real_parse(*args, **kwargs)

    def counted_slots(text: str) -> set[str]:
        calls["slots"] += 1
        return real_slots(text)

    monkeypatch.setattr(when_en, "parse_when", counted_parse)
    monkeypatch.setattr(when_en, "slots", counted_slots)
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    now = datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    find_when(text, now)
    english_only = text.replace("明天下午三点", "").replace("每天早上八点后天3号", "")
    find_when(english_only, now)
    # Each parse reads one run of at most MAX_RUN tokens; their number does not grow with the text.
    assert calls["parse"] <= 2 * (2 + 2 * when_en.MAX_CANDIDATES)
    assert calls["slots"] <= 2 * 4 * when_en.MAX_CANDIDATES


_ZH_TIME_CHARS = list(
    "零〇一二两三四五六七八九十百千0123456789点半刻分钟小时后"
    "天周星期礼拜号日月年每隔个工作最后底上下午晚早凌晨中今明大这本:： "
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ZH_TIME_CHARS), max_size=14))
def test_garbled_chinese_time_words_never_crash(text: str) -> None:
    """Malformed numerals ("〇十号", "十11号") are no time, not an exception."""
    now = datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    result = find_when(text, now)
    assert result is None or isinstance(result, When) or result.message_zh
