"""English: find the time inside a whole sentence and read it with ``scheduler.parse``.

The sentence is cut into tokens (one linear pass); runs of time words ("tomorrow, at 7:45 pm",
"on the final day of each month", "6pm today") are the candidates. Each run is checked for what
it names (a day, a clock time, a repeat, an offset) with the scheduler's own patterns; runs that
name different things are read together ("tomorrow ... at 7:45 pm"), a second day or clock time
is left in the "what". The scheduler reads the words: nothing here computes a date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from assistant.scheduler import single as sp
from assistant.scheduler.parse import (
    MONTH_RE,
    MONTHS,
    NUMBERS,
    WEEKDAYS,
    ParsedTime,
    TimeParseError,
    parse_when,
)
from assistant.scheduler.recur import _TRIGGER, ORDINALS
from assistant.scheduler.vocabulary import HOUR_WORDS
from assistant.scheduler.zones import ABBREVIATIONS, CITIES, zone

MAX_RUN = 24  # tokens: a time expression is short; a longer run is cut
MAX_CANDIDATES = 12  # runs read per sentence, so a huge text costs a bounded number of parses

_TOKEN = re.compile(
    r"(?P<iso>\d{4}-\d{2}-\d{2}(?:[tT ]\d{2}:\d{2}(?::\d{2})?)?)"
    r"|(?P<clock>\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\b\.?)?)"
    r"|(?P<ampm>\d{1,2}\s?[ap]\.?m\b\.?)"
    r"|(?P<num>\d{1,9}(?:st|nd|rd|th)?)"
    r"|(?P<zone>[A-Za-z]{1,30}/[A-Za-z_]{1,30}(?:/[A-Za-z_]{1,30})?)"
    r"|(?P<word>[^\W\d_]{1,40}(?:'[^\W\d_]{1,10})?)"
    r"|(?P<other>\S)",
    re.IGNORECASE,
)
_ANCHORS = {
    "today", "tonight", "tomorrow", "tmrw", "tmr", "yesterday", "noon", "midday", "midnight",
    "lunchtime", "daily", "nightly", "weekly", "fortnightly", "monthly", "yearly", "annually", "hourly",
    "weekday", "weekdays", "weekend", "weekends", "fortnight", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "hour", "hours", "hrs", "hr", "h", "minute", "minutes", "min",
    "mins", "second", "seconds", "times", "occurrences", "o'clock", "oclock", "half", "quarter",
    "morning", "mornings", "afternoon", "afternoons", "evening", "evenings", "night", "nights",
    "am", "pm", "now", "end",
}  # fmt: skip
_PARTS = {"morning", "mornings", "afternoon", "afternoons", "evening", "evenings", "night", "nights", "end"}
_CONNECTORS = {
    "at", "on", "in", "by", "for", "from", "the", "of", "and", "a", "an", "this", "next", "coming",
    "every", "each", "other", "until", "till", "til", "through", "thru", "starting", "beginning",
    "around", "after", "couple", "few", "as", "ending", "up", ",", "time", "last", "final",
    "twice", "thrice",
}  # fmt: skip
_FULL_DAYS = {n for n in WEEKDAYS if len(n) > 4} | {n + "s" for n in WEEKDAYS if len(n) > 4}
_SHORT_DAYS = {n for n in WEEKDAYS if len(n) <= 4}
_DAY_QUALIFIERS = {"on", "next", "this", "every", "each", "coming", "last"}
_LEAD_DROP = {",", "and", "of", "a", "an", "to", "past", "other", "as", "up", "time", "couple", "few"}
_TRAIL_DROP = _CONNECTORS - {"time"}
_ORDINAL_DAY = re.compile(
    r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:each|every|the|a)\s+month)"
    r"(?!\s+(?:of\s+)?(?:" + MONTH_RE + r")\b)"
)


_POSSESSIVE_DAYS = {*WEEKDAYS, "today", "tomorrow", "tonight"}


@dataclass(frozen=True)
class Token:
    text: str  # lower case
    start: int
    end: int
    kind: str  # iso | clock | ampm | num | zone | word | other


@dataclass(frozen=True)
class Found:
    """What the English layer read: the time, or the scheduler's refusal, and its spans."""

    parsed: ParsedTime | None
    error: TimeParseError | None
    spans: tuple[tuple[int, int], ...]
    clock_given: bool


def tokens(text: str) -> list[Token]:
    found = []
    for match in _TOKEN.finditer(text.replace("’", "'")):
        kind = match.lastgroup or "other"
        word = match.group(0).lower()
        if word.endswith("'s") and word[:-2] in _POSSESSIVE_DAYS:  # "Sunday's lunch", "tomorrow's call"
            word = word[:-2]
        found.append(Token(word, match.start(), match.end(), kind))
    return found


def _is_time_word(toks: list[Token], i: int, original: str) -> bool:
    tok = toks[i]
    word = tok.text
    before = toks[i - 1].text if i > 0 else ""
    after = toks[i + 1] if i + 1 < len(toks) else None
    if tok.kind in ("iso", "clock", "ampm", "num"):
        return True
    if tok.kind == "zone":
        return True
    if word == ",":
        return True
    if word in ("to", "past"):
        hour_after = after is not None and (after.text in HOUR_WORDS or after.text.isdigit())
        numbered = before in NUMBERS or before.isdigit() or before in ("minutes", "minute")
        return before in ("half", "quarter") or (numbered and hour_after and _clock_ends(toks, i + 2))
    if word in HOUR_WORDS and before in ("past", "to", "after"):
        return True  # "quarter past eleven"
    if word in _ANCHORS or word in _CONNECTORS or word in _FULL_DAYS or word in NUMBERS or word in ORDINALS:
        return True
    if word in _SHORT_DAYS:
        listed = before in (",", "and", "&", "+") and i >= 2 and toks[i - 2].text in WEEKDAYS  # "tue, thu"
        timed = after is not None and after.kind in ("num", "clock", "ampm")
        return listed or before in _DAY_QUALIFIERS or timed
    if word in MONTHS or word.rstrip(".") in MONTHS:
        if before in _UNTIL or (before == "of" and i >= 2 and toks[i - 2].text == "end"):
            return True  # "until June", "until the end of March"
        nearby = [toks[j] for j in (i - 1, i - 2) if j >= 0]
        if nearby and nearby[0].text == "of":
            nearby = nearby[1:]
        return bool(nearby and nearby[0].kind == "num") or (after is not None and after.kind == "num")
    if _in_city_time(toks, i):
        return True
    if word in ABBREVIATIONS:
        return original[tok.start : tok.end].isupper() or word in ("utc", "gmt")
    return False


_UNTIL = {"until", "till", "til", "through", "thru", "ending"}
_AFTER_CLOCK = {
    "am", "pm", "o'clock", "oclock", "tonight", "today", "tomorrow", "tmrw", "this", "in", "on", "at",
    "every", "each", "and", "to", "for", "sharp",
}  # fmt: skip


def _clock_ends(toks: list[Token], i: int) -> bool:
    """ "ten to 3" ends a clock time here: the text ends, or what follows goes with a time
    (not "10 to 3 people")."""
    return i >= len(toks) or toks[i].kind != "word" or toks[i].text in _AFTER_CLOCK
_CITY_WORDS = [name.split() for name in CITIES]


def _in_city_time(toks: list[Token], i: int) -> bool:
    """The token is part of a place's name followed by "time" ("9am New York time")."""
    for words in _CITY_WORDS:
        for k, word in enumerate(words):
            first, after = i - k, i - k + len(words)
            if toks[i].text != word or first < 0 or after >= len(toks):
                continue
            if [t.text for t in toks[first:after]] == words and toks[after].text == "time":
                return True
    return False


def runs(toks: list[Token], original: str) -> list[list[Token]]:
    """Maximal stretches of time words, trimmed of the words that only join them."""
    found: list[list[Token]] = []
    current: list[Token] = []
    for i in range(len(toks)):
        if toks[i].text == "," and i + 1 < len(toks) and toks[i + 1].text in _UNTIL_WORDS:
            found.append(current)  # "log my hours, until the end of August": the end starts anew
            current = []
            continue
        if _is_time_word(toks, i, original) and len(current) < MAX_RUN:
            current.append(toks[i])
            continue
        found.append(current)
        current = [toks[i]] if _is_time_word(toks, i, original) else []
    found.append(current)
    return [r for r in (_trim(run) for run in found) if r]


def _trim(run: list[Token]) -> list[Token]:
    while run and run[-1].text in _TRAIL_DROP:
        run = run[:-1]
    while run and run[0].text in _LEAD_DROP and not _counts_unit(run):
        run = run[1:]
    if len(run) == 1 and run[0].text in _PARTS:  # "good morning" names no time
        return []
    return run


_UNITS = {"minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "fortnight", "month", "year"}


def _counts_unit(run: list[Token]) -> bool:
    """ "a week from today": the "a" is the number of weeks, not a joining word."""
    return run[0].text in ("a", "an") and len(run) > 1 and run[1].text in _UNITS


def words(run: list[Token]) -> str:
    return " ".join(t.text for t in run)


def slots(text: str) -> set[str]:
    """What a run names: recur, rel (an offset), clock, day."""
    named: set[str] = set()
    if _TRIGGER.search(text):
        named.add("recur")
    if sp._RELATIVE.search(text):
        named.add("rel")
    try:
        if sp.extract_time(text)[0] is not None:
            named.add("clock")
    except TimeParseError:
        named.add("clock")
    day_patterns = (sp._ISO, sp._DAY_MONTH, sp._MONTH_DAY, sp._DAY_WORDS, sp._WEEKDAY, _ORDINAL_DAY)
    if "recur" not in named and any(p.search(text) for p in day_patterns):
        named.add("day")
    if "clock" in named and not _CLOCK_SAID.search(text):
        named = (named - {"clock"}) | {"part"}  # "tonight", "this evening": a clock time may follow
    if _END_OF_REPEAT.match(text) and "recur" not in named:
        return {"end"}  # "…, until the end of August": where a repeat said earlier stops
    if _BARE_YEARLY.match(text):
        named.add("yearly")  # "mum's birthday is 14 feb, remind me every year on the day"
    return named


_BARE_YEARLY = re.compile(
    r"(?:every|each) year\b(?:\s+on\s+(?:the|that)\s+day)?(?:\s+at\s+\S+(?:\s*[ap]m)?)?\s*$"
    r"|(?:yearly|annually)\s*$"
)


_UNTIL_WORDS = ("until", "till", "til", "through", "thru", "ending")
_END_OF_REPEAT = re.compile(rf"(?:{'|'.join(_UNTIL_WORDS)})\b")


#: A clock time said as such, not only a part of the day.
_CLOCK_SAID = re.compile(
    r"\d|\b(?:o'?clock|oclock|half|quarter|noon|midday|midnight|lunchtime|"
    + "|".join(HOUR_WORDS)
    + r")\b"
)
#: A repeat said in one word, whose day or days may come later ("a weekly reminder on Fridays").
_FREQUENCY_WORDS = {"daily", "nightly", "weekly", "fortnightly", "monthly", "yearly", "annually"}


def _compatible(have: set[str], new: set[str]) -> bool:
    if not new or have & new:
        return False
    if "end" in new or "end" in have:
        return "recur" in have | new
    if "yearly" in new and "day" in have and not {"rel", "recur"} & have:
        return True
    return not ({"rel", "recur"} & have and {"rel", "recur", "day"} & new) and not (
        {"rel", "recur"} & new and {"rel", "recur", "day"} & have
    )


def choose(candidates: list[list[Token]]) -> list[list[Token]]:
    """The first run that names a time, and the later ones that add what it lacks."""
    chosen: list[list[Token]] = []
    have: set[str] = set()
    for run in candidates[:MAX_CANDIDATES]:
        named = slots(words(run))
        if not named:
            continue
        if not chosen or _compatible(have, named) or _after_frequency_word(chosen, named):
            chosen.append(run)
            have |= named
    return chosen


def _after_frequency_word(chosen: list[list[Token]], named: set[str]) -> bool:
    """ "weekly" … "on Fridays at 4pm": the later run says when the repeat falls."""
    lone = len(chosen) == 1 and words(chosen[0]) in _FREQUENCY_WORDS
    return lone and "rel" not in named


def _explicit_dates(text: str, now: date) -> str:
    """ "the 3rd" (of no month) -> the next 3rd of a month, as "3 march 2027"."""

    def replace(match: re.Match[str]) -> str:
        day = int(match.group(1))
        year, month = now.year, now.month
        if day < now.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return f"{day} {calendar.month_name[month].lower()} {year}"  # a 31st that is not: refused

    if _TRIGGER.search(text):  # "every month on the 15th" belongs to the repeat
        return text
    return _ORDINAL_DAY.sub(replace, text)


def read(text: str, now: datetime, tz: str) -> Found | None:
    toks = tokens(text)
    chosen = choose(runs(toks, text))
    if not chosen:
        return None
    local_today = now.astimezone(zone(tz)).date()
    for group in (chosen, chosen[:1]):
        phrase = _explicit_dates(" ".join(words(r) for r in group), local_today)
        try:
            parsed = parse_when(phrase, now, tz, fallback=False)
        except TimeParseError as exc:
            if exc.kind == "unparsed":
                continue
            clock_given = any(_names_clock(r) for r in group)
            return Found(None, exc, tuple((r[0].start, r[-1].end) for r in group), clock_given)
        group = [_shave(r, group, parsed, now, tz, local_today) for r in group]
        spans = tuple((r[0].start, r[-1].end) for r in group)
        clock_given = any(_names_clock(r) for r in group)
        return Found(parsed, None, spans, clock_given)
    return None


def _names_clock(run: list[Token]) -> bool:
    """A clock time, or an offset ("in 20 minutes"): no default time of day was used."""
    named = slots(words(run))
    return "rel" in named or ("clock" in named and not _only_part(run))


def _only_part(run: list[Token]) -> bool:
    """The run's time of day is a part of the day ("tomorrow morning"), not a clock time."""
    return not any(
        t.kind in ("clock", "ampm", "iso") or t.text in ("o'clock", "oclock") for t in run
    ) and not (re.search(r"\bat\s+\d|\bhalf\b|\bquarter\b", words(run)))


def _shave(
    run: list[Token], group: list[list[Token]], parsed: ParsedTime, now: datetime, tz: str, today: date
) -> list[Token]:
    """Leave out a number at either end that does not change the time ("for 2 tomorrow")."""
    for side in (0, -1):
        cut = _without_edge_number(run, side)
        if cut is None or cut == run or not cut:
            continue
        phrase = " ".join(words(cut if r is run else r) for r in group)
        try:
            again = parse_when(_explicit_dates(phrase, today), now, tz, fallback=False)
        except TimeParseError:
            continue
        if (again.start, again.rrule, again.note) == (parsed.start, parsed.rrule, parsed.note):
            run = cut
    return run


def _without_edge_number(run: list[Token], side: int) -> list[Token] | None:
    if side == 0:
        i = 0
        while i < len(run) - 1 and run[i].text in _CONNECTORS:
            i += 1
        said_at = any(t.text == "at" for t in run[:i])  # "at 8 tonight": the 8 is the time
        if run[0].text in _PARTS and i == 0 and len(run) > 1:
            return run[1:]  # "parents evening on Thursday at 6.30pm": kept only if the time needs it
        if not said_at and (run[i].text.isdigit() or run[i].text in NUMBERS):
            return run[i + 1 :]
        return None
    if run[-1].text.isdigit() or run[-1].text in NUMBERS:
        if len(run) > 1 and (_is_year(run[-1], run[-2]) or run[-2].text == "at"):
            return None  # "14 February 2027": the year stays with its date; "at 7" is a time
        return run[:-1]
    return None


def _is_year(tok: Token, before: Token) -> bool:
    return len(tok.text) == 4 and tok.text.isdigit() and (
        before.text.rstrip(".,") in MONTHS or before.kind == "num"
    )
