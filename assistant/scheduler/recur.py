"""Repeats: "every weekday at 8", "the first Monday of each month", "every 2 weeks until March".

Rules are evaluated on local wall time (naive datetimes) and only then given the zone, so
"every day at 8" stays at 8:00 across DST changes. The stored RRULE's UNTIL is wall time too.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from assistant.scheduler.single import extract_time, parse_single, relative_delta
from assistant.scheduler.vocabulary import (
    DAY_RE,
    DEFAULT_TIME,
    MONTH_RE,
    MONTHS,
    NUMBERS,
    WEEKDAYS,
    TimeParseError,
    check_date,
    localize,
)

CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
    "final": -1,
}
#: The most often a repeat may fire: a rule that fires every second is a mistake, not a plan.
MIN_INTERVAL = timedelta(minutes=15)
_TRIGGER = re.compile(
    r"\b(every|each|daily|nightly|weekly|fortnightly|monthly|yearly|annually|hourly|weekdays|weekends|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days)\b"  # "Fridays" repeats; "thurs" is Thursday
    # "for the next 5 mornings", "for the next 7 days at 9pm": once a day for that many days
    r"|\bfor\s+(?:the\s+)?(?:next|following|coming)\s+\d+\s+(?:days|mornings|evenings|nights)\b"
)
_END = re.compile(r"\b(?:until|till|til|through|thru|up to|ending)\s+(.+)$")
_FOR = re.compile(
    r"\bfor\s+(?:the\s+)?(?:next\s+|following\s+|coming\s+)?(\d+|" + "|".join(NUMBERS) + r")\s+"
    r"(days?|weeks?|months?|years?|mornings?|evenings?|nights?)\b(?!\s+(?:later|before|after|ago))"
)
#: The repeat a span names on its own ("for the next 5 mornings": every morning).
_SPAN_FREQ = {"day": "DAILY", "mor": "DAILY", "eve": "DAILY", "nig": "DAILY", "wee": "WEEKLY",
              "mon": "MONTHLY", "yea": "YEARLY"}  # fmt: skip
_COUNT = re.compile(r"\b(?:for\s+)?(\d+)\s+(?:times|occurrences)\b")
_START = re.compile(r"\b(?:starting|beginning|from|as of)\s+(?:on\s+)?(.+?)(?=\s+(?:at|until|till)\b|$)")
_NTH = re.compile(
    rf"\b(?:on\s+)?(?:the\s+)?({'|'.join(ORDINALS)})\s+({DAY_RE})\s+(?:of\s+)?(?:each|every|the|a)\s+month\b"
    rf"|\b(?:every|each)\s+month\s+on\s+the\s+({'|'.join(ORDINALS)})\s+({DAY_RE})\b"
)
_MONTHDAY = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+(?:of\s+)?(?:each|every|the|a)\s+month\b"
    r"|\b(?:every|each)\s+month\s+on\s+the\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\bmonthly\s+on\s+the\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    # "every three months on the 1st": the interval is read apart
    r"|\b(?:every|each)\s+(?:other|\d+|" + "|".join(NUMBERS) + r")\s+months?\s+on\s+the\s+"
    r"(\d{1,2})(?:st|nd|rd|th)?\b"
)
_LAST_DAY = re.compile(
    r"\b(?:on\s+)?the\s+(?:last|final)\s+day\s+of\s+(?:each|every|the)\s+month\b"
    r"|\b(?:every|each)\s+month\s+on\s+the\s+(?:last|final)\s+day\b"
    r"|\b(?:at\s+)?the\s+end\s+of\s+(?:each|every)\s+month\b"
)
_YEARLY_DATE = re.compile(
    rf"\b(?:(?:every|each)\s+(?:year\s+on\s+)?|(?:yearly|annually)\s+(?:on\s+)?)(?:the\s+)?"
    rf"(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})"
    rf"|({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?)\b"
)
#: "on 31 October every year", "Feb 14th, every year": the date said before the repeat.
_DATE_THEN_YEARLY = re.compile(
    rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})|({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?)"
    r",?\s+(?:(?:at\s+[\w:.]+\s+)?(?:every|each)\s+year|yearly|annually)\b"
)
_EVERY_UNIT = re.compile(
    r"\b(?:every|each)\s+(?:(other|\d+|" + "|".join(NUMBERS) + r")(?:st|nd|rd|th)?\s+)?"
    r"(seconds?|minutes?|mins?|hours?|days?|nights?|mornings?|evenings?|weeks?|fortnight|months?|years?)\b"
)
_ADVERB = {
    "daily": "DAILY",
    "nightly": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "yearly": "YEARLY",
    "annually": "YEARLY",
    "hourly": "HOURLY",
}
_WEEKDAY_SET = re.compile(
    r"\b(?:every|each|on)?\s*(weekday|working day|work day|weekdays|weekend|weekends)\b"
)
_DAYLIST = re.compile(
    rf"\b(?:every\s+(?:other\s+)?|each\s+|on\s+)?((?:{DAY_RE})s?(?:\s*(?:,|and|&|\+)\s*(?:{DAY_RE})s?)*)\b"
)


def parse_recurrence(text: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, str, str] | None:
    """(first local wall time, RRULE, note) if ``text`` repeats, else None."""
    if not _TRIGGER.search(text):
        return None
    parts: dict[str, str] = {}
    # "every second Tuesday" is every other Tuesday, not a rule that fires each second.
    rest = re.sub(rf"\b(every|each)\s+second\s+(?=(?:{DAY_RE})|week|month|day|year)", r"\1 other ", text)
    rest = _ordinal_digits(rest)
    for key, pattern in (("end", _END), ("for", _FOR), ("count", _COUNT), ("start", _START)):
        match = pattern.search(rest)
        if match:
            parts[key] = match.group(0) if key == "for" else match.group(1)
            rest = (rest[: match.start()] + " " + rest[match.end() :]).strip()
    span = _FOR.search(parts.get("for", ""))
    if span is not None and not _TRIGGER.search(rest):
        rest = f"every {span.group(2).rstrip('s')} {rest}"
    freq, interval, by = _pattern(rest)
    clock, _, _ = extract_time(_strip_pattern_words(rest))
    note = ""
    if clock is None and freq not in ("HOURLY", "MINUTELY"):
        clock = DEFAULT_TIME
        note = "no time was given: 09:00"
    step = {"MINUTELY": timedelta(minutes=interval), "HOURLY": timedelta(hours=interval)}.get(freq)
    if freq == "SECONDLY" or (step is not None and step < MIN_INTERVAL):
        raise TimeParseError(
            "That would fire more often than every 15 minutes; choose a longer interval.", "too_frequent"
        )
    if interval > 1000:
        raise TimeParseError("That interval is too long to be meant.", "invalid_date")
    begin = now
    if "start" in parts:
        begin_day, _ = parse_single(parts["start"], now)
        begin = max(now, datetime.combine(begin_day.date(), time(0, 0)))
    if step is not None:
        first = (begin + step).replace(second=0, microsecond=0)
    else:
        first = first_occurrence(freq, by, begin, clock or DEFAULT_TIME)
    rule = f"FREQ={freq}" + (f";INTERVAL={interval}" if interval > 1 else "")
    rule += "".join(f";{k}={v}" for k, v in by.items())
    if "for" in parts and _span_counts(parts["for"], freq, interval, by):
        parts["count"] = str(_span_counts(parts.pop("for"), freq, interval, by))
    until = _until(parts, now, first)
    if until is not None:
        rule += f";UNTIL={until:%Y%m%dT%H%M%S}"
    if "count" in parts:
        count = int(parts["count"])
        if not 1 <= count <= 10000:
            raise TimeParseError("The number of repeats must be between 1 and 10000.", "bad_end")
        rule += f";COUNT={count}"
    return first, rule, note


_DAY_ORDINALS = {
    word: n
    for n, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        start=1,
    )
}
_DAY_ORDINALS.update({f"twenty[- ]?{w}": 20 + n for w, n in list(_DAY_ORDINALS.items())[:9]})
_DAY_ORDINALS.update({"thirtieth": 30, "thirty[- ]?first": 31})
#: "the first of every month", "each month on the fifteenth": the day as digits for _MONTHDAY.
_ORDINAL_DAY = re.compile(
    rf"\b({'|'.join(sorted(_DAY_ORDINALS, key=len, reverse=True))})\b"
    r"(?=\s+(?:day\s+)?(?:of\s+)?(?:each|every|the|a)\s+month\b)"
    rf"|(?<=\bmonth on the )({'|'.join(sorted(_DAY_ORDINALS, key=len, reverse=True))})\b",
)


def _ordinal_digits(text: str) -> str:
    def digits(match: re.Match[str]) -> str:
        word = match.group(0)
        number = next(n for key, n in _DAY_ORDINALS.items() if re.fullmatch(key, word))
        return f"{number}th"

    return _ORDINAL_DAY.sub(digits, text)


def _pattern(text: str) -> tuple[str, int, dict[str, str]]:
    """FREQ, INTERVAL and BY* parts named by the words."""
    nth = _NTH.search(text)
    if nth:
        ordinal = nth.group(1) or nth.group(3)
        day = nth.group(2) or nth.group(4)
        return "MONTHLY", 1, {"BYDAY": f"{ORDINALS[ordinal]:+d}{CODES[WEEKDAYS[day]]}"}
    if _LAST_DAY.search(text):
        return "MONTHLY", 1, {"BYMONTHDAY": "-1"}
    monthday = _MONTHDAY.search(text)
    if monthday:
        day = int(next(g for g in monthday.groups() if g))
        if not 1 <= day <= 31:
            raise TimeParseError(f"No month has a day {day}.", "invalid_date")
        if day > 28:
            # RFC 5545 skips months without that day; say so rather than surprise.
            raise TimeParseError(
                f'Not every month has a day {day}. Say "the last day of each month" or pick 1-28.',
                "ambiguous",
                detail={"monthday": day},
            )
        unit = _EVERY_UNIT.search(text)
        months = unit.group(1) if unit and unit.group(2).startswith("month") and unit.group(1) else None
        every = 2 if months == "other" else int(NUMBERS.get(months, 0) or months) if months else 1
        return "MONTHLY", every, {"BYMONTHDAY": str(day)}
    yearly = _YEARLY_DATE.search(text) or _DATE_THEN_YEARLY.search(text)
    if yearly:
        d, m = (yearly.group(1), yearly.group(2)) if yearly.group(1) else (yearly.group(4), yearly.group(3))
        month = MONTHS[m]
        check_date(2024, month, int(d))  # 2024 is a leap year: 29 February repeats, 30th never
        return "YEARLY", 1, {"BYMONTH": str(month), "BYMONTHDAY": str(int(d))}
    interval, freq = 1, ""
    unit = _EVERY_UNIT.search(text)
    if unit:
        amount, word = unit.group(1), unit.group(2)
        interval = 2 if amount == "other" else int(NUMBERS.get(amount, 0) or amount) if amount else 1
        freq = {
            "s": "SECONDLY",
            "h": "HOURLY",
            "d": "DAILY",
            "n": "DAILY",
            "e": "DAILY",
            "w": "WEEKLY",
            "f": "WEEKLY",
            "y": "YEARLY",
        }.get(word[0], "")
        if word.startswith(("min", "mornings")):
            freq = "MINUTELY" if word.startswith("min") else "DAILY"
        elif word.startswith("month"):
            freq = "MONTHLY"
        elif word.startswith("morning"):
            freq = "DAILY"
        if word == "fortnight":
            interval *= 2
    for adverb, value in _ADVERB.items():
        if not freq and re.search(rf"\b{adverb}\b", text):
            freq = value
    if re.search(r"\bfortnightly\b", text):
        freq, interval = "WEEKLY", 2
    by: dict[str, str] = {}
    days = _weekdays(text)
    if days:
        by["BYDAY"] = ",".join(CODES[d] for d in days)
        if re.search(rf"\bevery\s+other\s+(?:{DAY_RE})", text):
            interval = 2
        if freq in ("", "DAILY"):
            freq = "WEEKLY"
    if not freq:
        raise TimeParseError("I could not tell how often this repeats.", "unparsed")
    if interval < 1:
        raise TimeParseError("A repeat needs an interval of at least 1.", "invalid_date")
    return freq, interval, by


def _weekdays(text: str) -> list[int]:
    found = _WEEKDAY_SET.search(text)
    if found:
        return (
            [0, 1, 2, 3, 4]
            if found.group(1).startswith(("week", "work")) and "end" not in found.group(1)
            else [5, 6]
        )
    match = _DAYLIST.search(text)
    if not match or not match.group(1).strip():
        return []
    names = re.findall(DAY_RE, match.group(1))
    return sorted({WEEKDAYS[n] for n in names})


def _strip_pattern_words(text: str) -> str:
    """Remove ordinals and day numbers that belong to the pattern, so "the 15th" is no time."""
    for pattern in (_NTH, _MONTHDAY, _YEARLY_DATE, _DATE_THEN_YEARLY, _LAST_DAY):
        text = pattern.sub(" ", text)
    return re.sub(r"\bevery\s+\d+\s+\w+", " ", text)


def first_occurrence(freq: str, by: dict[str, str], begin: datetime, clock: tuple[int, int]) -> datetime:
    """The first occurrence at or after ``begin`` (a rule anchored on it fires then)."""
    from dateutil.rrule import rrulestr

    anchor = datetime.combine(begin.date(), time(*clock))
    if not by:  # "every 2 weeks": from the next time the clock shows that time
        return anchor if anchor > begin else anchor + timedelta(days=1)
    spec = f"FREQ={freq}" + "".join(f";{k}={v}" for k, v in by.items())
    rule = rrulestr(f"RRULE:{spec}", dtstart=anchor - timedelta(days=366 if freq == "YEARLY" else 31))
    found = rule.after(begin, inc=False)
    if found is None:
        raise TimeParseError("That repeat never happens.", "invalid_date")
    return found


def _span_counts(span: str, freq: str, interval: int, by: dict[str, str]) -> int | None:
    """How many times "every day ... for 5 days" fires (5), when the span is counted in the
    repeat's own unit; None for spans that only bound it ("every Monday and Friday for 3 weeks")."""
    match = _FOR.search(span)
    if match is None or interval != 1 or "," in by.get("BYDAY", ""):
        return None
    unit = _SPAN_FREQ[match.group(2)[:3]]
    amount = match.group(1)
    return int(NUMBERS.get(amount, amount)) if unit == freq else None


def _until(parts: dict[str, str], now: datetime, first: datetime) -> datetime | None:
    if "for" in parts:
        days = re.sub(r"\b(?:mornings?|evenings?|nights?)\b", "days", parts["for"])
        return now + relative_delta(days.removeprefix("for"))
    if "end" not in parts:
        return None
    text = parts["end"].strip()
    month_only = re.fullmatch(rf"(?:the\s+)?(?:end\s+of\s+)?({MONTH_RE})(?:\s+(\d{{4}}))?", text)
    if month_only:
        month = MONTHS[month_only.group(1)]
        year = int(month_only.group(2) or now.year)
        ends_it = text.startswith(("end", "the end"))
        if not month_only.group(2) and (month < now.month or (month == now.month and not ends_it)):
            year += 1
        if ends_it:
            nxt = datetime(year + (month == 12), month % 12 + 1, 1)
            return nxt - timedelta(seconds=1)
        # "until March": up to March, not through it.
        return datetime(year, month, 1) - timedelta(seconds=1)
    try:
        day, _ = parse_single(text, now)
    except TimeParseError as exc:
        raise TimeParseError(f"The end of the repeat is unclear: {exc.message}", "bad_end") from exc
    until = datetime.combine(day.date(), time(23, 59, 59))
    if until < first:
        raise TimeParseError("The repeat would end before it first happens.", "bad_end")
    return until


def describe_rule(rule: str) -> str:
    parts = dict(p.split("=", 1) for p in rule.split(";"))
    freq = parts["FREQ"].lower().replace("ly", "")
    freq = {"dai": "day", "minute": "minute", "hour": "hour"}.get(freq, freq)
    interval = int(parts.get("INTERVAL", 1))
    text = f"every {interval} {freq}s" if interval > 1 else f"every {freq}"
    if "BYDAY" in parts:
        text += f" on {parts['BYDAY']}"
    if "BYMONTHDAY" in parts:
        text += f" on day {parts['BYMONTHDAY']}"
    if "UNTIL" in parts:
        until = datetime.strptime(parts["UNTIL"].rstrip("Z"), "%Y%m%dT%H%M%S")
        text += f" until {until:%a %d %b %Y %H:%M}"
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    return text


def occurrences(
    start_local: datetime, rule: str | None, tz: ZoneInfo, after: datetime, before: datetime, limit: int = 500
) -> list[datetime]:
    """Aware occurrences with ``after < t <= before`` (aware bounds), at most ``limit``.
    Wall times are computed first and zoned after, so DST never shifts "8:00"; two wall times
    that land on the same instant (a DST gap) count once."""
    if rule is None:
        moment, _ = localize(start_local, tz)
        return [moment] if after < moment <= before else []
    from dateutil.rrule import rrulestr

    recurrence = rrulestr(f"RRULE:{rule}", dtstart=start_local)
    lo = after.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    hi = before.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    seen: set[datetime] = set()
    found: list[datetime] = []
    for wall in recurrence.xafter(max(lo, start_local), inc=True):
        if wall > hi or len(found) >= limit:
            break
        moment, _ = localize(wall, tz)
        instant = moment.astimezone(UTC)
        if after < moment <= before and instant not in seen:
            seen.add(instant)
            found.append(moment)
    return found
