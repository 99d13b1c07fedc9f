"""Fast typing's slips in the words the understanding layer keys on: "remnid me tmorrow".

Only a small vocabulary is mended (the cue verbs and the time words), never the user's own
words: a token is replaced when it is one edit (an insertion, a deletion, a substitution or two
neighbours swapped) away from exactly one vocabulary word, two edits for long words. Words the
vocabulary already holds, short words (where one edit reaches too many real words) and words
that start with another letter are left alone. The cue tables and the time layer then read the
mended sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.scheduler.vocabulary import MONTHS, WEEKDAYS

_CUES = (
    "remind", "reminder", "reminders", "reminding", "reminded", "schedule", "calendar", "appointment",
    "cancel", "delete", "reschedule", "postpone", "snooze", "tomorrow", "tonight", "today", "morning",
    "afternoon", "evening", "minutes", "minute", "hours", "weekday", "weekdays", "weekend", "fortnight",
    "every", "month", "monthly", "weekly", "o'clock", "quarter", "please", "forget", "remember",
)  # fmt: skip
#: Real words one edit away from a vocabulary word: left as they are.
_KEEP = {
    "remains", "remain", "remained", "remainder", "remainders", "reminds", "remand", "rewind",
    "cancer", "mouth", "mouths", "match", "marches", "sundae", "forge", "forged", "quartet",
    "mourning", "mooring", "eventing", "minuets", "pleased", "pleases", "deleted", "canceled",
    "quarterly", "fortnightly", "mornings", "evenings", "afternoons", "forgot", "remembers",
    "weekends", "months", "reminders", "canceling", "cancelled", "scheduled", "schedules",
}  # fmt: skip
_VOCABULARY = frozenset(
    {*_CUES, *(w for w in MONTHS if len(w) > 4), *(w for w in WEEKDAYS if len(w) > 5)}
)
_WORD = re.compile(r"[A-Za-z][a-z']{3,15}\b")
#: Texting shorthands for the day words (the parser knows "tmrw" and "tmr" itself).
_SHORTHAND = {"2moro": "tomorrow", "2morrow": "tomorrow", "2mrw": "tomorrow", "tomoz": "tomorrow",
              "2nite": "tonight", "2night": "tonight", "tonite": "tonight", "2day": "today",
              "nxt": "next", "evry": "every", "evrey": "every", "eveyr": "every"}  # fmt: skip
_SHORTHAND_RE = re.compile(r"\b(" + "|".join(_SHORTHAND) + r")\b", re.IGNORECASE)


def _within_one(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` with one edit or one swap of neighbouring letters."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        if len(diffs) != 2 or diffs[1] != diffs[0] + 1:
            return False
        first = diffs[0]
        return a[first] == b[first + 1] and a[first + 1] == b[first]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]


def _within_two(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 2:
        return False
    if any(_within_one(a[:i] + a[i + 1 :], b) for i in range(len(a))):
        return True
    return any(_within_one(a, b[:i] + b[i + 1 :]) for i in range(len(b)))


def _likeliest(word: str, close: list[str]) -> str:
    """Of several vocabulary words in reach, the one that ends as typed, else the shortest
    ("reminde" -> "remind", "minuts" -> "minutes")."""
    same_end = [v for v in close if v[-1] == word[-1]]
    return min(same_end or close, key=len)


@lru_cache(maxsize=4096)
def mended(word: str) -> str:
    """The vocabulary word ``word`` was meant to be, or ``word`` itself."""
    lower = word.lower()
    if lower in _VOCABULARY or lower in _KEEP or len(lower) < 5:
        return word
    close = [v for v in _VOCABULARY if v[0] == lower[0] and _within_one(lower, v)]
    if not close and len(lower) >= 7:
        close = [v for v in _VOCABULARY if v[0] == lower[0] and len(v) >= 7 and _within_two(lower, v)]
    return _likeliest(lower, close) if close else word


def mend(text: str) -> str:
    """``text`` with the vocabulary's misspellings mended (everything else as typed). A word
    capitalised inside a sentence is a name ("call Monty"), never mended."""
    return mend_with_edits(text)[0]


def mend_with_edits(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The mended text and each (mended, as typed) pair, to give the user's own words back."""
    edits: list[tuple[str, str]] = []

    def shorthand(match: re.Match[str]) -> str:
        edits.append((_SHORTHAND[match.group(1).lower()], match.group(0)))
        return edits[-1][0]

    def one(match: re.Match[str]) -> str:
        word, before = match.group(0), text[: match.start()].rstrip()
        if word[0].isupper() and before and before[-1] not in ".!?":
            return word
        fixed = mended(word)
        if fixed != word:
            edits.append((fixed, word))
        return fixed

    text = _SHORTHAND_RE.sub(shorthand, text)
    return _WORD.sub(one, text), edits


def in_users_words(value: str, edits: list[tuple[str, str]]) -> str:
    """``value`` (read from the mended text) with each mended word as the user typed it: a tool
    call carries only the user's own words."""
    for fixed, typed in edits:
        pattern = re.compile(rf"(?<![\w']){re.escape(fixed)}(?![\w'])", re.IGNORECASE)
        value = pattern.sub(typed.replace("\\", "\\\\"), value)
    return value
