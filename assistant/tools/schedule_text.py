"""What the schedule tools show the user, in the user's language.

The confirmation card's action ("Add reminder 'call mum' on …" / "添加提醒「给妈妈打电话」：12月3日
（周四）09:00") and the one-line result summary the tool card's header carries. English keeps
the full time with its zone (the format tests and the terminal already rely on); Chinese says
the time through ``describe_when`` so it reads like the composed answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from assistant.agent.registry import ToolContext
from assistant.scheduler.parse import ParsedTime, format_time
from assistant.scheduler.store import Reminder
from assistant.understand.when import When, describe_when

MAX_NAMED = 10


def is_zh(ctx: ToolContext) -> bool:
    return str(ctx.extra.get("language", "")).lower().startswith("zh")


def _zh_time(ctx: ToolContext, start: datetime, rrule: str | None = None) -> str:
    now = ctx.now().astimezone(start.tzinfo) if start.tzinfo else None
    return describe_when(When(start, rrule, (0, 0), (), True), "zh", now)


def _zh_reminder(ctx: ToolContext, item: Reminder) -> str:
    return f"「{item.text}」，{_zh_time(ctx, item.start, item.rrule)}"


def add(ctx: ToolContext, text: str, parsed: ParsedTime, kind: str) -> str:
    if is_zh(ctx):
        noun = "日程" if kind == "event" else "提醒"
        return f"添加{noun}「{text}」：{_zh_time(ctx, parsed.start, parsed.rrule)}"
    return f"Add {kind} {text!r} on {parsed.describe()}"


def added(ctx: ToolContext, saved: Reminder, parsed: ParsedTime) -> str:
    if is_zh(ctx):
        return f"已保存 #{saved.id}：「{saved.text}」，{_zh_time(ctx, parsed.start, parsed.rrule)}"
    return f"Saved #{saved.id}: {saved.text!r} on {parsed.describe()}"


def move(ctx: ToolContext, item: Reminder, parsed: ParsedTime) -> str:
    if is_zh(ctx):
        return f"把「{item.text}」改到{_zh_time(ctx, parsed.start, parsed.rrule)}"
    return f"Move {item.text!r} to {parsed.describe()}"


def moved(ctx: ToolContext, item: Reminder) -> str:
    if is_zh(ctx):
        return f"已改时间：{_zh_reminder(ctx, item)}"
    return f"Moved: {item.describe()}"


def snooze(ctx: ToolContext, item: Reminder, until: datetime) -> str:
    if is_zh(ctx):
        return f"「{item.text}」稍后再提醒：{_zh_time(ctx, until)}"
    return f"Snooze {item.text!r} until {format_time(until)}"


def snoozed(ctx: ToolContext, item: Reminder, until: datetime) -> str:
    if is_zh(ctx):
        return f"已推迟「{item.text}」到{_zh_time(ctx, until)}"
    return f"Snoozed {item.text!r} until {format_time(until)}"


def complete(ctx: ToolContext, item: Reminder) -> str:
    if is_zh(ctx):
        return f"把「{item.text}」标记为完成"
    return f"Mark {item.text!r} as done"


def completed(ctx: ToolContext, item: Reminder) -> str:
    if is_zh(ctx):
        return f"已完成：「{item.text}」"
    return f"Done: {item.describe()}"


def cancel(ctx: ToolContext, found: Sequence[Reminder]) -> str:
    zh = is_zh(ctx)
    if len(found) == 1:
        return f"取消{_zh_reminder(ctx, found[0])}" if zh else f"Cancel {found[0].describe()}"
    if zh:
        names = "、".join(f"「{r.text}」" for r in found[:MAX_NAMED])
        return f"取消全部 {len(found)} 条提醒：{names}"
    return f"Cancel ALL {len(found)} reminders: " + "; ".join(repr(r.text) for r in found[:MAX_NAMED])


def cancelled(ctx: ToolContext, count: int) -> str:
    return f"已取消 {count} 条提醒" if is_zh(ctx) else f"Cancelled {count} reminder(s)"


# errors and the agenda's one-line summary -------------------------------------------------
def unavailable(ctx: ToolContext) -> str:
    return "提醒功能现在不可用。" if is_zh(ctx) else "Reminders are not available."


def needs_text(ctx: ToolContext) -> str:
    return "提醒需要写明内容。" if is_zh(ctx) else "The reminder needs some text."


def no_match(ctx: ToolContext, ref: str) -> str:
    return f"没有找到与「{ref}」匹配的提醒。" if is_zh(ctx) else f"No active reminder matches {ref!r}."


def many_match(ctx: ToolContext, ref: str, found: Sequence[Reminder]) -> str:
    if is_zh(ctx):
        listed = "；".join(f"#{r.id}{_zh_reminder(ctx, r)}" for r in found[:MAX_NAMED])
        return f"有 {len(found)} 条提醒与「{ref}」匹配：{listed}。请问是哪一条？"
    listed = "; ".join(r.describe() for r in found[:MAX_NAMED])
    return f"{len(found)} reminders match {ref!r}: {listed}. Ask the user which one."


def nothing_due(ctx: ToolContext) -> str:
    if is_zh(ctx):
        return "还没有哪条提醒到时间，请说是哪一条。"
    return "No reminder has come due yet; name the one you mean."


def name_one(ctx: ToolContext) -> str:
    return "请指明是哪一条提醒。" if is_zh(ctx) else "Name one reminder."


def agenda(ctx: ToolContext, count: int, label: str) -> str:
    if is_zh(ctx):
        return f"共 {count} 项安排" if count else "没有安排"
    return f"{count} item(s) {label}" if count else f"Nothing scheduled {label}"


def found_summary(ctx: ToolContext, count: int, query: str) -> str:
    """The search tools' one line (assistant/tools/search.py)."""
    if is_zh(ctx):
        return f"找到 {count} 条与「{query}」相关的结果" if count else f"没有找到与「{query}」相关的内容"
    return f"{count} result(s) for {query!r}" if count else f"Nothing found for {query!r}"
