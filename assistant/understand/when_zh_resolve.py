"""Chinese slots -> a time, with the scheduler's rules (09:00 default, the bare-hour guess,
recurrences through ``recur.first_occurrence``), or a problem to ask back."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from assistant.scheduler.parse import DEFAULT_TIME, localize
from assistant.scheduler.single import _guess_pm, next_of_bare_hour
from assistant.understand import when_problems as problems
from assistant.understand.when_types import When, WhenProblem, outer
from assistant.understand.when_zh import LATER, ZONES, Piece, Slots, number, slots
from assistant.understand.when_zh_days import Problem, named_day, offset
from assistant.understand.when_zh_rules import recurrence

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


def find(text: str, now: datetime) -> When | WhenProblem | None:
    """The time a Chinese sentence names (``now`` aware, in the user's zone), a problem to ask
    back, or None when it names no time."""
    found = slots(text)
    if not set(found.pieces) - {"until", "count", "zone", "shift"}:
        return None
    named = found.pieces.get("zone")
    if named is None:
        return resolve(found, now)
    # Read the time where it was named; a one-off is kept in the user's zone, a repeat in the
    # named one (its wall time stays put across that zone's DST changes).
    there = resolve(found, now.astimezone(ZoneInfo(ZONES[named.group("z") or ""])))
    if isinstance(there, When) and there.rrule is None:
        return replace(there, start=there.start.astimezone(now.tzinfo))
    return there



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
        moved = _moved(start, found)  # "每天8点吃药，提前10分钟提醒我": each time, 10 minutes ahead
        start = moved if moved.date() == start.date() and moved > local else start
        return _when(start, rule, found, now, clock is not None)
    rel = found.pieces.get("rel")
    if rel is not None and rel.group("u") in ("分钟", "分鐘", "刻钟", "刻鐘", "分", "小时", "小時", "钟头"):
        moment = (local + offset(rel)).replace(second=0, microsecond=0)
        return _when(moment, None, found, now, True)
    day, explicit = named_day(found, local, clock, spans)
    if day is None and clock is None:
        return None
    if rel is not None and clock is None:
        return _when(_moved(local + offset(rel), found), None, found, now, True)
    hm = clock or DEFAULT_TIME
    if day is None:
        day = local.date() + timedelta(days=shift)
        if datetime.combine(day, time(*hm)) <= local:
            hm, day, _ = next_of_bare_hour(local, hm, bare_clock(found))
    else:
        day += timedelta(days=shift)
        if day == local.date() and datetime.combine(day, time(*hm)) <= local:
            hm = next_of_bare_hour(local, hm, bare_clock(found))[0]  # 今天八点 said at 15:00: 20:00
    moment = _moved(datetime.combine(day, time(*hm)), found)
    if moment <= local and explicit:
        if not _clock_given(found) and day == local.date():
            raise Problem(problems.what_time_today(spans))
        raise Problem(problems.past(moment, spans, local))
    return _when(moment, None, found, now, _clock_given(found))


def _moved(moment: datetime, found: Slots) -> datetime:
    """The time named, moved by "往后推一个小时" / "提前一天" when the words say so."""
    piece = found.pieces.get("shift")
    if piece is None:
        return moment
    later = re.fullmatch(LATER, piece.group("dir") or "") is not None
    return moment + offset(piece) if later else moment - offset(piece)


def bare_clock(found: Slots) -> bool:
    """A clock hour with no part of the day and no 24-hour form: "八点" (the scheduler's rule
    for a passed one then applies, as to the English "at 8")."""
    piece = found.pieces.get("clock")
    return piece is not None and "part" not in found.pieces and not _read_clock(piece)[2]


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
