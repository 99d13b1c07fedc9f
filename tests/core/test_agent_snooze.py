"""Snoozing the reminder that just came due, through the real session: "snooze that for 10
minutes", "推迟半小时再提醒我" name no reminder and mean the one just shown."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from assistant.agent.store import AgentSettings
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import ConfirmationNeeded, TextDelta, ToolResult
from assistant.scheduler.parse import ParsedTime
from assistant.scheduler.zones import zone


def _core(make_core: Callable[..., Core], tz: str) -> Core:
    core = make_core(replies=["Here is a plain answer."])
    core.agent_store.save_settings(AgentSettings(tz=tz))
    return core


def _due_reminder(core: Core, text: str, tz: str, minutes_ago: int) -> int:
    """A reminder whose time came ``minutes_ago`` and was shown."""
    start = (datetime.now(zone(tz)) - timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0)
    saved = core.reminders.add(text, ParsedTime(start, tz, None))
    core.reminders.mark_handled(saved.id, start.timestamp(), clear_snooze=True)
    return saved.id


def _turn(core: Core, text: str) -> tuple[list[Any], str]:
    cid = core.chats.create_conversation()
    events = []
    for event in core.session.send(cid, text, CancelToken()):
        events.append(event)
        if isinstance(event, ConfirmationNeeded):
            event.ticket.answer(True)  # type: ignore[attr-defined]
    return events, "".join(e.text for e in events if isinstance(e, TextDelta))


def test_snooze_that_snoozes_the_one_that_just_came_due(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Europe/London")
    _due_reminder(core, "take the bins out", "Europe/London", minutes_ago=30)
    latest = _due_reminder(core, "call mum", "Europe/London", minutes_ago=2)
    before = time.time()
    events, _ = _turn(core, "snooze that for 10 minutes")
    (result,) = [e for e in events if isinstance(e, ToolResult)]
    assert result.status == "ok" and result.tool == "snooze_reminder"
    snoozed = core.reminders.get(latest)
    assert snoozed is not None and snoozed.snoozed_until is not None
    assert 9 * 60 <= snoozed.snoozed_until - before <= 11 * 60


def test_chinese_snooze_without_a_name(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Asia/Shanghai")
    latest = _due_reminder(core, "吃药", "Asia/Shanghai", minutes_ago=1)
    before = time.time()
    _, answer = _turn(core, "推迟半小时再提醒我")
    snoozed = core.reminders.get(latest)
    assert snoozed is not None and snoozed.snoozed_until is not None
    assert 29 * 60 <= snoozed.snoozed_until - before <= 31 * 60
    assert "吃药" in answer


def test_nothing_due_yet_is_said_plainly(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Europe/London")
    events, answer = _turn(core, "snooze that for 10 minutes")
    assert "No reminder has come due yet" in answer
    assert not any(isinstance(e, ConfirmationNeeded) for e in events)


def test_scrap_that_cancels_the_one_just_saved(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Europe/London")
    _due_reminder(core, "take the bins out", "Europe/London", minutes_ago=60 * 5)  # shown long ago
    later = (datetime.now(zone("Europe/London")) + timedelta(days=1)).replace(second=0, microsecond=0)
    kept = core.reminders.add("water the plants", ParsedTime(later, "Europe/London", None)).id
    newest = core.reminders.add("book the MOT", ParsedTime(later, "Europe/London", None)).id
    events, _ = _turn(core, "scrap that")
    (result,) = [e for e in events if isinstance(e, ToolResult)]
    assert result.status == "ok" and result.tool == "cancel_reminder"
    assert _status(core, newest) == "cancelled" and _status(core, kept) == "active"


def test_done_after_a_notice_completes_the_one_just_shown(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Europe/London")
    shown = _due_reminder(core, "take the pills", "Europe/London", minutes_ago=3)
    later = (datetime.now(zone("Europe/London")) + timedelta(days=1)).replace(second=0, microsecond=0)
    core.reminders.add("book the MOT", ParsedTime(later, "Europe/London", None))
    events, _ = _turn(core, "done ✅")
    (result,) = [e for e in events if isinstance(e, ToolResult)]
    assert result.status == "ok" and result.tool == "complete_reminder", result
    assert _status(core, shown) == "done"


def _status(core: Core, reminder_id: int) -> str:
    found = core.reminders.get(reminder_id)
    assert found is not None
    return found.status


def test_snooze_that_skips_a_reminder_saved_since(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Europe/London")
    shown = _due_reminder(core, "call mum", "Europe/London", minutes_ago=5)
    later = (datetime.now(zone("Europe/London")) + timedelta(days=1)).replace(second=0, microsecond=0)
    core.reminders.add("book the MOT", ParsedTime(later, "Europe/London", None))  # saved, not yet due
    events, _ = _turn(core, "snooze that for 10 minutes")
    (result,) = [e for e in events if isinstance(e, ToolResult)]
    snoozed = core.reminders.get(shown)
    assert result.status == "ok" and snoozed is not None and snoozed.snoozed_until is not None


def test_chinese_done_or_cancel_with_no_name_acts_on_the_one_just_due(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Asia/Shanghai")
    _due_reminder(core, "交电费", "Asia/Shanghai", minutes_ago=30)
    latest = _due_reminder(core, "吃药", "Asia/Shanghai", minutes_ago=1)
    _turn(core, "搞定了")
    done = core.reminders.get(latest)
    assert done is not None and done.status == "done"
    _due_reminder(core, "喝水", "Asia/Shanghai", minutes_ago=0)
    _turn(core, "算了，这个不要了，删掉吧")
    assert [r.text for r in core.reminders.list()] == ["交电费"]  # 吃药 done, 喝水 cancelled
