"""Chinese days and offsets -> dates, with the scheduler's rules: what a one-off time and a
repeat's start and end are both made of (``when_zh_resolve`` and ``when_zh_rules`` use it)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from assistant.scheduler.parse import DEFAULT_TIME
from assistant.understand import when_problems as problems
from assistant.understand.when_problems import Spans
from assistant.understand.when_types import WhenProblem
from assistant.understand.when_zh import HOLIDAYS, Piece, Slots, number

ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
DAYWORDS = {"今天": 0, "今日": 0, "今儿": 0, "今早": 0, "今晚": 0, "明天": 1, "明日": 1, "明儿": 1, "明早": 1,
            "明晚": 1, "后天": 2, "大后天": 3, "昨天": -1, "昨晚": -1}  # fmt: skip


class Problem(Exception):
    """A time the Chinese reader must ask back about: raised while resolving, then returned."""

    def __init__(self, problem: WhenProblem) -> None:
        super().__init__(problem.message_en)
        self.problem = problem


def offset(rel: Piece) -> timedelta | relativedelta:
    """过两天, 半小时后, 持续两周: how far from now."""
    amount_text = rel.group("n") or "1"
    amount = 0.5 if amount_text == "半" else float(number(amount_text))
    if rel.group("half"):
        amount += 0.5
    unit = rel.group("u") or ""
    if unit in ("分钟", "分鐘", "分"):
        return timedelta(minutes=amount)
    if unit in ("刻钟", "刻鐘", "刻"):  # 一刻钟: a quarter of an hour
        return timedelta(minutes=15 * amount)
    if unit in ("小时", "小時", "钟头"):
        return timedelta(hours=amount)
    if unit in ("天", "日"):
        return timedelta(days=amount)
    if unit in ("周", "星期", "礼拜"):
        return timedelta(weeks=amount)
    return relativedelta(months=int(amount))


def named_day(
    found: Slots, now: datetime, clock: tuple[int, int] | None, spans: Spans
) -> tuple[date | None, bool]:
    """The day named, and whether it was named outright (a past one is then refused)."""
    rel, piece = found.pieces.get("rel"), found.pieces.get("day")
    today = now.date()
    if rel is not None:
        return (now + offset(rel)).date(), True
    if piece is None:
        return None, False
    text = piece.match.group(0)
    if piece.kind == "dayword":
        return today + timedelta(days=DAYWORDS[text]), True
    if piece.kind == "week":
        return _week_day(piece, now, clock)
    if piece.kind == "day_of_month":
        return _day_of_month(piece, today, spans), True
    if piece.kind == "holiday":
        return _holiday(piece, today, spans), True
    if piece.kind == "month_end":
        year, month = today.year, today.month
        if "下" in (piece.group("mq") or ""):
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return date(year, month, calendar.monthrange(year, month)[1]), True
    return calendar_date(piece, today, spans), True


def _week_day(piece: Piece, now: datetime, clock: tuple[int, int] | None) -> tuple[date, bool]:
    today = now.date()
    target = ZH_WEEKDAY[piece.group("d") or "一"]
    qualifier = (piece.group("q") or "").replace("个", "")
    monday = today - timedelta(days=today.weekday())
    weeks = {"": None, "这": 0, "本": 0, "下": 1, "下下": 2, "上": -1}[qualifier]
    if weeks is not None:
        return monday + timedelta(days=7 * weeks + target), True
    ahead = (target - today.weekday()) % 7
    if ahead == 0 and datetime.combine(today, time(*(clock or DEFAULT_TIME))) <= now:
        ahead = 7
    return today + timedelta(days=ahead), False


def _day_of_month(piece: Piece, today: date, spans: Spans) -> date:
    day = number(piece.group("d") or "0")
    qualifier = piece.group("mq") or ""
    year, month = today.year, today.month
    if "下" in qualifier or (not qualifier and day < today.day):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _checked(year, month, day, spans)


def _holiday(piece: Piece, today: date, spans: Spans) -> date:
    """元旦 -> the next 1 January (today counts); 明年元旦, 去年圣诞: that year's."""
    month, day = HOLIDAYS[piece.group("hol") or ""]
    said = piece.group("y")
    if said:
        return _checked(today.year + {"今": 0, "明": 1, "后": 2, "去": -1}[said], month, day, spans)
    return _checked(today.year + (date(today.year, month, day) < today), month, day, spans)


def calendar_date(piece: Piece, today: date, spans: Spans) -> date:
    month, day = number(piece.group("m") or "0"), number(piece.group("d") or "0")
    year_text = piece.group("y")
    if year_text:
        offsets = {"今": 0, "明": 1, "后": 2, "去": -1}
        year = today.year + offsets[year_text] if year_text in offsets else number(year_text)
        return _checked(year + 2000 if year < 100 else year, month, day, spans)
    if not 1 <= month <= 12 or not 1 <= day <= 31 or (month, day) in ((2, 30), (2, 31)):
        raise Problem(problems.impossible_date(None, month, day, spans))
    for year in range(today.year, today.year + 9):  # the next time this date comes round
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
    raise Problem(problems.impossible_date(today.year, month, day, spans))


def _checked(year: int, month: int, day: int, spans: Spans) -> date:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise Problem(problems.impossible_date(year, month, day, spans))
    return date(year, month, day)
