"""Reminders and events. Times are the user's words, parsed here, shown back before saving."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from assistant.agent.registry import UNDERSTOOD_WHEN, ToolContext, ToolError, ToolRegistry
from assistant.scheduler.parse import (
    ParsedTime,
    TimeParseError,
    format_time,
    localize,
    parse_single,
    parse_when,
)
from assistant.scheduler.store import Reminder, ReminderStore
from assistant.scheduler.zones import zone
from assistant.tools import schedule_text as say
from assistant.understand.spelling import mend
from assistant.understand.when import When, WhenProblem, find_when, names_only_a_clock

MAX_LISTED = 50


def _store(ctx: ToolContext) -> ReminderStore:
    if ctx.reminders is None:
        raise ToolError(say.unavailable(ctx))
    return ctx.reminders


def _parse(ctx: ToolContext, when: str) -> ParsedTime:
    """The time the user's words name: the understanding layer's own reading when the agent
    passed one, else ``find_when`` (English and Chinese), else the older English parser."""
    found = ctx.extra.get(UNDERSTOOD_WHEN, {}).get(when) or find_when(mend(when), ctx.now(), ctx.tz)
    if isinstance(found, WhenProblem):
        raise ToolError(found.message_zh if ctx.extra.get("language") == "zh" else found.message_en)
    if isinstance(found, When):
        return _parsed(found, ctx.tz)
    try:
        return parse_when(when, ctx.now(), ctx.tz)
    except TimeParseError as exc:
        hint = ""
        if exc.options:
            hint = " Options: " + "; ".join(format_time(o) for o in exc.options)
        raise ToolError(f"{exc.message}{hint} Ask the user which time they mean.") from exc


def _parsed(when: When, tz: str) -> ParsedTime:
    start = when.start
    if start.tzinfo is None:
        start = localize(start, zone(tz))[0]
    return ParsedTime(start, str(getattr(start.tzinfo, "key", "") or tz), when.rrule)


#: References that mean every active reminder.
ALL_REFERENCES = frozenset(
    {"all", "everything", "all reminders", "all my reminders", "every reminder", "所有", "全部",
     "所有提醒", "全部提醒", "*"}
)


#: References to the reminder that came due last: "snooze that", "推迟半小时再提醒我".
LAST_DUE = frozenset(
    {"it", "that", "this", "that one", "this one", "the last one", "它", "这个", "那个", "这条", "那条",
     "刚才那个", "刚才的"}
)


def _last_due(ctx: ToolContext) -> list[Reminder]:
    """The active reminder that most recently came due (the one just shown)."""
    now = ctx.now().timestamp()
    came = [r for r in _store(ctx).list() if _came_due(r) and r.handled_through <= now + 1]
    if not came:
        raise ToolError(say.nothing_due(ctx))
    return [max(came, key=lambda r: r.handled_through)]


#: How long after a reminder came due "that" still means it rather than the newest one.
JUST_DUE_SECONDS = 15 * 60


def _came_due(reminder: Reminder) -> bool:
    """Whether a time of it was shown: a new reminder's handled mark is its creation, before its start."""
    return reminder.handled_through >= reminder.start.timestamp()


def _just_mentioned(ctx: ToolContext) -> list[Reminder]:
    """ "that": the reminder that came due in the last minutes (its notice was just shown), else
    the newest one (the one just saved); the confirmation card names it before anything changes."""
    active = _store(ctx).list()
    now = ctx.now().timestamp()
    due = [r for r in active if _came_due(r) and now - JUST_DUE_SECONDS <= r.handled_through <= now + 1]
    if due:
        return [max(due, key=lambda r: r.handled_through)]
    if not active:
        raise ToolError(say.nothing_due(ctx))
    return [max(active, key=lambda r: r.id)]


def refers_to_all(arguments: dict[str, Any]) -> bool:
    return str(arguments.get("reminder", "")).strip().lower() in ALL_REFERENCES


def _resolve(
    ctx: ToolContext, reminder: str, last_due: bool = False, in_view: bool = False
) -> list[Reminder]:
    """A reference the model copied from the user: "#3", "3", "all", or words of its text;
    ``last_due``: none, "that" or "it" mean the reminder that just came due (a snooze, "取消这个");
    else "that" is the one in view (just shown or just saved), and so is none when ``in_view``
    (a bare "done", "这个做完了")."""
    store = _store(ctx)
    ref = reminder.strip()
    if refers_to_all({"reminder": ref}):
        return store.list()
    if last_due and (not ref or ref.casefold() in LAST_DUE):  # "snooze that", "推迟半小时再提醒我"
        return _last_due(ctx)
    if ref.casefold() in LAST_DUE or (in_view and not ref):  # "scrap that", "done ✅": the one in view
        return _just_mentioned(ctx)
    number = re.fullmatch(r"#?(\d+)", ref)
    if number:
        return [store.require(int(number.group(1)))]
    found = store.find(ref)
    if not found:
        raise ToolError(say.no_match(ctx, ref))
    if len(found) > 1:
        raise ToolError(say.many_match(ctx, ref, found))
    return found


_LEAD = re.compile(
    r"^(please\s+)?(remind me( to| about| of)?|set (a|an) (reminder|alarm)( to| for| about)?|"
    r"add (a|an)?\s*(reminder|event)?( to| for| about)?|schedule( a| an)?|put)\s+",
    re.IGNORECASE,
)


def reminder_text(text: str, when: str) -> str:
    """What the reminder is about: small models often quote the whole request ("Remind me
    tomorrow at 9 to call mum"); drop the time phrase and the "remind me to" lead-in."""
    cleaned = text.strip()
    if when.strip() and when.strip().lower() in cleaned.lower():
        at = cleaned.lower().index(when.strip().lower())
        cleaned = (cleaned[:at] + " " + cleaned[at + len(when.strip()) :]).strip()
    for _ in range(2):  # "remind me tomorrow to ..." leaves "remind me to ..." after the cut
        cleaned = _LEAD.sub("", cleaned).strip()
        cleaned = re.sub(r"^(to|about|of|for|on|at|in)(\s+|$)", "", cleaned, flags=re.IGNORECASE).strip()
    cleaned = re.sub(r"\s+(on|at|in|to)$", "", cleaned, flags=re.IGNORECASE).strip(" :,.;-")
    return cleaned or text.strip()


def preview_add(ctx: ToolContext, text: str, when: str, kind: str = "reminder") -> str:
    return say.add(ctx, reminder_text(text, when), _parse(ctx, when), kind)


def add_reminder(
    ctx: ToolContext, text: str, when: str, kind: Literal["reminder", "event"] = "reminder"
) -> dict[str, Any]:
    """Create a reminder or calendar event at a time, once or repeating.

    Args:
        text: what it is about, in the user's words (e.g. "call mum")
        when: the time exactly as the user said it (e.g. "tomorrow at 9", "every weekday at 8")
        kind: reminder (a notification) or event (an appointment in the agenda)
    """
    if not text.strip():
        raise ToolError(say.needs_text(ctx))
    parsed = _parse(ctx, when)
    text = reminder_text(text, when)
    saved = _store(ctx).add(text, parsed, kind=kind, conversation_id=ctx.conversation_id)
    return {
        "summary": say.added(ctx, saved, parsed),
        "reminder": saved.to_dict(),
    }


_ZH_PERIODS = {
    "今天": "today", "今晚": "tonight", "明天": "tomorrow", "这周": "this week", "本周": "this week",
    "这个星期": "this week", "这星期": "this week", "这个礼拜": "this week", "下周": "next week",
    "下个星期": "next week", "下星期": "next week", "下个礼拜": "next week", "周末": "this weekend",
    "这周末": "this weekend", "这个周末": "this weekend", "本周末": "this weekend", "下周末": "next weekend",
}


#: 这礼拜, 本星期, 下个礼拜, 这个周末: the same weeks as 这周, 下周, 这周末.
_ZH_WEEK = re.compile(r"^(这|本|下)(?:个)?(?:周|星期|礼拜|禮拜)")


def period_range(period: str, now: datetime) -> tuple[datetime, datetime, str]:
    """[start, end) in ``now``'s zone for "today", "this week", "Friday", "这周六", "next 7 days" ..."""
    period = mend(period)  # "tommorow", as the understanding layer reads it
    words = " ".join(period.lower().split()).strip(" ?.!？。") or "today"
    words = _ZH_PERIODS.get(_ZH_WEEK.sub(r"\1周", words), words)
    words = re.sub(r"^(?:(?:for|over|during|on|in) )?the (?=(?:coming )?week(?:end)?$)", "", words)
    day0 = datetime.combine(now.date(), time(0), now.tzinfo)
    monday = day0 - timedelta(days=now.weekday())
    fixed = {
        "today": (now, day0 + timedelta(days=1)),
        "tonight": (now, day0 + timedelta(days=1)),
        "tomorrow": (day0 + timedelta(days=1), day0 + timedelta(days=2)),
        "this week": (now, monday + timedelta(days=7)),
        "week": (now, now + timedelta(days=7)),
        "next week": (monday + timedelta(days=7), monday + timedelta(days=14)),
        "this weekend": (monday + timedelta(days=5), monday + timedelta(days=7)),
        "weekend": (monday + timedelta(days=5), monday + timedelta(days=7)),
        "next weekend": (monday + timedelta(days=12), monday + timedelta(days=14)),
        "upcoming": (now, now + timedelta(days=30)),
    }
    match = re.fullmatch(r"(?:the )?next (\d+) days", words)
    if match:
        return now, now + timedelta(days=int(match.group(1))), words
    if words in fixed:
        start, end = fixed[words]
        return start, end, words
    day = _period_day(period, words, now)
    start = datetime.combine(day, time(0), now.tzinfo)
    return start, start + timedelta(days=1), f"{start:%A %d %B}"


def _period_day(period: str, words: str, now: datetime) -> date:
    found = find_when(period, now, str(getattr(now.tzinfo, "key", "") or "UTC"))
    if isinstance(found, When):
        return found.start.astimezone(now.tzinfo).date()
    try:
        moment, _ = parse_single(words, now.replace(tzinfo=None), allow_past=True)
    except TimeParseError as exc:
        raise ToolError(f"Which days is {period!r}? {exc.message}") from exc
    return moment.date()


def list_agenda(ctx: ToolContext, period: str = "today") -> dict[str, Any]:
    """List reminders and events in a period.

    Args:
        period: "today", "tomorrow", "this week", "next week", a weekday or a date, in the user's words
    """
    current = ctx.now().astimezone(zone(ctx.tz))
    start, end, label = period_range(period, current)
    found = _store(ctx).agenda(start, end, include_done=False)
    items = [
        {
            "id": o.reminder.id,
            "text": o.reminder.text,
            "at": format_time(o.at),
            "start": o.at.isoformat(),
            "kind": o.reminder.kind,
        }
        for o in found[:MAX_LISTED]
    ]
    summary = say.agenda(ctx, len(found), label)
    return {"summary": summary, "label": label, "items": items, "truncated": len(found) > MAX_LISTED}


def preview_move(ctx: ToolContext, reminder: str, when: str = "", by: str = "") -> str:
    found = _one(ctx, reminder, in_view=True)
    return say.move(ctx, found, _new_time(ctx, found, when, by))


def _new_time(ctx: ToolContext, found: Reminder, when: str, by: str = "") -> ParsedTime:
    """Where a move goes. A clock time alone keeps the reminder's day ("move the retro to
    10am" moves Monday's retro to Monday 10:00), when that is still ahead; ``by`` moves it by
    an amount ("+1 hour", "-半小时")."""
    if by.strip():
        return _shifted(ctx, found, by.strip())
    if not when.strip():
        raise ToolError("Say the new time, or by how much to move it.")
    parsed = _parse(ctx, when)
    if parsed.rrule is not None or not names_only_a_clock(when):
        return parsed
    due = (found.next_due or found.start).astimezone(zone(parsed.tz))
    start, _ = localize(datetime.combine(due.date(), parsed.local.time()), zone(parsed.tz))
    return replace(parsed, start=start) if start > ctx.now() else parsed


def _shifted(ctx: ToolContext, found: Reminder, by: str) -> ParsedTime:
    sign, amount = (-1, by[1:]) if by.startswith("-") else (1, by.lstrip("+"))
    now = ctx.now()
    later = find_when(amount + "后" if re.search(r"[\u4e00-\u9fff]", amount) else "in " + amount, now, ctx.tz)
    if not isinstance(later, When) or later.rrule:
        raise ToolError(f"I could not read {amount!r} as an amount of time.")
    due = found.next_due or found.start
    start = due + sign * (later.start - now.replace(second=0, microsecond=0))
    if start <= now:
        raise ToolError("That would move it into the past.")
    return ParsedTime(start.astimezone(zone(found.tz)), found.tz, None)


def move_reminder(ctx: ToolContext, reminder: str, when: str = "", by: str = "") -> dict[str, Any]:
    """Move a reminder or event to a new time.

    Args:
        reminder: its number ("#3") or words from its text
        when: the new time exactly as the user said it
        by: or, instead of when, how much later (+) or earlier (-), e.g. "+1 hour", "-30 minutes"
    """
    found = _one(ctx, reminder, in_view=True)
    moved = _store(ctx).move(found.id, _new_time(ctx, found, when, by))
    return {"summary": say.moved(ctx, moved), "reminder": moved.to_dict()}


def preview_snooze(ctx: ToolContext, reminder: str, duration: str = "10 minutes") -> str:
    return say.snooze(ctx, _one(ctx, reminder, last_due=True), _snooze_until(ctx, duration))


_ZH_SPAN = re.compile(r"(?:[\d一二两三四五六七八九十]+(?:个)?半?|半(?:个)?)\s*(?:分钟|小时|钟头|天|刻钟)")
_EN_SPAN = re.compile(r"\b(?:minutes?|mins?|hours?|hrs?|days?|quarter of an hour)$", re.IGNORECASE)


def _snooze_until(ctx: ToolContext, duration: str) -> datetime:
    words = re.sub(r"^(?:for|by)\s+", "", duration.strip(), flags=re.IGNORECASE)
    if _ZH_SPAN.fullmatch(words):
        words += "后"  # 十分钟 -> 十分钟后
    elif _EN_SPAN.search(words) and not re.match(r"(?:in|after)\b", words, re.IGNORECASE):
        words = "in " + words  # "a quarter of an hour" -> "in a quarter of an hour"
    return _parse(ctx, words).start


def snooze_reminder(ctx: ToolContext, reminder: str, duration: str = "10 minutes") -> dict[str, Any]:
    """Snooze a reminder.

    Args:
        reminder: its number ("#3") or words from its text
        duration: how long, or until when, in the user's words ("10 minutes", "tomorrow morning")
    """
    found = _one(ctx, reminder, last_due=True)
    until = _snooze_until(ctx, duration)
    _store(ctx).snooze(found.id, until)
    return {
        "summary": say.snoozed(ctx, found, until),
        "reminder": found.to_dict(),
        "until": format_time(until),
    }


def preview_complete(ctx: ToolContext, reminder: str) -> str:
    return say.complete(ctx, _one(ctx, reminder, in_view=True))


def complete_reminder(ctx: ToolContext, reminder: str) -> dict[str, Any]:
    """Mark a reminder as done (for a repeating one: its next occurrence).

    Args:
        reminder: its number ("#3") or words from its text
    """
    done = _store(ctx).complete(_one(ctx, reminder, in_view=True).id)
    return {"summary": say.completed(ctx, done), "reminder": done.to_dict()}


def preview_cancel(ctx: ToolContext, reminder: str) -> str:
    return say.cancel(ctx, _resolve(ctx, reminder))


def cancel_reminder(ctx: ToolContext, reminder: str) -> dict[str, Any]:
    """Cancel (delete) a reminder or event; "all" cancels every one.

    Args:
        reminder: its number ("#3"), words from its text, or "all"
    """
    found = _resolve(ctx, reminder)
    for item in found:
        _store(ctx).cancel(item.id)
    return {
        "summary": say.cancelled(ctx, len(found)),
        "ids": [r.id for r in found],
        "texts": [r.text for r in found[:10]],
    }


def _one(ctx: ToolContext, reminder: str, last_due: bool = False, in_view: bool = False) -> Reminder:
    found = _resolve(ctx, reminder, last_due, in_view)
    if len(found) != 1:
        raise ToolError(say.name_one(ctx))
    return found[0]


def register(registry: ToolRegistry) -> None:
    registry.tool(side_effects=True, preview=preview_add, hint="create a reminder or event at a time")(
        add_reminder
    )
    registry.tool(hint="show reminders and events for a day or week")(list_agenda)
    registry.tool(side_effects=True, preview=preview_move, hint="change the time of a reminder")(
        move_reminder
    )
    registry.tool(side_effects=True, preview=preview_snooze, hint="snooze a reminder")(snooze_reminder)
    registry.tool(side_effects=True, preview=preview_complete, hint="mark a reminder done")(complete_reminder)
    registry.tool(
        side_effects=True, preview=preview_cancel, hint="cancel or delete reminders", bulk=refers_to_all
    )(cancel_reminder)


def described(items: list[dict[str, Any]]) -> str:
    return "\n".join(f"#{i['id']} {i['at']}: {i['text']}" for i in items)
