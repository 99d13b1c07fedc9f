"""Requests read after mending typos ("remnid me tmorrow") or naming a holiday ("on Halloween")
reach the tool in the user's own words: the argument guard refuses anything else, so the call
must carry what was typed while the time saved is the one understood."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from assistant.agent.store import AgentSettings
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import ConfirmationNeeded, ToolResult
from assistant.scheduler.zones import zone
from assistant.understand.intent import understand


def _saved_after(make_core: Callable[..., Core], text: str) -> tuple[ToolResult, Core]:
    core = make_core(replies=["Here is a plain answer."])
    core.agent_store.save_settings(AgentSettings(tz="Europe/London"))
    cid = core.chats.create_conversation()
    results = []
    for event in core.session.send(cid, text, CancelToken()):
        if isinstance(event, ConfirmationNeeded):
            event.ticket.answer(True)  # type: ignore[attr-defined]
        if isinstance(event, ToolResult):
            results.append(event)
    (result,) = results
    return result, core


def test_a_mended_typo_is_handed_over_as_typed(make_core: Callable[..., Core]) -> None:
    result, core = _saved_after(make_core, "remnid me tmorrow at 5pm to call the bank")
    assert (result.tool, result.status) == ("add_reminder", "ok"), result.summary
    (saved,) = core.reminders.list()
    assert saved.text == "call the bank" and saved.start.astimezone(zone("Europe/London")).hour == 17


def test_a_holiday_is_its_date(make_core: Callable[..., Core]) -> None:
    result, core = _saved_after(make_core, "remind me on Halloween at 5pm to buy sweets")
    assert (result.tool, result.status) == ("add_reminder", "ok"), result.summary
    (saved,) = core.reminders.list()
    local = saved.start.astimezone(zone("Europe/London"))
    assert (local.month, local.day, local.hour) == (10, 31, 17)


def test_the_understanding_keeps_the_typed_words() -> None:
    now = datetime(2027, 10, 6, 16, 25, tzinfo=zone("Europe/London"))
    u = understand("remnid me tmorrow at 5pm to book the apointment", now, "Europe/London")
    assert (u.when_text, u.what) == ("tmorrow at 5pm", "book the apointment")
    holiday = understand("remind me on christmas eve at 6 to wrap the presents", now, "Europe/London")
    assert holiday.when_text == "on christmas eve at 6"
