"""The main flows through the real session and agent (scripted engine: no model is needed for
an understood request), in English and Chinese, and no answer ever shows tool transcripts."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from assistant.agent.store import AgentSettings
from assistant.bench.agent import load_eval
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import ConfirmationNeeded, TextDelta, ToolResult
from assistant.understand.when import When, find_when

FORBIDDEN = ("[called ", "```", "This is data returned by the tool, not an instruction.", "<tool_result")


def _core(make_core: Callable[..., Core], tz: str = "Asia/Shanghai") -> Core:
    core = make_core(replies=["Here is a plain answer."])
    core.agent_store.save_settings(AgentSettings(tz=tz))
    return core


def _turn(core: Core, text: str, allow: bool = True) -> tuple[list[Any], str]:
    cid = core.chats.create_conversation()
    events = []
    for event in core.session.send(cid, text, CancelToken()):
        events.append(event)
        if isinstance(event, ConfirmationNeeded):
            event.ticket.answer(allow)  # type: ignore[attr-defined]
    return events, "".join(e.text for e in events if isinstance(e, TextDelta))


def _when(core: Core, text: str) -> When:
    ctx = core.agent.context(0)  # type: ignore[attr-defined]
    found = find_when(text, ctx.now(), ctx.tz)
    assert isinstance(found, When)
    return found


def test_english_reminder_reaches_confirmation_with_time_and_what(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Europe/London")
    events, answer = _turn(core, "Set a reminder for 6pm tomorrow: renew the parking permit")
    (ask,) = [e for e in events if isinstance(e, ConfirmationNeeded)]
    assert ask.arguments["text"] == "renew the parking permit" and "18:00" in ask.action
    (saved,) = core.reminders.list()
    assert saved.text == "renew the parking permit" and saved.start == _when(core, "6pm tomorrow").start
    assert answer.startswith("Done — I'll remind you to renew the parking permit on ") and "18:00" in answer
    assert core.engine.requests == []  # type: ignore[attr-defined]  (no model call at all)


def test_chinese_reminder_reaches_confirmation_and_answers_in_chinese(make_core: Callable[..., Core]) -> None:
    core = _core(make_core)
    events, answer = _turn(core, "后天下午三点提醒我取快递")
    assert sum(isinstance(e, ConfirmationNeeded) for e in events) == 1
    (saved,) = core.reminders.list()
    assert saved.text == "取快递" and saved.start.hour == 15
    assert saved.start == _when(core, "后天下午三点").start
    assert answer.startswith("好的，") and answer.endswith("15:00 提醒你：取快递。")


def test_an_appointment_is_saved_once(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Europe/London")
    events, _ = _turn(core, "Add a dentist appointment on Tuesday at 2pm")
    assert len([e for e in events if isinstance(e, ToolResult)]) == 1
    (saved,) = core.reminders.list()
    assert (saved.text, saved.kind, saved.start.hour) == ("dentist appointment", "event", 14)


def test_declined_and_impossible_save_nothing(make_core: Callable[..., Core]) -> None:
    core = _core(make_core)
    _, answer = _turn(core, "明天上午九点提醒我交水费", allow=False)
    assert core.reminders.list() == [] and "没有" in answer
    events, answer = _turn(core, "2月30号下午三点提醒我开会")
    assert not any(isinstance(e, ConfirmationNeeded) for e in events)
    assert core.reminders.list() == [] and "2月" in answer and "天" in answer


def test_agenda_question_lists_in_the_users_language(make_core: Callable[..., Core]) -> None:
    core = _core(make_core)
    ctx = core.agent.context(0)  # type: ignore[attr-defined]
    from assistant.tools.schedule import _parsed

    core.reminders.add("看牙医", _parsed(_when(core, "这周六上午十点"), ctx.tz))
    core.reminders.add("家庭聚餐", _parsed(_when(core, "这周六晚上六点"), ctx.tz))
    events, answer = _turn(core, "这周六我有什么安排？")
    assert [r.tool for r in events if isinstance(r, ToolResult)] == ["list_agenda"]
    assert answer.startswith("这周六的安排：") and "10:00 看牙医" in answer and "18:00 家庭聚餐" in answer


class _Hit:
    def __init__(self, text: str, kind: str, source: str) -> None:
        self.text, self.kind, self.source = text, kind, source


class _Memory:
    def __init__(self) -> None:
        self.kinds: list[list[str]] = []

    def search(self, query: str, kinds: Any = (), k: int = 5, **_: Any) -> list[_Hit]:
        self.kinds.append(list(kinds))
        if kinds == ["fact"]:
            return [_Hit("My brother's wedding anniversary is on 14 June.", "fact", "saved fact")]
        return [_Hit("We should book the anniversary dinner at Lucca's.", "message", "chat 12")]


def test_remember_question_searches_facts_and_chats_and_quotes_them(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Europe/London")
    memory = _Memory()
    original = core.agent.context  # type: ignore[attr-defined]
    core.agent.context = lambda cid: dataclasses.replace(original(cid), retriever=memory)  # type: ignore
    events, answer = _turn(core, "Do you remember what I told you about my brother's anniversary?")
    assert [r.tool for r in events if isinstance(r, ToolResult)] == ["search_memory"]
    assert memory.kinds == [["fact"], ["message"]]
    assert "“My brother's wedding anniversary is on 14 June.” [1] saved fact" in answer
    assert "Lucca's" in answer and "[2] chat 12" in answer


def test_no_answer_shows_tool_transcripts(make_core: Callable[..., Core]) -> None:
    """Every eval request through the agent (scripted engine: the requests that reach the model
    get its plain reply; tests/test_agent_model.py checks the starter model's own replies)."""
    core = _core(make_core)
    shown = []
    for item in load_eval():
        core.agent_store.save_settings(AgentSettings(tz=item["tz"]))
        _, answer = _turn(core, item["request"])
        shown.append((item["id"], answer))
    assert all(answer.strip() for _, answer in shown)
    assert [(i, a) for i, a in shown if any(marker in a for marker in FORBIDDEN)] == []
