"""Questions back and refusals, in English and Chinese, for times that cannot be saved as said."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from assistant.scheduler.parse import TimeParseError
from assistant.understand.when_describe import en_day, zh_day
from assistant.understand.when_types import Span, WhenProblem

Spans = tuple[Span, ...]


def impossible_date(year: int | None, month: int, day: int, spans: Spans) -> WhenProblem:
    if not 1 <= month <= 12:
        return WhenProblem(
            "impossible_date",
            spans,
            f"There is no month {month}. Which date did you mean?",
            f"没有{month}月。你指的是哪一天？",
        )
    last = calendar.monthrange(year or 2025, month)[1]
    name = calendar.month_name[month]
    if month == 2 and year is None and 29 < day <= 31:
        return WhenProblem(
            "impossible_date",
            spans,
            "February has at most 29 days. Did you mean the last day of February or 1 March?",
            "2月最多只有29天。你是指2月的最后一天还是3月1日？",
        )
    if day < 1 or day > 31:
        return WhenProblem(
            "impossible_date",
            spans,
            f"{name} has {last} days, so there is no day {day}. Which date did you mean?",
            f"{month}月只有{last}天，没有{day}日。你指的是哪一天？",
        )
    after = (month % 12) + 1
    in_year = f" {year}" if year and month == 2 else ""
    zh_year = f"{year}年" if year and month == 2 else ""
    return WhenProblem(
        "impossible_date",
        spans,
        f"{name}{in_year} has {last} days. Did you mean {last} {name} or 1 {calendar.month_name[after]}?",
        f"{zh_year}{month}月只有{last}天。你是指{month}月{last}日还是{after}月1日？",
    )


def bad_clock(hour: int, minute: int, spans: Spans) -> WhenProblem:
    return WhenProblem(
        "impossible_date",
        spans,
        f"{hour}:{minute:02d} is not a time of day. What time did you mean?",
        f"没有{hour}点{minute:02d}分这个时间。你指的是几点？",
    )


def past(moment: datetime, spans: Spans, now: datetime) -> WhenProblem:
    with_year = moment.year != now.year
    clock = f"{moment:%H:%M}"
    en = f"{en_day(moment.date(), with_year)} at {clock} has already passed."
    zh = f"{zh_day(moment.date(), with_year)}{clock} 已经过去了。"
    if moment.date() == now.date():
        later = moment + timedelta(days=1)
        return WhenProblem(
            "past", spans, en + f" Did you mean tomorrow at {clock}?", zh + f"是指明天 {later:%H:%M} 吗？"
        )
    return WhenProblem("past", spans, en + " When should it be?", zh + "要改到什么时候？")


def monthday(day: int, spans: Spans) -> WhenProblem:
    return WhenProblem(
        "ambiguous",
        spans,
        f'Not every month has a day {day}. Should it be "the last day of each month", or a day from 1 to 28?',
        f"不是每个月都有{day}号。要改成“每月最后一天”，还是选1到28号中的一天？",
    )


def what_time_today(spans: Spans) -> WhenProblem:
    return WhenProblem("ambiguous", spans, "What time today?", "今天几点？")


def too_frequent(spans: Spans) -> WhenProblem:
    return WhenProblem(
        "too_frequent",
        spans,
        "That would fire more often than every 15 minutes, so I won't set it. Choose a longer interval.",
        "这样提醒太频繁了（比每15分钟一次还密），我不会这样设置。请选一个更长的间隔。",
    )


def bad_end(spans: Spans) -> WhenProblem:
    return WhenProblem(
        "impossible_date",
        spans,
        "The repeat would end before it first happens, or its end is unclear. When should it stop?",
        "这个时间不成立：" + _zh_reason("bad_end"),
    )


def which_of(options: tuple[datetime, ...], said: str, spans: Spans, now: datetime) -> WhenProblem:
    en = " or ".join(f"{en_day(o.date(), o.year != now.year)}" for o in options)
    zh = "还是".join(zh_day(o.date(), o.year != now.year) for o in options)
    return WhenProblem("ambiguous", spans, f'"{said}" could mean {en}: which one?', f"“{said}”是指{zh}？")


def from_error(exc: TimeParseError, spans: Spans, now: datetime) -> WhenProblem | None:
    """A problem worded in both languages from the scheduler's error; None: no time read."""
    detail = exc.detail
    if exc.kind == "invalid_date" and "month" in detail:
        year = detail.get("year")
        return impossible_date(year, detail["month"], detail["day"], spans)
    moment = detail.get("moment")
    if exc.kind == "past" and moment is not None:
        return past(moment, spans, now)
    if exc.kind == "ambiguous" and exc.options:
        return which_of(exc.options, str(detail.get("name", "")), spans, now)
    if exc.kind == "ambiguous" and "monthday" in detail:
        return monthday(detail["monthday"], spans)
    if exc.kind == "too_frequent":
        return too_frequent(spans)
    if exc.kind in ("invalid_date", "bad_end", "past"):
        kind = "past" if exc.kind == "past" else "impossible_date"
        return WhenProblem(kind, spans, exc.message, "这个时间不成立：" + _zh_reason(exc.kind))
    return None


def _zh_reason(kind: str) -> str:
    return {
        "bad_end": "重复的结束时间不对（早于第一次，或说不清）。请换一种说法。",
        "past": "它已经过去了。要改到什么时候？",
    }.get(kind, "没有这个日期或时间。你指的是哪一天、几点？")
