"""The session tells its listener what it changed: a new conversation, its title, and the
messages that Regenerate or an edit took out of the visible history."""

from __future__ import annotations

from collections.abc import Callable

from assistant.changes import Change, ConversationChanged
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import (
    ConversationCreated,
    ConversationRenamed,
    Done,
    Failed,
    MessagesSuperseded,
    MessageStored,
    ReplyStarted,
)
from tests.support.rows import of_type


def test_a_send_without_a_conversation_creates_one_titled_after_the_text(
    make_core: Callable[..., Core],
) -> None:
    core = make_core(replies=["Sunny."])
    heard: list[Change] = []
    core.changes.subscribe(heard.append)

    events = list(core.session.send(None, "What is the   weather\nlike?", CancelToken()))

    created = events[0]
    assert isinstance(created, ConversationCreated)
    assert created.title == "What is the weather like?"
    stored = of_type(events, MessageStored)[0]
    assert stored.conversation_id == created.conversation_id
    assert of_type(events, Done)[0].conversation_id == created.conversation_id
    conversation = core.chats.conversation(created.conversation_id)
    assert conversation is not None and conversation.title == created.title
    assert [m.role for m in core.chats.messages(created.conversation_id)] == ["user", "assistant"]
    assert ConversationChanged(created.conversation_id, "created", created.title) in heard
    assert not of_type(events, ConversationRenamed)  # titled when created


def test_a_rejected_text_creates_no_conversation(core: Core) -> None:
    events = list(core.session.send(None, "   ", CancelToken()))
    assert [type(e) for e in events] == [Failed]
    assert core.chats.list_conversations() == []


def test_the_first_message_of_a_new_chat_renames_it(make_core: Callable[..., Core]) -> None:
    core = make_core(replies=["one", "two"])
    cid = core.chats.create_conversation()

    first = list(core.session.send(cid, "Plan the trip to Kyoto", CancelToken()))
    second = list(core.session.send(cid, "And the hotels", CancelToken()))

    kinds = [type(e) for e in first]
    assert kinds.index(MessageStored) < kinds.index(ConversationRenamed) < kinds.index(ReplyStarted)
    assert of_type(first, ConversationRenamed) == [ConversationRenamed(cid, "Plan the trip to Kyoto")]
    assert not of_type(second, ConversationRenamed)


def test_regenerate_names_the_hidden_reply_before_the_new_one_starts(
    make_core: Callable[..., Core],
) -> None:
    core = make_core(replies=["first answer", "second answer"])
    cid = core.chats.create_conversation()
    list(core.session.send(cid, "question", CancelToken()))
    old_reply = core.chats.messages(cid)[-1]

    events = list(core.session.regenerate(cid, CancelToken()))

    kinds = [type(e) for e in events]
    assert kinds.index(MessagesSuperseded) < kinds.index(ReplyStarted)
    assert of_type(events, MessagesSuperseded) == [MessagesSuperseded(cid, (old_reply.id,))]
    assert old_reply.id not in [m.id for m in core.chats.messages(cid)]


def test_an_edit_names_the_edited_message_and_everything_after_it(
    make_core: Callable[..., Core],
) -> None:
    core = make_core(replies=["answer one", "answer two", "answer to the edit"])
    cid = core.chats.create_conversation()
    list(core.session.send(cid, "question one", CancelToken()))
    list(core.session.send(cid, "question two", CancelToken()))
    before = core.chats.messages(cid)

    events = list(core.session.edit(before[0].id, "question one, reworded", CancelToken()))

    kinds = [type(e) for e in events]
    assert kinds.index(MessagesSuperseded) < kinds.index(MessageStored) < kinds.index(ReplyStarted)
    assert of_type(events, MessagesSuperseded) == [MessagesSuperseded(cid, tuple(m.id for m in before))]
    visible = {m.id for m in core.chats.messages(cid)}
    assert visible.isdisjoint(m.id for m in before)
