"""The change feed: every store operation tells listeners what changed, after its commit."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.changes import (
    Change,
    ChangeFeed,
    ConversationChanged,
    DocumentsChanged,
    FactsChanged,
    RemindersChanged,
    SettingsChanged,
)
from assistant.config import db_path
from assistant.core import Core
from assistant.scheduler.parse import parse_when
from assistant.scheduler.service import DueService
from assistant.store.db import Database, StorageError
from tests.support.rows import raw_rows


@pytest.fixture
def heard(core: Core) -> Iterator[list[Change]]:
    changes: list[Change] = []
    unsubscribe = core.changes.subscribe(changes.append)
    yield changes
    unsubscribe()


# the feed itself ---------------------------------------------------------------------------
def test_unsubscribe_stops_the_calls() -> None:
    feed = ChangeFeed()
    got: list[Change] = []
    unsubscribe = feed.subscribe(got.append)
    feed.publish(FactsChanged())
    unsubscribe()
    feed.publish(FactsChanged())
    unsubscribe()  # twice is harmless
    assert got == [FactsChanged()]


def test_a_failing_listener_is_logged_and_the_others_still_hear(caplog: pytest.LogCaptureFixture) -> None:
    feed = ChangeFeed()
    got: list[Change] = []

    def broken(_change: Change) -> None:
        raise RuntimeError("listener bug")

    feed.subscribe(broken)
    feed.subscribe(got.append)
    with caplog.at_level(logging.ERROR, logger="assistant.changes"):
        feed.publish(RemindersChanged())
    assert got == [RemindersChanged()]
    assert "listener bug" in caplog.text


def test_publish_from_many_threads_reaches_every_listener() -> None:
    feed = ChangeFeed()
    got: list[Change] = []
    lock = threading.Lock()

    def listen(change: Change) -> None:
        with lock:
            got.append(change)

    def publish_many(conversation_id: int) -> None:
        for _ in range(50):
            feed.publish(ConversationChanged(conversation_id, "created"))

    feed.subscribe(listen)
    threads = [threading.Thread(target=publish_many, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 200


# transactions ------------------------------------------------------------------------------
def test_a_change_is_told_after_the_commit_and_never_for_a_rollback(tmp_path: Path) -> None:
    database = Database(tmp_path / "t.db").open()
    seen_committed: list[bool] = []

    def listen(_change: Change) -> None:  # a second connection sees only committed rows
        rows = raw_rows(database.path, "select count(*) as n from settings where key = 'x'", [])
        seen_committed.append(rows[0]["n"] == 1)

    database.changes.subscribe(listen)
    with pytest.raises(RuntimeError), database.writing() as db:
        db.execute("insert into settings(key, value) values ('y', '1')")
        database.changed(SettingsChanged())
        raise RuntimeError("rolled back")
    assert seen_committed == []
    with database.writing() as db:
        db.execute("insert into settings(key, value) values ('x', '1')")
        database.changed(SettingsChanged())
        database.changed(SettingsChanged())  # the same change twice in one transaction: told once
        assert seen_committed == []  # not yet: the transaction is open
    assert seen_committed == [True]


def test_a_rolled_back_savepoint_drops_only_its_own_changes(tmp_path: Path) -> None:
    database = Database(tmp_path / "t.db").open()
    got: list[Change] = []
    database.changes.subscribe(got.append)
    with database.writing():
        database.changed(FactsChanged())
        with pytest.raises(StorageError), database.writing() as inner:
            database.changed(RemindersChanged())
            inner.execute("insert into no_such_table values (1)")
        database.changed(DocumentsChanged())
    assert got == [FactsChanged(), DocumentsChanged()]


# every kind of change, through the core ----------------------------------------------------
def test_conversations_created_renamed_deleted_restored(core: Core, heard: list[Change]) -> None:
    cid = core.chats.create_conversation()
    core.chats.rename_conversation(cid, "  Trip   plans ")
    core.chats.delete_conversation(cid)
    core.chats.restore_conversation(cid)
    assert heard == [
        ConversationChanged(cid, "created", "New chat"),
        ConversationChanged(cid, "renamed", "Trip plans"),
        ConversationChanged(cid, "deleted"),
        ConversationChanged(cid, "restored", "Trip plans"),
    ]


def test_the_first_message_titles_a_new_chat(core: Core, heard: list[Change]) -> None:
    cid = core.chats.create_conversation()
    core.chats.add_message(cid, "user", "Book   the\nflights")
    core.chats.add_message(cid, "user", "and a hotel")  # titled already: no rename
    assert heard[1:] == [ConversationChanged(cid, "renamed", "Book the flights")]


def test_settings_saved(core: Core, heard: list[Change]) -> None:
    core.save_settings(core.settings)
    assert heard == [SettingsChanged()]


def test_reminders_add_move_snooze_complete_cancel_and_fire(core: Core, heard: list[Change]) -> None:
    now = datetime.now(UTC)
    reminder = core.reminders.add("tea", parse_when("in 5 minutes", now))
    core.reminders.move(reminder.id, parse_when("in 10 minutes", now))
    core.reminders.snooze(reminder.id, parse_when("in 20 minutes", now).start)
    core.reminders.complete(reminder.id)
    core.reminders.restore(reminder.id)
    core.reminders.cancel(reminder.id)
    assert heard == [RemindersChanged()] * 6
    heard.clear()
    due = core.reminders.add("stretch", parse_when("in 1 minute", now))
    DueService(core.reminders).fire_due(due.start)
    assert heard == [RemindersChanged(), RemindersChanged()]


def test_facts_add_edit_delete(core: Core, heard: list[Change]) -> None:
    fact_id = core.memory.facts.add("I like green tea")
    proposed = core.memory.facts.propose("I live in Porto")
    core.memory.facts.approve(proposed)
    core.memory.facts.edit(fact_id, "I like black tea")
    core.memory.facts.delete([fact_id, proposed])
    core.memory.facts.delete([fact_id])  # nothing left to delete: nothing to tell
    assert heard == [FactsChanged()] * 5


def test_collections_and_documents(core: Core, heard: list[Change], tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("# Budget\nThe budget for May is 300 euros.\n", encoding="utf-8")
    collection = core.knowledge.collections.add(folder)
    assert heard == [DocumentsChanged()]
    heard.clear()
    list(core.knowledge.indexer.index(collection.id))
    assert heard and set(heard) == {DocumentsChanged()}
    heard.clear()
    core.knowledge.collections.remove(collection.id)
    assert heard == [DocumentsChanged()]


def test_an_import_tells_each_conversation_once_it_is_committed(
    core: Core, heard: list[Change], tmp_path: Path
) -> None:
    from assistant.transfer.export import export_conversations
    from assistant.transfer.importer import run_import

    cid = core.chats.create_conversation("Exported")
    core.chats.add_message(cid, "user", "hello")
    out = tmp_path / "chats.json"
    export_conversations(core, [cid], "json", out)
    core.chats.delete_conversation(cid)
    core.chats.purge_deleted(older_than_seconds=-1)
    heard.clear()
    summary = run_import(core, out)
    assert heard == [ConversationChanged(summary.conversation_ids[0], "created", "Exported")]
    assert raw_rows(db_path(), "select title from conversations where id = ?", summary.conversation_ids)
