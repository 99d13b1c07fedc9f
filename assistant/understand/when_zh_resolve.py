"""Chinese slots -> a time, with the scheduler's rules (09:00 default, the bare-hour guess,
recurrences through ``recur.first_occurrence``), or a problem to ask back."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from assistant.scheduler.parse import DEFAULT_TIME, localize
from assistant.scheduler.single import _guess_pm
from assistant.understand import when_problems as problems
from assistant.understand.when_problems import Spans
from assistant.understand.when_types import When, WhenProblem, outer
from assistant.understand.when_zh import Piece, Slots, number
from assistant.understand.when_zh_rules import recurrence

ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
DAYWORDS = {"今天": 0, "今日": 0, "今儿": 0, "今早": 0, "今晚": 0, "明天": 1, "明日": 1, "明儿": 1, "明早": 1,
            "明晚": 1, "后天": 2, "大后天": 3, "昨天": -1, "昨晚": -1}  # fmt: skip
#: A part of the day named without a clock time; English "morning" is 09:00, "tonight" 20:00.
PART_DEFAULT = {
    **dict.fromkeys(("早上", "早晨", "上午", "今早", "明早"), (9, 0)),
    **dict.fromkeys(("午后", "下午"), (15, 0)),
    **dict.fromkeys(("晚上", "晚间"), (19, 0)),
    **dict.fromkeys(("今晚", "明晚", "昨晚"), (20, 0)),
    **dict.fromkeys(("夜里", "夜间"), (21, 0)),
    **dict.fromkeys(("半夜", "深夜"), (23, 0)),
    "凌晨": (6, 0),
    "清晨": (7, 0),
    "中午": (12, 0),
    "傍晚": (18, 0),
}
EVENING = {"晚上", "晚间", "夜里", "夜间", "今晚", "明晚", "昨晚"}


class Problem(Exception):
    def __init__(self, problem: WhenProblem) -> None:
        super().__init__(problem.message_en)
        self.problem = problem


def resolve(found: Slots, now: datetime) -> When | WhenProblem | None:
    try:
        return _resolve(found, now)
    except Problem as exc:
        return exc.problem
    except ValueError:  # a malformed numeral ("〇十号"): no time we can read
        return None


def _resolve(found: Slots, now: datetime) -> When | None:
    spans = found.spans()
    local = now.replace(tzinfo=None)
    clock, shift = _clock(found, spans)
    if "recur" in found.pieces:
        start, rule = recurrence(found, local, clock, spans)
        return _when(start, rule, found, now, clock is not None)
    rel = found.pieces.get("rel")
    if rel is not None and rel.group("u") in ("分钟", "分鐘", "刻钟", "刻鐘", "分", "小时", "小時", "钟头"):
        moment = (local + _delta(rel)).replace(second=0, microsecond=0)
        return _when(moment, None, found, now, True)
    day, explicit = _day(found, local, clock, spans)
    if day is None and clock is None:
        return None
    if rel is not None and clock is None:
        return _when(local + _delta(rel), None, found, now, True)
    hm = clock or DEFAULT_TIME
    if day is None:
        day = local.date() + timedelta(days=shift)
        if datetime.combine(day, time(*hm)) <= local:
            day += timedelta(days=1)
    else:
        day += timedelta(days=shift)
    moment = datetime.combine(day, time(*hm))
    if moment <= local and explicit:
        if not _clock_given(found) and day == local.date():
            raise Problem(problems.what_time_today(spans))
        raise Problem(problems.past(moment, spans, local))
    return _when(moment, None, found, now, _clock_given(found))


def _when(moment: datetime, rule: str | None, found: Slots, now: datetime, given: bool) -> When:
    zone = now.tzinfo
    aware, _ = localize(moment, zone) if isinstance(zone, ZoneInfo) else (moment.replace(tzinfo=zone), False)
    spans = found.spans()
    return When(aware, rule, outer(spans), spans, given)


def _clock_given(found: Slots) -> bool:
    return "clock" in found.pieces


def _clock(found: Slots, spans: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int] | None, int]:
    """(hour, minute) or None, and a day shift (晚上十二点 is midnight, the next day)."""
    piece, part = found.pieces.get("clock"), found.pieces.get("part")
    day_piece = found.pieces.get("day")
    part_word = part.match.group(0) if part else None
    if part_word is None and day_piece is not None and day_piece.match.group(0) in PART_DEFAULT:
        part_word = day_piece.match.group(0)  # 今晚, 明早
    recur = found.pieces.get("recur")
    if part_word is None and recur is not None and recur.group("night"):
        part_word = "晚上"  # 每晚
    if piece is None:
        return (PART_DEFAULT[part_word] if part_word else None), 0
    hour, minute, explicit = _read_clock(piece)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise Problem(problems.bad_clock(hour, minute, spans))
    if hour == 24:
        return (0, minute), 1
    if part_word is not None:
        return _with_part(hour, minute, part_word)
    if not explicit:
        hour = _guess_pm(hour, "")
    return (hour, minute), 0


def _read_clock(piece: Piece) -> tuple[int, int, bool]:
    """Hour, minute, and whether the hour needs no guess (24-hour form, am/pm)."""
    hour = number(piece.group("h") or "0")
    if piece.kind == "ampm":
        minute = int(piece.group("m") or 0)
        if hour > 12:
            return hour, minute, True
        return hour % 12 + (12 if (piece.group("ap") or "").lower() == "p" else 0), minute, True
    if piece.kind == "hhmm":
        return hour, int(piece.group("m") or 0), hour > 12 or (piece.group("h") or "").startswith("0")
    minute = 30 if piece.group("half") else 0
    quarter = piece.group("q")
    if quarter:
        minute = 45 if quarter[0] in "三3" else 15
    if piece.group("m"):
        minute = number(piece.group("m") or "0")
    return hour, minute, hour > 12 or hour == 0


def _with_part(hour: int, minute: int, part: str) -> tuple[tuple[int, int], int]:
    if hour >= 13:
        return (hour, minute), 0
    if part in ("凌晨",):
        return (hour % 12, minute), 0
    if part in ("半夜", "深夜") or part in EVENING:
        if hour == 12 or hour <= 4:
            return (hour % 12, minute), 1  # 晚上十二点, 半夜两点: after midnight
        return (hour + 12, minute), 0
    if part in ("中午",):
        return (hour + 12 if hour <= 4 else hour, minute), 0
    if part in ("午后", "下午", "傍晚"):
        return (hour + 12 if hour < 12 else hour, minute), 0
    return (hour, minute), 0  # 早上, 上午: as said


def _delta(rel: Piece) -> timedelta | relativedelta:
    amount_text = rel.group("n") or "1"
    amount = 0.5 if amount_text == "半" else float(number(amount_text))
    if rel.group("half"):
        amount += 0.5
    unit = rel.group("u") or ""
    if unit in ("分钟", "分鐘", "分"):
        return timedelta(minutes=amount)
    if unit in ("刻钟", "刻鐘"):  # 一刻钟: a quarter of an hour
        return timedelta(minutes=15 * amount)
    if unit in ("小时", "小時", "钟头"):
        return timedelta(hours=amount)
    if unit in ("天", "日"):
        return timedelta(days=amount)
    if unit in ("周", "星期", "礼拜"):
        return timedelta(weeks=amount)
    return relativedelta(months=int(amount))


def _day(
    found: Slots, now: datetime, clock: tuple[int, int] | None, spans: Spans
) -> tuple[date | None, bool]:
    """The day named, and whether it was named outright (a past one is then refused)."""
    rel, piece = found.pieces.get("rel"), found.pieces.get("day")
    today = now.date()
    if rel is not None:
        return (now + _delta(rel)).date(), True
    if piece is None:
        return None, False
    text = piece.match.group(0)
    if piece.kind == "dayword":
        return today + timedelta(days=DAYWORDS[text]), True
    if piece.kind == "week":
        return _week_day(piece, now, clock)
    if piece.kind == "day_of_month":
        return _day_of_month(piece, today, spans), True
    return _date(piece, today, spans), True


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


def _date(piece: Piece, today: date, spans: Spans) -> date:
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
