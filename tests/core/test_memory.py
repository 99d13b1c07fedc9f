"""Recall storage and facts on real SQLite files, with a fast hashed embedder (no model)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.config import db_path
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.memory.events import FactSaved, FactsForgotten
from assistant.memory.facts import parse_intent
from assistant.memory.search import fts_expression, query_terms
from assistant.memory.service import MemorySettings
from assistant.memory.worker import embed_pending, pending_count
from tests.support.memory_fixtures import HashEmbedder
from tests.support.rows import of_type, raw_rows


def _core(make_core: Callable[..., Core], **kw: object) -> Core:
    core = make_core(**kw)
    core.memory.use_embedder(HashEmbedder())
    return core


def _embed_all(core: Core) -> None:
    assert core.memory.embedder is not None
    while embed_pending(core.database, core.memory.embedder, core.memory.index):
        pass


def _counts(message_id: int) -> tuple[int, int, int]:
    items = raw_rows(db_path(), "select id from search_items where message_id = ?", [message_id])
    ids = [r["id"] for r in items]
    marks = ",".join("?" * len(ids)) or "null"
    fts = raw_rows(db_path(), f"select rowid from search_fts where rowid in ({marks})", ids)
    vectors = raw_rows(db_path(), f"select item_id from embeddings where item_id in ({marks})", ids)
    return len(items), len(fts), len(vectors)


def test_messages_are_indexed_when_final_and_hidden_when_superseded(make_core: Callable[..., Core]) -> None:
    core = _core(make_core)
    cid = core.chats.create_conversation()
    question = core.chats.add_message(cid, "user", "How tall is the Eiffel tower?")
    reply = core.chats.add_message(cid, "assistant", "", "streaming")
    core.chats.update_message(reply, "It is about 330 metres", "streaming")
    assert _counts(question)[:2] == (1, 1)
    assert _counts(reply) == (0, 0, 0), "a streaming reply churns; it is indexed when final"
    core.chats.update_message(reply, "It is about 330 metres tall.", "complete")
    _embed_all(core)
    assert _counts(reply) == (1, 1, 1)
    hits = core.memory.search("Eiffel metres", ["message"])
    assert {h.message_id for h in hits} == {question, reply}
    core.chats.supersede_from(reply)
    assert _counts(reply) == (0, 0, 0)
    assert reply not in [h.message_id for h in core.memory.search("metres", ["message"])]


def test_deleting_a_conversation_hides_it_at_once_and_purge_removes_fts_and_vectors(
    make_core: Callable[..., Core],
) -> None:
    core = _core(make_core)
    cid = core.chats.create_conversation()
    mid = core.chats.add_message(cid, "user", "My locker code is 4711 at the swimming pool")
    _embed_all(core)
    assert _counts(mid) == (1, 1, 1)
    assert core.memory.search("locker code swimming")
    core.chats.delete_conversation(cid)
    assert core.memory.search("locker code swimming") == []
    core.chats.restore_conversation(cid)
    assert core.memory.search("locker code swimming")
    core.chats.delete_conversation(cid)
    assert core.chats.purge_deleted(older_than_seconds=0) == 1
    assert _counts(mid) == (0, 0, 0)
    assert (
        raw_rows(db_path(), "select count(*) n from search_fts where search_fts match '\"4711\"'")[0]["n"]
        == 0
    )
    core.memory.index.sync()
    assert len(core.memory.index) == 0
    core.database.db.execute("insert into search_fts(search_fts) values ('integrity-check')")


@pytest.mark.parametrize(
    ("text", "action", "fact"),
    [
        ("Remember that my sister's birthday is 3 May", "remember", "My sister's birthday is 3 May"),
        ("please remember: I take the 7:40 train.", "remember", "I take the 7:40 train"),
        ("I'm vegetarian", "propose", "I'm vegetarian"),
        ("My dog's name is Biscuit", "propose", "My dog's name is Biscuit"),
        ("Forget my sister's birthday", "forget", "my sister's birthday"),
        ("Do you remember what I said yesterday?", None, None),
        ("I'm tired today", None, None),
        ("What is my name?", None, None),
    ],
)
def test_memory_phrases(text: str, action: str | None, fact: str | None) -> None:
    intent = parse_intent(text)
    assert (intent.action if intent else None, intent.text if intent else None) == (action, fact)


def test_remember_and_forget_in_chat_record_where_and_remove_everything(
    make_core: Callable[..., Core],
) -> None:
    core = _core(make_core, replies=["Noted."])
    cid = core.chats.create_conversation()
    events = list(core.session.send(cid, "Remember that my sister's birthday is 3 May", CancelToken()))
    saved = of_type(events, FactSaved)
    assert [(s.text, s.status) for s in saved] == [("My sister's birthday is 3 May", "approved")]
    fact = core.memory.facts.get(saved[0].fact_id)
    assert fact is not None and fact.conversation_id == cid
    assert fact.message_id == core.chats.messages(cid)[0].id and fact.created_at > 0
    _embed_all(core)
    assert [h.fact_id for h in core.memory.search("sister birthday", ["fact"])] == [fact.id]

    events = list(core.session.send(cid, "Forget my sister's birthday.", CancelToken()))
    forgotten = of_type(events, FactsForgotten)
    assert forgotten and forgotten[0].fact_ids == (fact.id,)
    assert core.memory.facts.list() == []
    assert raw_rows(db_path(), "select count(*) n from search_items where kind = 'fact'")[0]["n"] == 0
    assert (
        raw_rows(db_path(), "select count(*) n from search_fts where search_fts match '\"sister\"'")[0]["n"]
        == 2
    )  # the two chat messages mention it; the fact's own row is gone
    _embed_all(core)
    assert all(
        i in core.memory.index._row
        for i in [r["id"] for r in raw_rows(db_path(), "select id from search_items")]
    )


def test_proposals_need_approval_and_memory_can_be_turned_off(make_core: Callable[..., Core]) -> None:
    core = _core(make_core)
    cid = core.chats.create_conversation()
    events = list(core.session.send(cid, "I'm vegetarian", CancelToken()))
    proposal = of_type(events, FactSaved)[0]
    assert proposal.status == "proposed"
    assert core.memory.search("vegetarian", ["fact"]) == []
    core.memory.facts.approve(proposal.fact_id)
    assert [h.fact_id for h in core.memory.search("vegetarian", ["fact"])] == [proposal.fact_id]
    core.memory.facts.edit(proposal.fact_id, "I'm vegan")
    assert core.memory.search("vegetarian", ["fact"]) == []
    assert core.memory.search("vegan", ["fact"])

    core.memory.update_settings(MemorySettings(enabled=False))
    events = list(core.session.send(cid, "Remember that the wifi password is hunter2", CancelToken()))
    assert of_type(events, FactSaved) == []
    assert core.memory.recall(cid, "vegan") is None
    core.memory.update_settings(MemorySettings(enabled=True))
    assert core.memory.settings.enabled


def test_short_and_cjk_queries(make_core: Callable[..., Core]) -> None:
    core = _core(make_core)
    cid = core.chats.create_conversation()
    cjk = core.chats.add_message(cid, "user", "下周三下午两点和老王开会")
    short = core.chats.add_message(cid, "user", "I started learning Go last week")
    assert [h.message_id for h in core.memory.search("下午两点开会")] == [cjk]
    assert [h.message_id for h in core.memory.search("Go")] == [short]  # 2 letters: below trigram
    hit = core.memory.search("learning")[0]
    assert hit.snippet[hit.highlights[0][0] : hit.highlights[0][1]].casefold() == "learning"
    assert fts_expression(query_terms('a "quoted" OR NEAR(x) term')) == '"quoted" OR "near" OR "term"'


def test_model_change_reembeds_and_never_mixes(make_core: Callable[..., Core]) -> None:
    core = _core(make_core)
    cid = core.chats.create_conversation()
    for i in range(5):
        core.chats.add_message(cid, "user", f"note number {i} about gardening")
    _embed_all(core)
    assert len(core.memory.index) == 5
    other = HashEmbedder("another-model")
    core.memory.use_embedder(other)
    assert len(core.memory.index) == 0 and core.memory.index.model_id == "another-model"
    assert pending_count(core.database, "another-model") == 5
    core.memory.start()
    assert core.memory.worker is not None and core.memory.worker.wait_idle(20)
    core.memory.stop()
    models = raw_rows(db_path(), "select distinct model, dim from embeddings")
    assert [(r["model"], r["dim"]) for r in models] == [("another-model", 64)]
    assert len(core.memory.search("gardening")) == 5
