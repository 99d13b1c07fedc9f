"""Questions about what the user told the assistant, through the real session, agent, tools and
SQLite (scripted engine: no model call is needed once the question is understood). The question
is stored before the tools run; the search must never find it, nor anything said after it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import TextDelta, ToolResult
from assistant.memory.events import FactSaved
from assistant.memory.worker import embed_pending
from assistant.understand.intent import understand
from tests.support.memory_fixtures import HashEmbedder

MODEL_REPLY = "This is a reminder to use the [n] as [n]"
NOW = datetime(2027, 10, 6, 16, 25, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def make_asked(make_core: Callable[..., Core], real_embedder: object) -> Callable[[], Core]:
    """A real Core with the session's loaded embedder (the tools wait for the model within
    their time limit; loading it once keeps that off every test)."""

    def make() -> Core:
        core = make_core(replies=[MODEL_REPLY] * 4)
        core.memory.use_embedder(real_embedder)  # type: ignore[arg-type]
        return core

    return make


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
    make_asked: Callable[[], Core], remember: str, question: str, fact: str, lead: str, quote: str
) -> None:
    core = make_asked()
    told = core.chats.create_conversation()
    events, _ = _turn(core, told, remember)
    assert any(isinstance(e, FactSaved) for e in events)
    for cid in (told, core.chats.create_conversation(), told):  # the same chat, another, asked again
        events, text = _turn(core, cid, question)
        assert _found(events, "search_memory") == [fact]  # not the question, nor the "Remember …"
        assert text.startswith(lead) and quote in text and question not in text, text
        assert "[2]" not in text and "[n]" not in text, text  # earlier asks and our answers are not quoted


def test_the_chat_search_never_finds_the_question_it_answers(make_asked: Callable[[], Core]) -> None:
    core = make_asked()
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


# understanding: asking for what one told, in families -------------------------------------
@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("what's my bike lock code again?", "bike lock code"),  # … again
        ("what was my gate code again", "gate code"),
        ("tell me my wifi password again", "wifi password"),
        ("what were my kids' shoe sizes again?", "kids' shoe sizes"),
        ("remind me what my car reg is", "car reg"),  # remind me what …: no reminder
        ("can you remind me what my passport number is?", "passport number"),
        ("what's the wifi password at mum's that I gave you", "wifi password at mum's"),  # … I told you
        ("whats my passport number again, i told you it ages ago", "passport number"),
        ("what's my bike lock code? I'm sure I told you", "bike lock code"),
        ("what is the door code I gave you?", "door code"),
        ("我的车牌号是多少来着", "车牌号"),  # …来着
        ("我家wifi密码是多少来着？", "wifi密码"),
        ("我妈生日是哪天来着", "妈生日"),
        ("我上次让你记住的，我对什么过敏来着", "对过敏"),  # 我上次让你记住的
        ("我的车牌号是多少？我记得存过", "车牌号"),  # 我记得存过
        ("我之前给你存过我家地址，是啥", "地址"),
    ],
)
def test_asking_for_what_one_told_searches_the_memory_for_its_topic(text: str, topic: str) -> None:
    u = understand(text, NOW, "Europe/London")
    assert (u.intent, u.what, u.sure) == ("search_facts", topic, True)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("What is my locker code?", "none"),  # no sign it was told: recall quotes a saved fact
        ("我的储物柜密码是多少？", "none"),
        ("what's the capital of France again?", "none"),  # nothing of the user's
        ("I told you to stop doing that", "none"),
        ("what's my schedule again?", "list_agenda"),  # the agenda is not something told
        ("我下周有什么安排来着", "list_agenda"),
        ("我们上次聊什么来着", "search_chats"),
        ("之前你帮我想的那几个奶茶店名叫啥来着", "search_chats"),  # what *you* thought of: the chats
        ("我之前在银行存过一笔钱", "none"),
        ("remind me to call mum at 6pm", "add_reminder"),
    ],
)
def test_what_is_not_a_question_about_what_one_told(text: str, intent: str) -> None:
    assert understand(text, NOW, "Europe/London").intent == intent


@pytest.mark.parametrize(
    ("remember", "question", "fact", "lead"),
    [
        ("Remember that my bike lock code is 4471", "what's my bike lock code again?",
         "My bike lock code is 4471", "From what you told me:\n- “My bike lock code is 4471” [1] saved fact"),
        ("记住我的车牌号是沪A12345", "我的车牌号是多少来着", "我的车牌号是沪A12345",
         "你之前告诉过我：\n- 「我的车牌号是沪A12345」[1]（已保存的信息"),
    ],
)
def test_asking_again_quotes_the_saved_fact(
    make_asked: Callable[[], Core], remember: str, question: str, fact: str, lead: str
) -> None:
    core = make_asked()
    _turn(core, core.chats.create_conversation(), remember)
    events, text = _turn(core, core.chats.create_conversation(), question)
    assert _found(events, "search_memory") == [fact]
    assert text.startswith(lead) and question not in text and "[n]" not in text, text


def test_a_plain_question_about_ones_own_thing_quotes_the_fact_without_the_tool(
    make_asked: Callable[[], Core],
) -> None:
    """No sign it was told ("again", 来着): recall quotes the fact. "我的车牌号是多少？" has one
    meaningful word and (with the English embedder) no vector; the fact says it of the user too."""
    core = make_asked()
    _turn(core, core.chats.create_conversation(), "记住我的车牌号是沪A12345")
    events, text = _turn(core, core.chats.create_conversation(), "我的车牌号是多少？")
    assert not [e for e in events if isinstance(e, ToolResult)]
    assert text == "你告诉过我：「我的车牌号是沪A12345」[1]（已保存的信息）", text
    _events, text = _turn(core, core.chats.create_conversation(), "车牌号怎么查？")  # not about the user's
    assert text == MODEL_REPLY
