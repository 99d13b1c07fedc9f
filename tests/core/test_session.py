"""ChatSession loop logic with the ScriptedEngine on a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import assistant.chat.session as session_module
import assistant.config as config_module
from assistant.config import MODEL_ENV, Settings, db_path
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import (
    Done,
    Failed,
    MessageStored,
    ModelLoaded,
    ReplyStarted,
    StatusChanged,
    TextDelta,
)
from tests.support.rows import of_type, raw_rows

LONG_REPLY = " ".join(f"word{i}" for i in range(200))


def _rows(conversation_id: int) -> list:
    return raw_rows(
        db_path(), "select * from messages where conversation_id = ? order by id", [conversation_id]
    )


def test_send_stores_user_message_before_generation_then_the_reply(
    make_core: Callable[..., Core],
) -> None:
    reply = "The capital of Portugal is Lisbon, by the Tagus."
    core = make_core(replies=[reply])
    cid = core.chats.create_conversation()
    question = "What is the capital of Portugal?"

    events = []
    seen_at_first_delta = None
    for event in core.session.send(cid, question, CancelToken()):
        events.append(event)
        if isinstance(event, TextDelta) and seen_at_first_delta is None:
            # A second connection sees only what is committed to the file.
            seen_at_first_delta = [(r["role"], r["content"], r["status"]) for r in _rows(cid)]

    assert seen_at_first_delta is not None, "no text streamed"
    assert seen_at_first_delta[0] == ("user", question, "complete")
    assert [s for _, _, s in seen_at_first_delta[1:]] == ["streaming"]

    order = [type(e) for e in events if isinstance(e, (MessageStored, ReplyStarted, TextDelta, Done))]
    assert order[0] is MessageStored and order[1] is ReplyStarted and order[-1] is Done
    assert set(order[2:-1]) == {TextDelta}

    streamed = "".join(e.text for e in of_type(events, TextDelta))
    assert streamed == reply
    done = of_type(events, Done)[0]
    started = of_type(events, ReplyStarted)[0]
    assert done.status == "complete" and done.message_id == started.message_id
    assert done.n_tokens == len(of_type(events, TextDelta))
    assert of_type(events, MessageStored)[0].content == question
    assert not of_type(events, Failed)

    stored = core.chats.messages(cid)
    assert [(m.role, m.content, m.status) for m in stored] == [
        ("user", question, "complete"),
        ("assistant", reply, "complete"),
    ]
    assert stored[1].id == done.message_id


def test_first_send_loads_the_model_once(make_core: Callable[..., Core], fake_model_file: Path) -> None:
    core = make_core()
    cid = core.chats.create_conversation()
    first = list(core.session.send(cid, "one", CancelToken()))
    second = list(core.session.send(cid, "two", CancelToken()))
    loaded = of_type(first, ModelLoaded)
    assert len(loaded) == 1 and loaded[0].path == str(fake_model_file)
    assert of_type(second, ModelLoaded) == []
    assert core.engine.load_count == 1


def test_history_is_sent_to_the_engine_in_order(make_core: Callable[..., Core]) -> None:
    core = make_core(replies=["first answer", "second answer"])
    cid = core.chats.create_conversation()
    list(core.session.send(cid, "first question", CancelToken()))
    list(core.session.send(cid, "second question", CancelToken()))
    request = core.engine.requests[-1]
    assert request.messages[0] == {"role": "system", "content": core.settings.system_prompt}
    assert request.messages[1:] == [
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": "first answer"},
        {"role": "user", "content": "second question"},
    ]


def test_partial_reply_is_saved_while_streaming(
    make_core: Callable[..., Core], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_module, "SAVE_EVERY_SECONDS", 0.0)
    core = make_core(replies=[LONG_REPLY])
    cid = core.chats.create_conversation()
    before_this_delta = ""
    checked = 0
    for event in core.session.send(cid, "stream please", CancelToken()):
        if isinstance(event, TextDelta):
            if checked < 20:
                # Each delta is saved once the consumer asks for the next event, so the
                # committed row holds exactly the text that arrived before this one.
                row = _rows(cid)[-1]
                assert (row["content"], row["status"]) == (before_this_delta, "streaming")
                checked += 1
            before_this_delta += event.text
    assert checked == 20
    row = _rows(cid)[-1]
    assert (row["content"], row["status"]) == (LONG_REPLY, "complete")


def test_stop_keeps_the_partial_reply_marked_stopped(make_core: Callable[..., Core]) -> None:
    core = make_core(replies=[LONG_REPLY])
    cid = core.chats.create_conversation()
    cancel = CancelToken()
    events = []
    for event in core.session.send(cid, "tell me a long story", cancel):
        events.append(event)
        if len(of_type(events, TextDelta)) == 3:
            cancel.cancel()
    partial = "".join(e.text for e in of_type(events, TextDelta))
    assert 0 < len(partial) < len(LONG_REPLY) and LONG_REPLY.startswith(partial)
    done = of_type(events, Done)
    assert len(done) == 1 and done[0].status == "stopped"
    assert not of_type(events, Failed)
    reply = core.chats.message(done[0].message_id)
    assert (reply.content, reply.status) == (partial, "stopped")
    # A stop is not an error: the next message works normally.
    more = list(core.session.send(cid, "go on", CancelToken()))
    assert of_type(more, Done)[0].status == "complete"


def test_regenerate_hides_the_old_reply_and_stores_a_new_one(make_core: Callable[..., Core]) -> None:
    first, second = "A first attempt.", "A better second attempt."
    core = make_core(replies=[first, second])
    cid = core.chats.create_conversation()
    list(core.session.send(cid, "Explain WAL", CancelToken()))
    old_reply = core.chats.messages(cid)[-1]
    assert old_reply.content == first

    events = list(core.session.regenerate(cid, CancelToken()))
    done = of_type(events, Done)[0]
    assert done.status == "complete" and done.message_id != old_reply.id
    assert not of_type(events, MessageStored)  # no new user message
    visible = core.chats.messages(cid)
    assert [(m.role, m.content) for m in visible] == [("user", "Explain WAL"), ("assistant", second)]
    # The old reply is hidden, not deleted.
    hidden = core.chats.message(old_reply.id)
    assert hidden is not None and hidden.content == first
    rows = _rows(cid)
    assert len(rows) == 3
    assert [r["id"] for r in rows if r["superseded_at"] is not None] == [old_reply.id]
    # The engine did not see the reply it was asked to replace.
    assert core.engine.requests[-1].messages[-1] == {"role": "user", "content": "Explain WAL"}
    assert all(m["content"] != first for m in core.engine.requests[-1].messages)


def test_regenerate_on_an_empty_chat_is_refused(core: Core) -> None:
    cid = core.chats.create_conversation()
    events = list(core.session.regenerate(cid, CancelToken()))
    assert [e.kind for e in of_type(events, Failed)] == ["input_rejected"]
    assert _rows(cid) == []


def test_edit_hides_later_messages_and_continues_a_new_branch(make_core: Callable[..., Core]) -> None:
    core = make_core(replies=["answer one", "answer two", "answer to the edit"])
    cid = core.chats.create_conversation()
    list(core.session.send(cid, "question one", CancelToken()))
    list(core.session.send(cid, "question two", CancelToken()))
    first_user = core.chats.messages(cid)[0]
    assert first_user.content == "question one"

    events = list(core.session.edit(first_user.id, "question one, reworded", CancelToken()))
    assert of_type(events, Done)[0].status == "complete"
    assert [(m.role, m.content) for m in core.chats.messages(cid)] == [
        ("user", "question one, reworded"),
        ("assistant", "answer to the edit"),
    ]
    rows = _rows(cid)
    assert len(rows) == 6
    hidden = [r["content"] for r in rows if r["superseded_at"] is not None]
    assert hidden == ["question one", "answer one", "question two", "answer two"]
    # The new branch's prompt holds none of the hidden turns.
    sent = core.engine.requests[-1].messages
    assert [m["role"] for m in sent] == ["system", "user"]
    assert sent[-1]["content"] == "question one, reworded"


def test_edit_refuses_assistant_messages(make_core: Callable[..., Core]) -> None:
    core = make_core()
    cid = core.chats.create_conversation()
    list(core.session.send(cid, "hi", CancelToken()))
    reply = core.chats.messages(cid)[-1]
    events = list(core.session.edit(reply.id, "rewrite the bot", CancelToken()))
    assert [e.kind for e in of_type(events, Failed)] == ["input_rejected"]
    assert [m.id for m in core.chats.messages(cid)] == [m["id"] for m in _rows(cid)]


def test_engine_crash_keeps_partial_reply_and_next_send_reloads(
    make_core: Callable[..., Core],
) -> None:
    core = make_core(replies=[LONG_REPLY, "recovered fine"], fail_after_tokens=3)
    cid = core.chats.create_conversation()
    events = list(core.session.send(cid, "this will crash", CancelToken()))
    deltas = of_type(events, TextDelta)
    assert len(deltas) == 3
    failed = of_type(events, Failed)
    assert len(failed) == 1 and failed[0].kind == "crashed"
    assert failed[0].message  # words for the user
    assert not of_type(events, Done)
    assert any(isinstance(e, StatusChanged) and e.state == "error" for e in events)
    partial = "".join(d.text for d in deltas)
    reply = core.chats.message(failed[0].message_id)
    assert (reply.role, reply.content, reply.status) == ("assistant", partial, "interrupted")
    user = core.chats.messages(cid)[0]
    assert (user.content, user.status) == ("this will crash", "complete")
    assert core.engine.load_count == 1

    core.engine.fail_after_tokens = None  # the "new process" behaves
    events = list(core.session.send(cid, "try again", CancelToken()))
    assert of_type(events, Done)[0].status == "complete"
    assert core.engine.load_count == 2  # reloaded after the crash
    assert of_type(events, ModelLoaded)
    assert [m.status for m in core.chats.messages(cid)] == [
        "complete",
        "interrupted",
        "complete",
        "complete",
    ]


def test_consumer_abandoning_the_stream_leaves_reply_interrupted(make_core: Callable[..., Core]) -> None:
    core = make_core(replies=[LONG_REPLY, "after the close"])
    cid = core.chats.create_conversation()
    gen = core.session.send(cid, "start then walk away", CancelToken())
    received = ""
    reply_id = None
    for event in gen:
        if isinstance(event, ReplyStarted):
            reply_id = event.message_id
        if isinstance(event, TextDelta):
            received += event.text
            if received.count(" ") >= 4:
                break
    gen.close()
    assert reply_id is not None
    reply = core.chats.message(reply_id)
    assert (reply.content, reply.status) == (received, "interrupted")
    assert len(received) < len(LONG_REPLY)
    events = list(core.session.send(cid, "still there?", CancelToken()))
    assert of_type(events, Done)[0].status == "complete"


def test_conversation_system_prompt_overrides_the_global_one(make_core: Callable[..., Core]) -> None:
    global_prompt = "Global prompt: be brief."
    own_prompt = "Conversation prompt: answer like a pirate."
    core = make_core(system_prompt=global_prompt)
    with_own = core.chats.create_conversation(system_prompt=own_prompt)
    plain = core.chats.create_conversation()
    blank = core.chats.create_conversation()
    core.chats.set_system_prompt(blank, "   ")

    for cid in (with_own, plain, blank):
        list(core.session.send(cid, "hello", CancelToken()))
    systems = [r.messages[0] for r in core.engine.requests]
    assert systems == [
        {"role": "system", "content": own_prompt},
        {"role": "system", "content": global_prompt},
        {"role": "system", "content": global_prompt},
    ]
    assert sum(m["role"] == "system" for m in core.engine.requests[0].messages) == 1

    core.chats.set_system_prompt(plain, own_prompt + " (set later)")
    list(core.session.send(plain, "again", CancelToken()))
    assert core.engine.requests[-1].messages[0]["content"] == own_prompt + " (set later)"


def test_changed_settings_apply_to_the_next_turn(make_core: Callable[..., Core]) -> None:
    core = make_core(temperature=0.1, max_reply_tokens=11)
    cid = core.chats.create_conversation()
    list(core.session.send(cid, "one", CancelToken()))
    assert (core.engine.requests[-1].temperature, core.engine.requests[-1].max_tokens) == (0.1, 11)
    new = Settings(**{**core.settings.to_dict(), "temperature": 0.9, "max_reply_tokens": 99})
    core.save_settings(new)
    list(core.session.send(cid, "two", CancelToken()))
    assert (core.engine.requests[-1].temperature, core.engine.requests[-1].max_tokens) == (0.9, 99)
    assert core.chats.load_settings() == new


# model path -------------------------------------------------------------------------------
def test_effective_model_path_prefers_env_then_setting_then_starter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere" / "missing.gguf"
    env_model = tmp_path / "from-env.gguf"
    starter = tmp_path / "starter.gguf"
    monkeypatch.delenv(MODEL_ENV, raising=False)
    monkeypatch.setenv("ASSISTANT_STARTER_MODEL", str(starter))

    # A path that does not exist is passed on as it is: the engine reports it, not settings.
    assert Settings(model_path=str(missing)).effective_model_path() == missing
    assert Settings().effective_model_path() == starter
    monkeypatch.setenv(MODEL_ENV, str(env_model))
    assert Settings(model_path=str(missing)).effective_model_path() == env_model
    assert Settings().effective_model_path() == env_model
    monkeypatch.setenv(MODEL_ENV, "")  # empty: no override
    assert Settings(model_path=str(missing)).effective_model_path() == missing


def test_no_model_at_all_fails_with_model_missing(
    make_core: Callable[..., Core], monkeypatch: pytest.MonkeyPatch
) -> None:
    core = make_core(model_path="")
    monkeypatch.setattr(config_module, "starter_model_path", lambda: None)
    cid = core.chats.create_conversation()
    events = list(core.session.send(cid, "hello?", CancelToken()))
    failed = of_type(events, Failed)
    assert [f.kind for f in failed] == ["model_missing"]
    assert "model" in failed[0].message.lower()
    assert core.engine.requests == [] and core.engine.load_count == 0
    assert [r["role"] for r in _rows(cid)] == ["user"]  # the question is kept, no empty reply
