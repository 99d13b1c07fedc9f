"""The confirmation card's action and the tool card's summary in the user's language: the
schedule tools' previews and results for add/move/snooze/complete/cancel, English and Chinese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from assistant.agent.registry import ToolContext, ToolError
from assistant.agent.store import AgentSettings
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import ConfirmationNeeded, ToolResult
from assistant.tools import schedule

HAN_OR_TIME = set("0123456789:#：（）「」、，()- ")


def _ctx(make_core: Callable[..., Core], language: str) -> tuple[Core, ToolContext]:
    core = make_core(replies=["unused"])
    core.agent_store.save_settings(AgentSettings(tz="Asia/Shanghai"))
    ctx = core.agent.context(0)  # type: ignore[attr-defined]
    ctx.extra["language"] = language
    return core, ctx


def _no_latin(text: str, allowed: str = "") -> bool:
    """No English words, only what the user named (``allowed``)."""
    rest = text
    for word in allowed.split():
        rest = rest.replace(word, "")
    return not any("a" <= c.lower() <= "z" for c in rest)


def test_chinese_previews_and_summaries(make_core: Callable[..., Core]) -> None:
    _, ctx = _ctx(make_core, "zh")
    action = schedule.preview_add(ctx, "给妈妈打电话", "明天上午九点")
    assert action.startswith("添加提醒「给妈妈打电话」：") and "09:00" in action and "周" in action
    assert _no_latin(action)
    event = schedule.preview_add(ctx, "看牙医", "下周二下午两点", kind="event")
    assert event.startswith("添加日程「看牙医」：") and "14:00" in event
    saved = schedule.add_reminder(ctx, "给妈妈打电话", "明天上午九点")
    assert saved["summary"].startswith("已保存 #1：「给妈妈打电话」") and _no_latin(saved["summary"])
    schedule.add_reminder(ctx, "买菜", "明天下午五点")
    moved = schedule.preview_move(ctx, "妈妈", "后天晚上八点")
    assert moved.startswith("把「给妈妈打电话」改到") and "20:00" in moved and _no_latin(moved)
    summary = schedule.move_reminder(ctx, "妈妈", "后天晚上八点")["summary"]
    assert summary.startswith("已改时间：「给妈妈打电话」")
    snooze = schedule.preview_snooze(ctx, "买菜", "十分钟")
    assert snooze.startswith("「买菜」稍后再提醒：") and _no_latin(snooze)
    assert schedule.snooze_reminder(ctx, "买菜", "十分钟")["summary"].startswith("已推迟「买菜」到")
    assert schedule.preview_complete(ctx, "买菜") == "把「买菜」标记为完成"
    assert schedule.complete_reminder(ctx, "买菜")["summary"] == "已完成：「买菜」"
    one = schedule.preview_cancel(ctx, "#1")
    assert one.startswith("取消「给妈妈打电话」，") and "20:00" in one and _no_latin(one)
    schedule.add_reminder(ctx, "交水费", "每月最后一天")
    every = schedule.preview_cancel(ctx, "所有")
    assert every.startswith("取消全部 2 条提醒：") and "「给妈妈打电话」" in every
    assert schedule.cancel_reminder(ctx, "所有")["summary"] == "已取消 2 条提醒"


def test_english_previews_unchanged(make_core: Callable[..., Core]) -> None:
    _, ctx = _ctx(make_core, "en")
    action = schedule.preview_add(ctx, "call mum", "tomorrow at 9am")
    assert action.startswith("Add reminder 'call mum' on ") and "09:00" in action
    assert "Asia/Shanghai" in action
    schedule.add_reminder(ctx, "call mum", "tomorrow at 9am")
    assert schedule.preview_move(ctx, "mum", "Friday at 6pm").startswith("Move 'call mum' to ")
    assert schedule.preview_snooze(ctx, "mum", "10 minutes").startswith("Snooze 'call mum' until ")
    assert schedule.preview_complete(ctx, "mum") == "Mark 'call mum' as done"
    assert schedule.preview_cancel(ctx, "mum").startswith("Cancel #1 'call mum'")
    assert schedule.cancel_reminder(ctx, "mum")["summary"] == "Cancelled 1 reminder(s)"


@pytest.mark.parametrize(
    ("request_text", "lead", "what"),
    [
        ("明天上午九点提醒我给妈妈打电话", "添加提醒「给妈妈打电话」：", "给妈妈打电话"),
        ("Remind me tomorrow at 9am to call mum", "Add reminder 'call mum' on ", "call mum"),
    ],
)
def test_the_card_speaks_the_request_language(
    make_core: Callable[..., Core], request_text: str, lead: str, what: str
) -> None:
    core, _ = _ctx(make_core, "en")
    cid = core.chats.create_conversation()
    events: list[Any] = []
    for event in core.session.send(cid, request_text, CancelToken()):
        events.append(event)
        if isinstance(event, ConfirmationNeeded):
            event.ticket.answer(True)  # type: ignore[attr-defined]
    (ask,) = [e for e in events if isinstance(e, ConfirmationNeeded)]
    (result,) = [e for e in events if isinstance(e, ToolResult)]
    assert ask.action.startswith(lead) and "09:00" in ask.action
    assert what in result.summary and "09:00" in result.summary


def test_errors_and_the_agenda_line_in_chinese(make_core: Callable[..., Core]) -> None:
    from assistant.agent.registry import ToolError

    _, ctx = _ctx(make_core, "zh")
    with pytest.raises(ToolError, match="没有找到与「牙医」匹配的提醒。"):
        schedule.preview_cancel(ctx, "牙医")
    with pytest.raises(ToolError, match="提醒需要写明内容"):
        schedule.add_reminder(ctx, " ", "明天上午九点")
    assert schedule.list_agenda(ctx, "这周")["summary"] == "没有安排"
    schedule.add_reminder(ctx, "看牙医", "明天上午九点")
    schedule.add_reminder(ctx, "牙医复诊", "后天上午九点")
    with pytest.raises(ToolError, match=r"有 2 条提醒与「牙医」匹配：#1「看牙医」，.*请问是哪一条？"):
        schedule.preview_move(ctx, "牙医", "下周二上午十点")
    assert schedule.list_agenda(ctx, "upcoming")["summary"] == "共 2 项安排"


@pytest.mark.parametrize(("language", "clock"), [("en", "10am"), ("zh", "上午十点")])
def test_a_move_to_a_clock_time_keeps_the_reminders_day(
    make_core: Callable[..., Core], language: str, clock: str
) -> None:
    _, ctx = _ctx(make_core, language)
    saved = schedule.add_reminder(ctx, "team retro", "in 5 days at 9am")["reminder"]
    day = saved["start"][:10]
    moved = schedule.move_reminder(ctx, "retro", clock)["reminder"]
    assert moved["start"][:16] == f"{day}T10:00"
    again = schedule.move_reminder(ctx, "retro", "tomorrow at 10am")["reminder"]
    assert again["start"][:10] != day  # a day said is the day it goes to


@pytest.mark.parametrize(
    ("language", "by", "minutes"),
    [("en", "+an hour", 60), ("en", "-15 minutes", -15), ("zh", "-半小时", -30)],
)
def test_a_move_by_an_amount_shifts_from_the_reminders_time(
    make_core: Callable[..., Core], language: str, by: str, minutes: int
) -> None:
    _, ctx = _ctx(make_core, language)
    saved = schedule.add_reminder(ctx, "team retro", "in 5 days at 9am")["reminder"]
    moved = schedule.move_reminder(ctx, "retro", by=by)["reminder"]
    before, after = (datetime.fromisoformat(r["start"]) for r in (saved, moved))
    assert after - before == timedelta(minutes=minutes)
    with pytest.raises(ToolError):
        schedule.move_reminder(ctx, "retro", by="-10 days")  # into the past
