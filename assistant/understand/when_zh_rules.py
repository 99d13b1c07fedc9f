"""Chinese repeats -> an RRULE and its first time, built like ``scheduler.recur`` builds them
(same part order, same 15-minute floor, same refusal of a monthly day 29-31)."""

from __future__ import annotations

import calendar
from datetime import datetime, time, timedelta

from assistant.scheduler.parse import DEFAULT_TIME, TimeParseError, check_date
from assistant.scheduler.recur import CODES, MIN_INTERVAL, first_occurrence
from assistant.understand import when_problems as problems
from assistant.understand.when_types import Span
from assistant.understand.when_zh import HOLIDAYS, Piece, Slots, number
from assistant.understand.when_zh_days import Problem, calendar_date, named_day, offset

ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
ORDINAL = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _interval(piece: Piece) -> int:
    """每两周 = 2; 每隔一周 / 隔周 = every other week (2); 每隔两天 = 3 (two days between)."""
    said = piece.group("n")
    amount = number(said) if said else 1
    every = piece.group("every") or "每"
    if every == "隔":
        return 2
    return amount + 1 if every == "每隔" else amount


def pattern(piece: Piece, spans: tuple[Span, ...]) -> tuple[str, int, dict[str, str]]:
    kind = piece.kind
    if kind == "too_often":
        raise Problem(problems.too_frequent(spans))
    if kind == "every_unit":
        said = piece.group("n")
        amount = number(said) if said else 1
        minutes = amount * (1 if (piece.group("u") or "").startswith("分") else 60)
        if timedelta(minutes=minutes) < MIN_INTERVAL:
            raise Problem(problems.too_frequent(spans))
        if (piece.group("u") or "").startswith("分"):  # as in English: every 60 minutes is MINUTELY
            return "MINUTELY", minutes, {}
        return "HOURLY", amount, {}
    if kind == "workdays":
        return "WEEKLY", 1, {"BYDAY": "MO,TU,WE,TH,FR"}
    if kind == "weekly":
        days = sorted({ZH_DAYS[c] for c in (piece.group("days") or "") if c in ZH_DAYS})
        days = [5, 6] if piece.group("weekend") else days  # 每周末: Saturday and Sunday, as in English
        return "WEEKLY", _interval(piece), ({"BYDAY": ",".join(CODES[d] for d in days)} if days else {})
    if kind == "daily":
        return "DAILY", 1 if piece.group("night") else _interval(piece), {}
    if kind == "month_last":
        return "MONTHLY", 1, {"BYMONTHDAY": "-1"}
    if kind == "month_nth":
        nth = -1 if piece.group("last") else ORDINAL[piece.group("o") or "1"]
        return "MONTHLY", 1, {"BYDAY": f"{nth:+d}{CODES[ZH_DAYS[piece.group('d') or '一']]}"}
    if kind == "month_day":
        day = number(piece.group("d") or "0")
        if not 1 <= day <= 31:
            raise Problem(problems.impossible_date(None, 1, day, spans))
        if day > 28:  # RFC 5545 skips the months without it: ask, as recur.py does
            raise Problem(problems.monthday(day, spans))
        return "MONTHLY", 1, {"BYMONTHDAY": str(day)}
    if kind == "monthly":
        return "MONTHLY", 1, {}
    if piece.group("hol"):  # 每年元旦
        month, day = HOLIDAYS[piece.group("hol") or ""]
        return "YEARLY", 1, {"BYMONTH": str(month), "BYMONTHDAY": str(day)}
    if piece.group("m"):
        month, day = number(piece.group("m") or "0"), number(piece.group("d") or "0")
        try:
            check_date(2024, month, day)  # a leap year: 29 February repeats, 30 February never
        except TimeParseError:
            raise Problem(problems.impossible_date(None, month, day, spans)) from None
        return "YEARLY", 1, {"BYMONTH": str(month), "BYMONTHDAY": str(day)}
    return "YEARLY", 1, {}


def recurrence(
    found: Slots, now: datetime, clock: tuple[int, int] | None, spans: tuple[Span, ...]
) -> tuple[datetime, str]:
    """(first local wall time, RRULE) of the repeat in ``found``, said at local ``now``."""
    freq, interval, by = pattern(found.pieces["recur"], spans)
    begin = now
    day = found.pieces.get("day")
    if day is not None:  # 从下周一开始每天…: the repeat starts that day
        start_day, _ = named_day(found, now, clock, spans)
        if start_day is not None:
            begin = max(now, datetime.combine(start_day, time(0, 0)))
    if freq in ("MINUTELY", "HOURLY"):
        step = timedelta(minutes=interval) if freq == "MINUTELY" else timedelta(hours=interval)
        first = (begin + step).replace(second=0, microsecond=0)
    else:
        first = first_occurrence(freq, by, begin, clock or DEFAULT_TIME)
    rule = f"FREQ={freq}" + (f";INTERVAL={interval}" if interval > 1 else "")
    rule += "".join(f";{k}={v}" for k, v in by.items())
    return first, rule + _end(found, now, first, spans)


def _end(found: Slots, now: datetime, first: datetime, spans: tuple[Span, ...]) -> str:
    text = ""
    until = found.pieces.get("until")
    if until is not None:
        last = _last_moment(until, now, first, spans)
        if last < first:
            raise Problem(problems.bad_end(spans))
        text += f";UNTIL={last:%Y%m%dT%H%M%S}"
    count = found.pieces.get("count")
    if count is not None and not 1 <= number(count.group("n") or "1") <= 10000:
        raise Problem(problems.bad_end(spans))
    if count is not None:
        text += f";COUNT={number(count.group('n') or '1')}"
    return text


def _last_moment(until: Piece, now: datetime, first: datetime, spans: tuple[Span, ...]) -> datetime:
    """The repeat's last moment: the end of the day named (直到3月31日), of a month (直到三月底,
    月底, 下个月底) or of the year (年底); "持续两周" ends that long after now, as "for 2 weeks"."""
    if until.kind == "for":
        return (now + offset(until)).replace(microsecond=0)
    end_of = until.group("um") or until.group("ur")
    if end_of is None:
        return datetime.combine(calendar_date(until, first.date(), spans), time(23, 59, 59))
    year = number(until.group("y") or str(now.year))
    year += 2000 if year < 100 else 0
    if until.group("ur") in ("今年", "年"):
        month = 12
    elif until.group("ur") is not None:
        month = now.month + (1 if "下" in (until.group("ur") or "") else 0)
        year, month = (year + 1, 1) if month == 13 else (year, month)
    else:
        month = number(end_of)
        if not 1 <= month <= 12:
            raise Problem(problems.impossible_date(None, month, 1, spans))
        if not until.group("y") and month < first.month and year == first.year:
            year += 1  # 三月底 said in May: next March
    return datetime(year, month, calendar.monthrange(year, month)[1], 23, 59, 59)
