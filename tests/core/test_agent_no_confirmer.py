"""A session used as a library, with nobody to confirm, answers a scheduling request at once:
refused with a message that it needs confirmation, nothing saved; one that takes the ticket and
answers later (as the window does) is still waited on."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from assistant.agent.confirm import ANSWER_SECONDS, CLAIM_SECONDS, Ticket
from assistant.agent.store import AgentSettings
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import ConfirmationNeeded, TextDelta, ToolResult


def _core(make_core: Callable[..., Core], tz: str) -> Core:
    core = make_core(replies=["Here is a plain answer."])
    core.agent_store.save_settings(AgentSettings(tz=tz))
    return core


def _ignoring(core: Core, text: str) -> tuple[list[Any], str, float]:
    """Every event of a turn, read the way a program that knows nothing of confirmations does."""
    cid = core.chats.create_conversation()
    started = time.monotonic()
    events = list(core.session.send(cid, text, CancelToken()))
    answer = "".join(e.text for e in events if isinstance(e, TextDelta))
    return events, answer, time.monotonic() - started


def test_nobody_to_confirm_is_refused_at_once_in_english(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Europe/London")
    events, answer, seconds = _ignoring(core, "Remind me tomorrow at 9am to call mum")
    assert seconds < CLAIM_SECONDS + 3 < ANSWER_SECONDS
    assert sum(isinstance(e, ConfirmationNeeded) for e in events) == 1
    (result,) = [e for e in events if isinstance(e, ToolResult)]
    assert result.status == "denied" and "confirmation" in result.summary
    assert answer == (
        "Not done: this needs your confirmation, and there was nobody to ask. Nothing was changed."
    )
    assert core.reminders.list() == []


def test_nobody_to_confirm_is_refused_at_once_in_chinese(make_core: Callable[..., Core]) -> None:
    core = _core(make_core, "Asia/Shanghai")
    _events, answer, seconds = _ignoring(core, "后天下午三点提醒我取快递")
    assert seconds < CLAIM_SECONDS + 3
    assert "需要你的确认" in answer and "什么都没有改" in answer
    assert core.reminders.list() == []


def test_a_confirmer_that_answers_later_is_waited_for(make_core: Callable[..., Core]) -> None:
    """Like the window: the event goes to another thread, which shows it and answers later."""
    core = _core(make_core, "Europe/London")
    cid = core.chats.create_conversation()
    answered_after = CLAIM_SECONDS + 0.5

    def window(event: ConfirmationNeeded) -> None:
        time.sleep(0.1)  # the window's thread reads the event a moment later
        ticket = event.ticket
        time.sleep(answered_after)  # the user reads the card
        ticket.answer(True)  # type: ignore[attr-defined]

    threads = []
    for event in core.session.send(cid, "Remind me tomorrow at 9am to call mum", CancelToken()):
        if isinstance(event, ConfirmationNeeded):
            threads.append(threading.Thread(target=window, args=(event,)))
            threads[-1].start()
    for thread in threads:
        thread.join()
    (saved,) = core.reminders.list()
    assert saved.text == "call mum"


def test_ticket_semantics() -> None:
    cancel = CancelToken()
    untouched = Ticket()
    t0 = time.monotonic()
    answer = untouched.wait(cancel, claim=0.2)
    assert answer.nobody and not answer.allow and time.monotonic() - t0 < 1.0
    taken = Ticket()
    taken.take()
    answer = taken.wait(cancel, timeout=0.3, claim=0.1)  # taken, never answered: the time-out
    assert not answer.nobody and not answer.allow
    ready = Ticket()
    ready.answer(True)
    assert ready.wait(cancel, claim=0.0).allow
