"""One-off times: "tomorrow at 9", "in 20 minutes", "Friday 3pm", "12 March"; dateparser for
the long tail. Returns local wall time (naive); zones are the caller's business."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta

from assistant.scheduler.vocabulary import (
    DAY_RE,
    DEFAULT_TIME,
    HOUR_WORDS,
    MONTH_RE,
    MONTHS,
    NUM_RE,
    NUMBERS,
    PARTS_OF_DAY,
    WEEKDAYS,
    TimeParseError,
    check_date,
    format_time,
)

_AMPM = r"(?P<ap>a\.?m\.?|p\.?m\.?)"
_TIME_RES = [
    re.compile(r"\b(?:at\s+|@\s*)?(?P<h>\d{1,2})[:.](?P<m>\d{2})\s*" + _AMPM + r"?(?![\d.])"),
    re.compile(r"\b(?:at\s+|@\s*)?(?P<h>\d{1,2})\s*" + _AMPM + r"(?=\W|$)"),
    re.compile(r"\b(?:at\s+)?(?P<h>\d{1,2})\s*o'?\s?clock\b"),
    re.compile(r"\bat\s+(?P<h>\d{1,2})\b(?!\s*(?:st|nd|rd|th|/|-|\d|" + MONTH_RE + r")\b)"),
    # "set a reminder for 7 to take the chicken out": an hour, where "for 7 days" is a span
    re.compile(r"\bfor\s+(?P<h>\d{1,2})\b(?=\s*(?:$|[,.!?]|to\b|sharp))"),  # "a table for 2 tomorrow": people
]
_MINUTES_PAST = {
    "half": 30, "quarter": 15, "five": 5, "ten": 10, "twenty": 20, "twenty-five": 25, "twenty five": 25,
}  # fmt: skip
_HALF = re.compile(
    r"\b(?:at\s+)?(?:a\s+)?(half|quarter|twenty[- ]five|twenty|ten|five|[1-5]?\d)(?:\s+minutes?)?\s+"
    r"(past|after|to)\s+(\d{1,2}|" + "|".join(HOUR_WORDS) + r")\b"
    r"(?!\s*(?:minutes?|mins?|hours?|days?|[:.]\d))"
)
_HALF_HOUR = re.compile(
    r"\b(?:at\s+)?half\s+(1[0-2]|[1-9]|" + "|".join(HOUR_WORDS) + r")\b"
    r"(?!\s*(?:[:.]\d|hours?|hrs?|days?|minutes?))"
)
#: "an hour and a half", "two and a half hours": half of the unit, or of one more.
_AND_HALF = r"(?:\s+and\s+a\s+half)?"
_RELATIVE = re.compile(
    rf"\b(?:in|after)\s+((?:(?:{NUM_RE}){_AND_HALF}\s*(?:minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|"
    rf"years?)\b{_AND_HALF}(?:\s*(?:and|,)?\s*)?)+)"
    rf"|\b((?:{NUM_RE}){_AND_HALF}\s*(?:minutes?|mins?|hours?|days?|weeks?)\b{_AND_HALF})"
    r"\s+from (?:now|today)\b"
)
_UNIT = re.compile(
    rf"({NUM_RE})(\s+and\s+a\s+half)?\s*(minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?)\b"
    r"(\s+and\s+a\s+half)?"
)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})\b\.?(?:,?\s+(\d{{4}}))?")
_MONTH_DAY = re.compile(rf"\b({MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(\d{{4}}))?")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::\d{2})?)?\b")
_WEEKDAY = re.compile(rf"\b(?:(this|next|coming|on|last)\s+)?({DAY_RE})\b\.?(\s+next week)?")
#: "the last day of this month", "end of the month": a one-off on the month's last day.
_MONTH_END = re.compile(
    r"\b(?:(?:on\s+)?(?:the\s+)?(?:last|final)\s+day|(?:at\s+)?(?:the\s+)?end)\s+of\s+(this|the|next)\s+month\b"
)
_DAY_WORDS = re.compile(
    r"\b(day after tomorrow|tomorrow|tmrw|tmr|today|tonight|yesterday|next week|"
    r"this (?:morning|afternoon|evening))\b"
)
_FILLER = {"at", "on", "the", "by", "in", "please", "of", "around", "about", "from", "for", "and", "a", "o"}


_WORD_HOUR = re.compile(
    r"\b(at\s+)(" + "|".join(HOUR_WORDS) + r")\b"
    r"(?=\s*(?:o'?\s?clock\b|[ap]\.?m\b|[,.!?]|$|\s+(?:to|and|on|in|tonight|today|tomorrow|this|every|each|sharp|please)\b))"
    r"|\b(" + "|".join(HOUR_WORDS) + r")(?=\s*(?:o'?\s?clock\b|[ap]\.m\.|[ap]m\b))"
)


#: "friday 10", "tmrw 7": in a note a bare number right after the day is its hour.
_DAY_THEN_HOUR = re.compile(
    rf"\b((?:{DAY_RE})|tomorrow|tmrw|tmr|today|tonight)\.?\s+(1[0-2]|[1-9])\b"
    rf"(?!\s*(?:st|nd|rd|th|/|-|[:.]?\d|{MONTH_RE}|minutes?|mins?|hours?|hrs?|days?|weeks?|times?)\b)"
)


#: "four thirty pm", "at seven fifteen": an hour and its minutes said in words.
_WORD_CLOCK = re.compile(
    r"\b(" + "|".join(HOUR_WORDS) + r")[\s-]+(fifteen|thirty|forty[\s-]?five|o[\s-]?five|ten|twenty|"
    r"twenty[\s-]?five|forty|fifty)\b(?=\s*(?:[ap]\.?m\b|o'?\s?clock\b))"
    r"|(?<=\bat )(" + "|".join(HOUR_WORDS) + r")[\s-]+(fifteen|thirty|forty[\s-]?five)\b"
)
_MINUTE_WORDS = {"fifteen": 15, "thirty": 30, "fortyfive": 45, "ofive": 5, "ten": 10, "twenty": 20,
                 "twentyfive": 25, "forty": 40, "fifty": 50}  # fmt: skip


def _word_clock(match: re.Match[str]) -> str:
    hour = match.group(1) or match.group(3)
    minutes = re.sub(r"[\s-]", "", match.group(2) or match.group(4))
    return f"{HOUR_WORDS[hour]}:{_MINUTE_WORDS[minutes]:02d}"


def _hour_digits(text: str) -> str:
    """ "at eight", "eight o'clock", "eight pm": the hour as digits for the patterns below."""
    text = _WORD_CLOCK.sub(_word_clock, _DAY_THEN_HOUR.sub(r"\1 at \2", text))
    return _WORD_HOUR.sub(lambda m: (m.group(1) or "") + str(HOUR_WORDS[m.group(2) or m.group(3)]), text)


def extract_time(text: str) -> tuple[tuple[int, int] | None, str, bool]:
    """(hour, minute) named in ``text``, the text without it, and whether am/pm was explicit."""
    text = _hour_digits(text)
    match = _HALF.search(text)
    if match:
        said = match.group(3)
        hour = (int(said) if said.isdigit() else HOUR_WORDS[said]) % 12 or 12
        amount = match.group(1)
        minute = int(amount) if amount.isdigit() else _MINUTES_PAST[amount]
        if minute >= 60 or hour > 12:
            raise TimeParseError(f"{match.group(0).strip()!r} is not a time of day.", "invalid_date")
        if match.group(2) == "to":
            hour, minute = (hour - 1) % 12 or 12, (60 - minute) % 60
        hour = _guess_pm(hour, text)
        return (hour, minute), _cut(text, match), False
    british = _HALF_HOUR.search(text)
    if british:  # "half seven": half past seven
        said = british.group(1)
        hour = _guess_pm(int(said) if said.isdigit() else HOUR_WORDS[said], text)
        return (hour, 30), _cut(text, british), False
    for pattern in _TIME_RES:
        match = pattern.search(text)
        if not match:
            continue
        hour = int(match.group("h"))
        minute = int(match.groupdict().get("m") or 0)
        ampm = (match.groupdict().get("ap") or "").replace(".", "")
        if hour > 23 or minute > 59 or (ampm and not 1 <= hour <= 12):
            raise TimeParseError(f"{match.group(0).strip()!r} is not a time of day.", "invalid_date")
        if ampm:
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        elif hour <= 12 and not match.group("h").startswith("0"):  # "09:30" is plainly morning
            hour = _guess_pm(hour, text)
        return (hour, minute), _cut(text, match), bool(ampm)
    for word in sorted(PARTS_OF_DAY, key=len, reverse=True):
        found = re.search(rf"\b(?:this |at |in the |at the )?{word}\b", text)
        if found:
            keep = text if word == "tonight" else _cut(text, found)  # "tonight" also names the day
            return PARTS_OF_DAY[word], keep, False
    return None, text, False


_MORNING = re.compile(r"\b(?:morning|mornings|breakfast|dawn|sunrise)\b")
_EVENING = re.compile(r"\b(?:evening|evenings|tonight|night|pm|dinner|afternoon|afternoons)\b")


def _guess_pm(hour: int, text: str) -> int:
    """A bare hour: 1-6 is afternoon ("at 3"), 7-11 morning, unless the words say which."""
    if hour == 12 or hour == 0 or hour > 12:
        return hour
    if _MORNING.search(text):
        return hour
    return hour + 12 if hour <= 6 or _EVENING.search(text) else hour


def _said_half_of_day(text: str) -> bool:
    return bool(_MORNING.search(text) or _EVENING.search(text) or re.search(r"\d\s*[ap]\.?m\b", text))


def _cut(text: str, match: re.Match[str]) -> str:
    return " ".join((text[: match.start()] + " " + text[match.end() :]).split())


def parse_single(
    text: str, now: datetime, allow_past: bool = False, fallback: bool = True
) -> tuple[datetime, str]:
    """A one-off local wall time (naive) from ``text`` said at local ``now`` (naive)."""
    relative = _RELATIVE.search(text)
    if relative:
        moment = now + relative_delta(relative.group(1) or relative.group(2))
        rest = _cut(text, relative)
        if any(u in (relative.group(0)) for u in ("day", "week", "month", "year")):
            clock, rest, _ = extract_time(rest)
            if clock:
                moment = datetime.combine(moment.date(), time(*clock))
        return moment.replace(second=0, microsecond=0), ""
    clock, rest, ampm_said = extract_time(text)
    bare = clock is not None and not ampm_said and not _said_half_of_day(text)
    day, explicit_day, rest = _parse_day(rest, now, clock)
    note = ""
    if clock is None:
        if day is None:
            if not fallback:
                raise TimeParseError("No time was given.", "unparsed")
            return _fallback(text, now, allow_past)
        clock = DEFAULT_TIME
        note = "no time was given: 09:00"
    if day is None:
        day = now.date()
        if datetime.combine(day, time(*clock)) <= now:
            clock, day, note = next_of_bare_hour(now, clock, bare)
    elif day == now.date() and bare and datetime.combine(day, time(*clock)) <= now:
        clock = next_of_bare_hour(now, clock, bare)[0]  # "today at 8" said at 15:00: 20:00
    moment = datetime.combine(day, time(*clock))
    if moment <= now and not allow_past:
        if explicit_day or day < now.date():
            raise TimeParseError(f"{format_time(moment)} is in the past.", "past", detail={"moment": moment})
        moment += timedelta(days=7)  # a plain weekday whose time passed today: next week
    return moment, note


def next_of_bare_hour(
    now: datetime, clock: tuple[int, int], bare: bool
) -> tuple[tuple[int, int], date, str]:
    """A time of today that has passed: a bare "at 7" said at 11:00 is 19:00 today (the next
    time the clock shows 7; 7-9 in the evening is an everyday time, 22:00 less so) when nothing
    said morning or evening; otherwise tomorrow's."""
    hour, minute = clock
    later = (hour + 12, minute)
    if bare and 7 <= hour <= 9 and datetime.combine(now.date(), time(*later)) > now:
        return later, now.date(), ""
    return clock, now.date() + timedelta(days=1), "that time has passed today, so tomorrow"


def relative_delta(phrase: str) -> timedelta:
    from dateutil.relativedelta import relativedelta

    total = timedelta()
    for amount_text, half_before, unit, half_after in _UNIT.findall(phrase):
        amount = float(NUMBERS.get(amount_text, amount_text) if amount_text in NUMBERS else amount_text)
        amount += 0.5 if (half_before or half_after) else 0.0
        if unit.startswith(("month", "year")):
            months = int(amount) * (12 if unit.startswith("year") else 1)
            base = datetime(2000, 1, 1)
            total += (base + relativedelta(months=months)) - base  # approximate for >1 month
        else:
            key = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[unit[0]]
            total += timedelta(**{key: amount})
    if total > timedelta(days=3660):
        raise TimeParseError("That is more than ten years away.", "invalid_date")
    return total


def _parse_day(text: str, now: datetime, clock: tuple[int, int] | None) -> tuple[date | None, bool, str]:
    """The calendar day named in ``text`` (None: no day), whether it was explicit, the rest."""
    today = now.date()
    iso = _ISO.search(text)
    if iso:
        y, m, d = (int(iso.group(i)) for i in (1, 2, 3))
        return check_date(y, m, d), True, _cut(text, iso)
    for pattern, order in ((_DAY_MONTH, "dm"), (_MONTH_DAY, "md")):
        match = pattern.search(text)
        if match:
            a, b, year = match.groups()
            day_text, month_text = (a, b) if order == "dm" else (b, a)
            month, day_num = MONTHS[month_text.rstrip(".")], int(day_text)
            if year:
                return check_date(int(year), month, day_num), True, _cut(text, match)
            check_date(2024 if (month, day_num) == (2, 29) else today.year, month, day_num)
            candidate_year = today.year
            while True:  # the next time this date comes round (29 February: next leap year)
                try:
                    found = date(candidate_year, month, day_num)
                except ValueError:
                    candidate_year += 1
                    continue
                if found >= today:
                    return found, True, _cut(text, match)
                candidate_year += 1
    month_end = _MONTH_END.search(text)
    if month_end:
        year, month = (today.year, today.month) if month_end.group(1) != "next" else (
            (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        )
        return date(year, month, calendar.monthrange(year, month)[1]), True, _cut(text, month_end)
    words = _DAY_WORDS.search(text)
    if words:
        word = words.group(1)
        offsets = {
            "today": 0,
            "this morning": 0,
            "this afternoon": 0,
            "this evening": 0,
            "tonight": 0,
            "tomorrow": 1,
            "tmrw": 1,
            "tmr": 1,
            "day after tomorrow": 2,
            "yesterday": -1,
        }
        if word == "next week" and not _WEEKDAY.search(text):
            return today + timedelta(days=7 - today.weekday()), True, _cut(text, words)
        if word in offsets:
            return today + timedelta(days=offsets[word]), True, _cut(text, words)
    weekday = _WEEKDAY.search(text)
    if weekday:
        return _weekday(weekday, now, clock), weekday.group(1) in ("next", "last"), _cut(text, weekday)
    return None, False, text



def _weekday(match: re.Match[str], now: datetime, clock: tuple[int, int] | None) -> date:
    qualifier, name, next_week = match.group(1), match.group(2), match.group(3)
    target = WEEKDAYS[name]
    today = now.date()
    ahead = (target - today.weekday()) % 7
    if qualifier == "last":
        return today - timedelta(days=(today.weekday() - target) % 7 or 7)
    if next_week:
        return today + timedelta(days=7 - today.weekday() + target)
    if qualifier == "next":
        # "next Friday" said on Wednesday means this week's to some people and next week's to
        # others: ask rather than guess. Said on a Friday, it is the one a week away.
        soon = today + timedelta(days=ahead or 7)
        if soon.isocalendar()[1] == today.isocalendar()[1] and ahead != 0:
            later = soon + timedelta(days=7)
            hm = clock or DEFAULT_TIME
            options = (datetime.combine(soon, time(*hm)), datetime.combine(later, time(*hm)))
            raise TimeParseError(
                f'"next {name.capitalize()}" could mean {soon:%a %d %b} or {later:%a %d %b}: which one?',
                "ambiguous",
                options,
                {"name": f"next {name.capitalize()}"},
            )
        return soon
    if ahead == 0 and clock is not None and datetime.combine(today, time(*clock)) <= now:
        ahead = 7
    return today + timedelta(days=ahead)


def _fallback(text: str, now: datetime, allow_past: bool) -> tuple[datetime, str]:
    """dateparser for the long tail; its guesses far in the future are refused, not saved
    (it once read "Friday at 11" as a date two years away)."""
    words = [w for w in re.findall(r"[\w']+", text) if w not in _FILLER]
    if not words:
        raise TimeParseError("No time was given.", "unparsed")
    import dateparser

    found = dateparser.parse(
        text,
        settings={"RELATIVE_BASE": now, "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False},
    )
    if found is None:
        raise TimeParseError(
            f'I could not read {text!r} as a time. Try e.g. "tomorrow at 9am", '
            '"in 20 minutes" or "every Monday at 8".',
            "unparsed",
        )
    if found - now > timedelta(days=400) and not re.search(r"\b\d{4}\b", text):
        raise TimeParseError(f"{text!r} is unclear (it could be read as {format_time(found)}).", "unparsed")
    if found <= now and not allow_past:
        raise TimeParseError(f"{format_time(found)} is in the past.", "past", detail={"moment": found})
    return found.replace(microsecond=0), ""
