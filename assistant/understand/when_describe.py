"""A time as words, in English or Chinese, that ``find_when`` reads back to the same time.

"Thu 3 Dec at 19:30", "every month on the last day at 09:00"; "12月3日（周四）19:30",
"每月最后一天 09:00". The year is named only when it is not the current one.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

from assistant.understand.when_types import When

CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ZH_DAYS = "一二三四五六日"
EN_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
ZH_ORDINAL = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", -1: "最后一个"}
WEEKDAYS_ALL = "MO,TU,WE,TH,FR"


def en_day(day: date, with_year: bool) -> str:
    return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if with_year else "")


def zh_day(day: date, with_year: bool) -> str:
    text = f"{day.month}月{day.day}日（周{ZH_DAYS[day.weekday()]}）"
    return (f"{day.year}年" if with_year else "") + text


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe_when(when: When, language: str, now: datetime | None = None) -> str:
    """``language``: "en" or "zh" (anything starting with "zh"). ``now`` decides whether the
    year is said (default: the current time in the start's zone)."""
    zh = language.lower().startswith("zh")
    current = (now or datetime.now(when.start.tzinfo)).astimezone(when.start.tzinfo)
    clock = f"{when.start:%H:%M}"
    if when.rrule is None:
        with_year = when.start.year != current.year
        if zh:
            return f"{zh_day(when.start.date(), with_year)}{clock}"
        return f"{en_day(when.start.date(), with_year)} at {clock}"
    parts = dict(p.split("=", 1) for p in when.rrule.split(";"))
    text = _zh_rule(parts, clock) if zh else _en_rule(parts, clock)
    return text + (_zh_end(parts, current) if zh else _en_end(parts, current))


def _days(parts: dict[str, str]) -> list[int]:
    return [CODES.index(code[-2:]) for code in parts.get("BYDAY", "").split(",") if code]


def _en_rule(parts: dict[str, str], clock: str) -> str:
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    at = f" at {clock}"
    if freq in ("MINUTELY", "HOURLY"):
        unit = "minutes" if freq == "MINUTELY" else "hours"
        return f"every {interval} {unit}" if interval > 1 else f"every {unit[:-1]}"
    every = "every" if interval == 1 else ("every other" if interval == 2 else f"every {interval}")
    if freq == "DAILY":
        return f"{every} {'day' if interval <= 2 else 'days'}{at}"
    if freq == "WEEKLY":
        if parts.get("BYDAY") == WEEKDAYS_ALL and interval == 1:
            return f"every weekday{at}"
        names = [calendar.day_name[d] for d in _days(parts)]
        if not names:
            return f"{every} {'week' if interval <= 2 else 'weeks'}{at}"
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if interval > 2:
            return f"every {interval} weeks on {listed}{at}"
        return f"{every} {listed}{at}"
    if freq == "MONTHLY":
        if "BYDAY" in parts:
            code = parts["BYDAY"]
            name = calendar.day_name[CODES.index(code[-2:])]
            return f"the {EN_ORDINAL[int(code[:-2])]} {name} of every month{at}"
        if "BYMONTHDAY" not in parts:
            return f"every month{at}"
        day = int(parts["BYMONTHDAY"])
        on = "the last day" if day == -1 else f"the {ordinal(day)}"
        return f"every month on {on}{at}"
    if "BYMONTH" in parts:
        month = calendar.month_name[int(parts["BYMONTH"])]
        return f"every year on {int(parts['BYMONTHDAY'])} {month}{at}"
    return f"every year{at}"


def _zh_rule(parts: dict[str, str], clock: str) -> str:
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    if freq in ("MINUTELY", "HOURLY"):
        unit = "分钟" if freq == "MINUTELY" else "小时"
        return f"每{interval}{unit}" if interval > 1 else f"每{unit}"
    every = "每" if interval == 1 else ("每隔一" if interval == 2 else f"每{interval}")
    if freq == "DAILY":
        return f"{every}天 {clock}"
    if freq == "WEEKLY":
        if parts.get("BYDAY") == WEEKDAYS_ALL and interval == 1:
            return f"每个工作日 {clock}"
        days = "、".join(f"周{ZH_DAYS[d]}" for d in _days(parts))
        if not days:
            return f"{every}周 {clock}"
        if interval == 1:
            return f"每{days} {clock}"
        return f"{every}周的{days} {clock}"
    if freq == "MONTHLY":
        if "BYDAY" in parts:
            code = parts["BYDAY"]
            return f"每月{ZH_ORDINAL[int(code[:-2])]}周{ZH_DAYS[CODES.index(code[-2:])]} {clock}"
        if "BYMONTHDAY" not in parts:
            return f"每月 {clock}"
        day = int(parts["BYMONTHDAY"])
        return f"每月{'最后一天' if day == -1 else f'{day}号'} {clock}"
    if "BYMONTH" in parts:
        return f"每年{int(parts['BYMONTH'])}月{int(parts['BYMONTHDAY'])}日 {clock}"
    return f"每年 {clock}"


def _until(parts: dict[str, str]) -> datetime | None:
    if "UNTIL" not in parts:
        return None
    return datetime.strptime(parts["UNTIL"].rstrip("Z")[:15], "%Y%m%dT%H%M%S")


def _en_end(parts: dict[str, str], now: datetime) -> str:
    until = _until(parts)
    text = f" until {en_day(until.date(), until.year != now.year)}" if until else ""
    return text + (f", {parts['COUNT']} times" if "COUNT" in parts else "")


def _zh_end(parts: dict[str, str], now: datetime) -> str:
    until = _until(parts)
    text = f"，直到{zh_day(until.date(), until.year != now.year)}" if until else ""
    return text + (f"，共{parts['COUNT']}次" if "COUNT" in parts else "")
