"""understand(text, now, tz): intent, "what", time, language and how sure, without a model.

Cues (``cues.py``) score every intent; the intent whose strong cue comes first leads, and cues
that come after it count half ("remind me to cancel the gym" is a reminder, not a cancel). A
clear winner whose slots are filled is *sure*: the agent calls the tool with what was
understood here and no model call. A near tie leaves a few ``candidates`` for the constrained
model stage to choose among. Times come only from ``when.find_when``: never from a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from assistant.scheduler.vocabulary import DAY_RE
from assistant.understand import what as words
from assistant.understand.before import before_anchor
from assistant.understand.cues import all_matches
from assistant.understand.destination import destination, in_order_sentence, moved_by
from assistant.understand.gates import WHEN_IS, allowed, is_text_task
from assistant.understand.holidays import name_dates
from assistant.understand.language import language_of
from assistant.understand.note import is_terse_note
from assistant.understand.spelling import in_users_words, mend_with_edits
from assistant.understand.when import When, WhenProblem, find_when

INTENTS = (
    "add_reminder",
    "add_event",
    "list_agenda",
    "cancel",
    "move",
    "snooze",
    "complete",
    "search_chats",
    "search_facts",
    "search_documents",
    "none",
)
#: Longer requests are pastes, not commands: no tool is chosen from them.
MAX_UNDERSTOOD_CHARS = 2000
SURE = 0.75
#: "dentist thu 3pm": a note with a time and no verb is a reminder (the card confirms it).
NOTE_CONFIDENCE = 0.8
_ADDS = ("add_reminder", "add_event")
_WHEN_INTENTS = (*_ADDS, "move")


@dataclass(frozen=True)
class Understanding:
    intent: str
    what: str  # reminder text, the words naming a reminder, or the search words
    when: When | WhenProblem | None
    language: str  # "en" | "zh"
    confidence: float
    candidates: tuple[str, ...] = ()  # a few intents, best first, when not sure
    when_text: str = ""  # the time words as the user wrote them
    period: str = ""  # list_agenda: the days asked about, in the user's words
    duration: str = ""  # snooze: how long, in the user's words
    shift: str = ""  # move by an amount: "+1 hour", "-半小时"

    @property
    def sure(self) -> bool:
        return self.confidence >= SURE

    @property
    def problem(self) -> WhenProblem | None:
        return self.when if isinstance(self.when, WhenProblem) else None


def understand(text: str, now: datetime, tz: str | None = None) -> Understanding:
    language = language_of(text)
    if not text.strip() or len(text) > MAX_UNDERSTOOD_CHARS:
        return Understanding("none", "", None, language, 1.0)
    mended, typos = mend_with_edits(text)
    text, holidays = name_dates(mended)
    understood = _understood(text, now, tz, language)
    edits = typos + holidays
    if not edits:
        return understood
    users = partial(in_users_words, edits=edits)
    return replace(
        understood,
        what=users(understood.what),
        when_text=users(understood.when_text),
        period=users(understood.period),
        duration=users(understood.duration),
        shift=users(understood.shift),
    )


def _understood(text: str, now: datetime, tz: str | None, language: str) -> Understanding:
    if is_text_task(text):
        return Understanding("none", "", None, language, 0.9)
    matches = all_matches(text)
    when = before_anchor(text, now, tz) or in_order_sentence(text, now, tz, find_when(text, now, tz), matches)
    by = words.shift(text, language) if when is None else ""
    ranked = rank(text, has_time=isinstance(when, When | WhenProblem), matches=matches, shifted=bool(by))
    intent, confidence, candidates = decide(ranked)
    if intent == "none" and all(w < 2 for _, w, _ in matches) and is_terse_note(text, when, language):
        intent, confidence, candidates = "add_reminder", NOTE_CONFIDENCE, ()
    old_time: tuple[tuple[int, int], ...] = ()
    if intent == "move":
        when, old_time = destination(text, now, tz, when)
        if isinstance(when, When) and not when.clock_given and words.shift(text, language):
            # "周五的会往后推两天": the day only names the meeting; it moves from its own time
            old_time, by = when.spans, words.shift(text, language)
            when = None
        if not old_time and language == "en":
            when, old_time = moved_by(text, when)
    understood = _fill(text, intent, confidence, candidates, when, language, old_time)
    if intent == "move" and when is None and by:
        amount = by[1:]
        named = words.reference(text.replace(amount, " " * len(amount)), old_time, language)
        return replace(understood, what=named, shift=by)
    return understood


def rank(
    text: str, has_time: bool, matches: list[tuple[str, int, int]] | None = None, shifted: bool = False
) -> list[tuple[str, float]]:
    """Intents by score, best first. The first strong cue leads; later cues of others count half.
    ``shifted``: the words move something by an amount ("推迟一个小时"), a time for a move only."""
    matches = all_matches(text) if matches is None else matches
    lead = next(((i, p) for i, w, p in sorted(matches, key=lambda m: m[2]) if w >= 3), None)
    totals: dict[str, float] = {}
    for intent, weight, position in matches:
        after_lead = lead is not None and intent != lead[0] and position > lead[1]
        totals[intent] = totals.get(intent, 0.0) + (weight / 2 if after_lead else weight)
    if lead is not None:
        totals[lead[0]] += 1
    for intent in (*_ADDS, "list_agenda", "move"):
        if intent in totals and (has_time or (shifted and intent == "move")):
            totals[intent] += 1
    totals = {i: v for i, v in totals.items() if allowed(i, text, has_time or (shifted and i == "move"), v)}
    _merge_adds(totals)
    return sorted(totals.items(), key=lambda kv: (-kv[1], INTENTS.index(kv[0])))


def _merge_adds(totals: dict[str, float]) -> None:
    """A reminder and an event are one family (one tool, two kinds): they never compete."""
    if "add_reminder" in totals and "add_event" in totals:
        loser = "add_reminder" if totals["add_event"] > totals["add_reminder"] else "add_event"
        winner = "add_event" if loser == "add_reminder" else "add_reminder"
        totals[winner] = max(totals[winner], totals.pop(loser))


def decide(ranked: list[tuple[str, float]]) -> tuple[str, float, tuple[str, ...]]:
    """(intent, confidence, candidates): sure when the best clearly beats the rest."""
    if not ranked or ranked[0][1] < 2:
        return "none", 0.9 if not ranked else 0.6, () if not ranked else (ranked[0][0], "none")
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = round(min(1.0, (top - second) / max(top, 1.0) + (0.5 if top >= 3 else 0.2)), 2)
    if confidence >= SURE:
        return best, confidence, ()
    close = tuple(name for name, score in ranked[:3] if score >= top - 2)
    return best, confidence, close if len(close) > 1 else (best, "none")


def _fill(
    text: str,
    intent: str,
    confidence: float,
    candidates: tuple[str, ...],
    when: When | WhenProblem | None,
    language: str,
    old_time: tuple[tuple[int, int], ...] = (),
) -> Understanding:
    spans = when.spans if when is not None else ()
    when_text = (" " if language == "en" else "").join(text[s:e] for s, e in spans).strip()
    base = Understanding(intent, "", when, language, confidence, candidates, when_text)
    if intent in _ADDS:
        return replace(base, what=words.reminder_text(text, spans, language))
    if intent in ("cancel", "move", "complete", "snooze"):
        dur = words.duration(text, language) or "" if intent == "snooze" else ""
        # "推迟半小时再提醒我" names no reminder (blanked in place: the spans keep their offsets)
        named = text.replace(dur, " " * len(dur)) if dur else text
        if intent == "snooze" and not dur and isinstance(when, When):
            dur = when_text  # "remind me again tomorrow morning": until then
        what = words.at_hand(words.reference(named, spans + old_time, language), text, intent, language)
        return replace(base, what=what, duration=dur)
    if intent == "list_agenda":
        return replace(base, period=agenda_period(text, when, when_text))
    if intent.startswith("search_"):
        return replace(base, what=words.query_words(text, language))
    return base


_WEEKS = re.compile(
    r"\b(?:this|next|the) (?:week|weekend)\b|\bweekend\b|\bnext \d+ days\b|\bupcoming\b|"
    r"(?:这|本|下)(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天末1-7])|这个?周末|周末|下周末",
    re.IGNORECASE,
)
_DAYS = re.compile(r"\b(?:today|tonight|tomorrow)\b|今天|今晚|明天|后天|大后天", re.IGNORECASE)
#: "busy tues?": a day named alone, for the agenda tool to read.
_DAY_NAME = re.compile(rf"\b(?:{DAY_RE})\b", re.IGNORECASE)


def agenda_period(text: str, when: When | WhenProblem | None, when_text: str) -> str:
    """The days an agenda question is about, in the user's words ("这周六", "this week")."""
    weeks = _WEEKS.search(text)
    if weeks:
        return weeks.group(0)
    if isinstance(when, When) and when_text:
        return re.sub(r"^(?:on|for|at|in)\s+", "", when_text, flags=re.IGNORECASE)
    days = _DAYS.search(text) or _DAY_NAME.search(text)
    if days:
        return days.group(0)
    if WHEN_IS.search(text):
        return "upcoming"  # "when is my dentist appointment?": the weeks ahead
    return when_text or ("today" if language_of(text) == "en" else "今天")
