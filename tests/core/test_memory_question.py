"""Questions about what the user told the assistant, through the real session, agent, tools and
SQLite (scripted engine: no model call is needed once the question is understood). The question
is stored before the tools run; the search must never find it, nor anything said after it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import TextDelta, ToolResult
from assistant.memory.events import FactSaved
from assistant.memory.worker import embed_pending
from tests.support.memory_fixtures import HashEmbedder

MODEL_REPLY = "This is a reminder to use the [n] as [n]"


def _turn(core: Core, cid: int, text: str) -> tuple[list[Any], str]:
    events = list(core.session.send(cid, text, CancelToken()))
    return events, "".join(e.text for e in events if isinstance(e, TextDelta))


def _found(events: list[Any], tool: str) -> list[str]:
    (result,) = [e for e in events if isinstance(e, ToolResult)]
    assert result.tool == tool and result.status == "ok", result
    return [hit["text"] for hit in json.loads(result.content)["results"]]


@pytest.mark.parametrize(
    ("remember", "question", "fact", "lead", "quote"),
    [
        ("Remember that my locker code is 4812", "Do you remember my locker code?", "My locker code is 4812",
         "From what you told me:", "“My locker code is 4812” [1] saved fact"),
        ("记住我的储物柜密码是4812", "你还记得我的储物柜密码吗？", "我的储物柜密码是4812",
         "你之前告诉过我：", "「我的储物柜密码是4812」[1]"),
    ],
)
def test_the_memory_search_quotes_the_fact_never_the_question(
    make_core: Callable[..., Core], remember: str, question: str, fact: str, lead: str, quote: str
) -> None:
    core = make_core(replies=[MODEL_REPLY] * 4)
    told = core.chats.create_conversation()
    events, _ = _turn(core, told, remember)
    assert any(isinstance(e, FactSaved) for e in events)
    for cid in (told, core.chats.create_conversation(), told):  # the same chat, another, asked again
        events, text = _turn(core, cid, question)
        assert _found(events, "search_memory") == [fact]  # not the question, nor the "Remember …"
        assert text.startswith(lead) and quote in text and question not in text, text
        assert "[2]" not in text and "[n]" not in text, text  # earlier asks and our answers are not quoted


def test_the_chat_search_never_finds_the_question_it_answers(make_core: Callable[..., Core]) -> None:
    core = make_core(replies=[MODEL_REPLY] * 4)
    cid = core.chats.create_conversation()
    _turn(core, cid, "We could paint the hallway sage green this spring.")
    question = "What did we talk about for the hallway paint?"
    events, text = _turn(core, cid, question)
    found = _found(events, "search_chats")
    assert found and question not in found and "sage green" in found[0], found
    assert question not in text and "sage green" in text, text


@pytest.mark.parametrize("sides", ["keyword", "vector"])
def test_before_message_leaves_out_that_message_and_everything_said_after_it(
    make_core: Callable[..., Core], sides: str
) -> None:
    core = make_core()
    core.memory.use_embedder(HashEmbedder())
    cid = core.chats.create_conversation()
    told = core.chats.add_message(cid, "user", "My locker code is 4812 at the gym")
    asked = core.chats.add_message(cid, "user", "What is my locker code at the gym?")
    later = core.chats.add_message(cid, "user", "Remember that my gym locker code is now 9907")
    core.memory.facts.add("My gym locker code is now 9907", "approved", "user", cid, later)
    earlier_fact = core.memory.facts.add("My gym locker code was 4812", "approved", "user", cid, told)
    assert core.memory.embedder is not None
    while embed_pending(core.database, core.memory.embedder, core.memory.index):
        pass

    def search(before: int | None) -> set[int | None]:
        hits = core.memory.retriever.search(
            "gym locker code", use_vectors=True, sides=sides, before_message=before  # type: ignore[arg-type]
        )
        return {h.message_id or -(h.fact_id or 0) for h in hits}

    assert search(None) >= {told, asked, later}
    assert search(asked) == {told, -earlier_fact}
    assert search(told) == set()
