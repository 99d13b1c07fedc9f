"""Where a move goes: "把周五的家长会改到下周一下午四点", "move Friday's call to Monday at 4".

A move names two times: the one the reminder has now (it helps name the reminder) and the one
it goes to. The one it goes to follows the move verb's "to"/"到"; read alone, it is the new
time, and the old time's words are left out of the reminder's name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

from assistant.understand.what import shift
from assistant.understand.when import When, WhenProblem, find_when, names_only_a_clock
from assistant.understand.when_types import Span
from assistant.understand.when_zh import slots
from assistant.understand.when_zh_resolve import bare_clock

_CJK = re.compile(r"[\u3400-\u9fff]")
_TARGET = re.compile(
    r"(?:改到|改成|改在|推迟到|延后到|推后到|提前到|挪到|移到|换到|调到|往后推到)"
    r"|\b(?:move|moving|reschedule|postpone|push|bring|shift|delay|change|put)\b[^.?!]{0,60}?\b(?P<to>to|until|till)\b",
    re.IGNORECASE,
)


def destination(
    text: str, now: datetime, tz: str | None, when: When | WhenProblem | None
) -> tuple[When | WhenProblem | None, tuple[Span, ...]]:
    """The time a move goes to, and the spans of the time it is at now (to leave out of its name)."""
    target = _TARGET.search(text)
    if target is None:
        return when, ()
    later = find_when(text[target.end() :], now, tz)
    if later is None:
        return when, ()
    head = target.start("to") if target.group("to") else target.start()
    earlier = find_when(text[:head], now, tz) if head > 0 else None
    if isinstance(earlier, When) and isinstance(later, When):
        later = _on_the_old_day(later, earlier, text[target.end() :])
    return _shifted(later, target.end()), earlier.spans if earlier is not None else ()


def moved_by(
    text: str, when: When | WhenProblem | None
) -> tuple[When | WhenProblem | None, tuple[Span, ...]]:
    """ "The gym reminder at 8 tonight, delay it by 45 minutes": the time said is where the
    reminder is now (it names it), the new time that much later or earlier."""
    by = shift(text, "en")  # "+45 minutes": the amount with its direction, as a move "by" reads it
    if not isinstance(when, When) or not by or when.rrule is not None:
        return when, ()
    amount = by[1:]
    at = text.find(amount)
    if at < 0 or any(s <= at < e for s, e in when.spans):
        return when, ()
    from assistant.scheduler.single import relative_delta

    start = when.start + (-1 if by[0] == "-" else 1) * relative_delta(amount)
    spans = (*when.spans, (at, at + len(amount)))
    return replace(when, start=start, spans=spans, clock_given=True), when.spans


def _on_the_old_day(new: When, old: When, words: str) -> When:
    """"把今晚8点的健身改成9点半": a new time of day alone stays on the old time's day, and a
    bare hour (9点半, neither morning nor evening said) is the one nearer the old time (21:30);
    "今晚8点的健身改到明天": a new day alone keeps the old time of day."""
    said = "".join(words[s:e] for s, e in new.spans)
    if new.rrule or old.rrule or not _CJK.search(said):
        return new
    old_start = old.start.astimezone(new.start.tzinfo)
    if not new.clock_given and old.clock_given and not set(slots(said).pieces) & {"part", "rel"}:
        start = new.start.replace(hour=old_start.hour, minute=old_start.minute)
        return replace(new, start=start, clock_given=True)
    if not names_only_a_clock(said):
        return new
    start = old_start.replace(hour=new.start.hour, minute=new.start.minute, second=0, microsecond=0)
    if bare_clock(slots(said)):
        morning = start.replace(hour=start.hour % 12)
        halves = (morning, morning + timedelta(hours=12))
        start = min(halves, key=lambda t: abs((t - old_start).total_seconds()))
    return replace(new, start=start)


def _shifted(found: When | WhenProblem, shift: int) -> When | WhenProblem:
    """``found`` read in a part of the text that starts at ``shift``, with spans in the whole."""
    moved: When | WhenProblem = replace(found, spans=tuple((s + shift, e + shift) for s, e in found.spans))
    if isinstance(moved, When):
        moved = replace(moved, span=(moved.span[0] + shift, moved.span[1] + shift))
    return moved


#: A sentence ends at 。！？ or at .!? before a space ("6.30pm" is no end).
_SENTENCE = re.compile(r"(?:[^.!?。！？]|[.!?](?!\s|$))+[.!?。！？]*")
_ORDER_INTENTS = ("add_reminder", "add_event", "move", "snooze")


def in_order_sentence(
    text: str,
    now: datetime,
    tz: str | None,
    when: When | WhenProblem | None,
    cues: list[tuple[str, int, int]],
) -> When | WhenProblem | None:
    """The time of the sentence that gives the order: in "The optician says they'll be ready
    next week. Remind me on Jan 28th at 5pm to pick them up", the first sentence's "next week"
    is context, not the reminder's time."""
    orders = sorted(p for intent, weight, p in cues if intent in _ORDER_INTENTS and weight >= 2)
    if when is None or not orders:
        return when
    sentence = next((m for m in _SENTENCE.finditer(text) if m.start() <= orders[0] < m.end()), None)
    if sentence is None:
        return when
    if all(sentence.start() <= s and e <= sentence.end() for s, e in when.spans):
        return _in_order_clause(text, now, tz, when, orders[0], sentence.end())
    own = find_when(sentence.group(0), now, tz)
    if own is None:
        return when
    return _in_order_clause(text, now, tz, _shifted(own, sentence.start()), orders[0], sentence.end())


#: Where a clause of context ends and the order begins: "…is coming friday between 10 and 12
#: so can you remind me friday at 9:30 to …", "…which is thursday morning, can you nudge me …".
_CLAUSE_END = re.compile(r"[,;:，；：]\s*|\s+(?:so|but|then)\s+|\s+-+\s+", re.IGNORECASE)


def _in_order_clause(
    text: str, now: datetime, tz: str | None, when: When | WhenProblem, order: int, end: int
) -> When | WhenProblem:
    """The clock time said in the order's own clause, when a time of the context came before it."""
    inside = [m.end() for m in _CLAUSE_END.finditer(text, 0, order)]
    starts = [c for c in inside if not any(s < c < e for s, e in when.spans)]  # "every Mon, Wed"
    if not starts or not any(s < starts[-1] for s, _ in when.spans):
        return when
    clause = text[starts[-1] : end]
    own = find_when(clause, now, tz)
    # "bins go out every tues night, remind me at 8pm": a clock alone sets the context's day
    if not isinstance(own, When) or names_only_a_clock(clause):
        return when
    if own.rrule == "FREQ=YEARLY":  # "…is 14 July, remind me every year at 9am": on that date
        return when
    # "孩子8月20号开学，19号那天提醒我…": in Chinese the order's time stands right before its verb
    said_for_order = bool(_CJK.search(clause)) and own.span[1] >= order - starts[-1] - _BEFORE_VERB
    if not (own.clock_given or said_for_order):
        return when
    return _shifted(own, starts[-1])


#: How far (characters: "那天", "你") the order's own time may stand before 提醒我.
_BEFORE_VERB = 3
