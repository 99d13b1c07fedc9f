"""The SQLite store on real files: migrations, conversations, messages, settings."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.store import migrations
from assistant.store.chats import DEFAULT_TITLE, ChatStore
from assistant.store.db import Database
from tests.support.rows import raw_rows


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "store-test.db"


@pytest.fixture
def database(db_file: Path):
    database = Database(db_file).open()
    yield database
    database.close()


@pytest.fixture
def chats(database: Database) -> ChatStore:
    return ChatStore(database)


def _schema(db_file: Path) -> list[tuple[str, str]]:
    return [
        (r["name"], r["sql"]) for r in raw_rows(db_file, "select name, sql from sqlite_master order by name")
    ]


def _tick() -> None:
    """Make the next time.time() strictly larger, so ordering by time is unambiguous."""
    start = time.time()
    while time.time() <= start:
        time.sleep(0.001)


# migrations ------------------------------------------------------------------------------
def test_migrations_are_named_unique_and_in_order() -> None:
    names = [name for name, _ in migrations.MIGRATIONS]
    assert names, "no migrations registered"
    assert len(names) == len(set(names)), f"duplicate migration names: {names}"
    assert all(name.strip() for name in names)
    # Numbered names sort in registration order, so a reader can tell which came first.
    assert names == sorted(names)


def test_migrations_table_lists_every_applied_migration(database: Database, db_file: Path) -> None:
    rows = raw_rows(db_file, "select name, applied_at from _migrations")
    assert sorted(r["name"] for r in rows) == sorted(n for n, _ in migrations.MIGRATIONS)
    assert all(r["applied_at"] > 0 for r in rows)
    tables = {r["name"] for r in raw_rows(db_file, "select name from sqlite_master where type='table'")}
    assert {"conversations", "messages", "settings", "_migrations"} <= tables


def test_reopen_is_a_no_op_and_keeps_data(db_file: Path) -> None:
    first = Database(db_file).open()
    chats = ChatStore(first)
    cid = chats.create_conversation()
    chats.add_message(cid, "user", "kept across reopen")
    first.close()
    applied_before = {r["name"]: r["applied_at"] for r in raw_rows(db_file, "select * from _migrations")}
    schema_before = _schema(db_file)

    second = Database(db_file).open()
    try:
        assert migrations.apply_pending(second.db) == []
        applied_after = {r["name"]: r["applied_at"] for r in raw_rows(db_file, "select * from _migrations")}
        assert applied_after == applied_before  # not re-applied, not re-stamped
        assert _schema(db_file) == schema_before
        assert [m.content for m in ChatStore(second).messages(cid)] == ["kept across reopen"]
    finally:
        second.close()


def test_new_migration_runs_once_on_an_existing_database(
    db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Database(db_file).open().close()
    calls: list[str] = []

    def add_notes(db) -> None:
        calls.append("ran")
        db["notes_for_test"].create({"id": int, "text": str}, pk="id")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("999_notes_for_test", add_notes)])
    for _ in range(3):
        Database(db_file).open().close()
    assert calls == ["ran"]
    names = [r["name"] for r in raw_rows(db_file, "select name from _migrations")]
    assert names.count("999_notes_for_test") == 1


def test_failing_migration_leaves_no_trace(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = Database(db_file).open()
    cid = ChatStore(database).create_conversation()
    ChatStore(database).add_message(cid, "user", "before the upgrade")
    database.close()

    def broken(db) -> None:
        db["half_done"].create({"id": int}, pk="id")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("998_broken", broken)])
    with pytest.raises(Exception, match="migration bug"):
        Database(db_file).open()
    tables = {r["name"] for r in raw_rows(db_file, "select name from sqlite_master")}
    assert "half_done" not in tables
    assert "998_broken" not in {r["name"] for r in raw_rows(db_file, "select name from _migrations")}
    assert [r["content"] for r in raw_rows(db_file, "select content from messages")] == ["before the upgrade"]


def test_wal_mode_and_foreign_keys_are_on(database: Database, db_file: Path) -> None:
    assert database.db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    assert database.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # WAL is a property of the file: a fresh, unconfigured connection sees it too.
    assert raw_rows(db_file, "PRAGMA journal_mode")[0][0].lower() == "wal"


# conversations ----------------------------------------------------------------------------
def test_conversations_sort_by_last_activity(chats: ChatStore) -> None:
    a = chats.create_conversation("alpha")
    _tick()
    b = chats.create_conversation("beta")
    _tick()
    c = chats.create_conversation("gamma")
    assert [x.id for x in chats.list_conversations()] == [c, b, a]
    _tick()
    chats.add_message(a, "user", "new activity in the oldest chat")
    assert [x.id for x in chats.list_conversations()] == [a, c, b]
    _tick()
    chats.add_message(b, "assistant", "a reply counts as activity too")
    assert [x.id for x in chats.list_conversations()] == [b, a, c]


def test_title_filter_is_case_insensitive_and_handles_cjk(chats: ChatStore) -> None:
    ids = {
        title: chats.create_conversation(title)
        for title in ["Python packaging", "Holiday PLANS", "学习计划 2024", "日本語のメモ", "100% done"]
    }
    chats.create_conversation("1000 things")

    def found(text: str) -> set[str]:
        return {c.title for c in chats.list_conversations(text)}

    assert found("python") == {"Python packaging"}
    assert found("PYTHON") == {"Python packaging"}
    assert found("plans") == {"Holiday PLANS"}
    assert found("学习") == {"学习计划 2024"}
    assert found("メモ") == {"日本語のメモ"}
    assert found("计划 20") == {"学习计划 2024"}
    # %, _ are not wildcards.
    assert found("100%") == {"100% done"}
    assert found("_") == set()
    assert found("no such title") == set()
    assert len(chats.list_conversations("   ")) == len(ids) + 1  # blank filter: everything


def test_title_filter_is_case_insensitive_beyond_ascii(chats: ChatStore) -> None:
    chats.create_conversation("Привет из Москвы")
    chats.create_conversation("Érable et Über")
    chats.create_conversation("ΣΟΦΙΑ notes")
    assert {c.title for c in chats.list_conversations("привет")} == {"Привет из Москвы"}
    assert {c.title for c in chats.list_conversations("érable")} == {"Érable et Über"}
    assert {c.title for c in chats.list_conversations("über")} == {"Érable et Über"}
    assert {c.title for c in chats.list_conversations("σοφια")} == {"ΣΟΦΙΑ notes"}


def test_deleted_conversations_do_not_match_a_filter(chats: ChatStore) -> None:
    keep = chats.create_conversation("budget 2025")
    gone = chats.create_conversation("budget 2024")
    chats.delete_conversation(gone)
    assert [c.id for c in chats.list_conversations("budget")] == [keep]


def test_rename(chats: ChatStore) -> None:
    cid = chats.create_conversation()
    chats.rename_conversation(cid, "  Trip\tto   Lisbon \n")
    assert chats.conversation(cid).title == "Trip to Lisbon"
    chats.rename_conversation(cid, "   ")
    assert chats.conversation(cid).title == DEFAULT_TITLE
    chats.rename_conversation(cid, "x" * 1000)
    assert 0 < len(chats.conversation(cid).title) <= 200
    other = chats.create_conversation("untouched")
    chats.rename_conversation(cid, "only this one")
    assert chats.conversation(other).title == "untouched"


def test_soft_delete_hides_and_restore_brings_back(chats: ChatStore, db_file: Path) -> None:
    cid = chats.create_conversation("to delete")
    other = chats.create_conversation("stays")
    chats.add_message(cid, "user", "hello")
    chats.add_message(cid, "assistant", "hi there")
    chats.delete_conversation(cid)
    assert chats.conversation(cid) is None
    assert [c.id for c in chats.list_conversations()] == [other]
    # Soft: the rows are still in the file.
    assert len(raw_rows(db_file, "select id from messages where conversation_id = ?", [cid])) == 2

    chats.restore_conversation(cid)
    assert chats.conversation(cid).title == "to delete"
    assert {c.id for c in chats.list_conversations()} == {cid, other}
    assert [(m.role, m.content) for m in chats.messages(cid)] == [
        ("user", "hello"),
        ("assistant", "hi there"),
    ]


def test_purge_deleted_removes_conversation_and_its_messages(chats: ChatStore, db_file: Path) -> None:
    old = chats.create_conversation("old")
    live = chats.create_conversation("live")
    recent = chats.create_conversation("recently deleted")
    for cid in (old, live, recent):
        chats.add_message(cid, "user", f"message in {cid}")
    chats.delete_conversation(old)
    chats.delete_conversation(recent)
    # Default undo window: nothing just deleted is purged.
    assert chats.purge_deleted() == 0
    assert len(raw_rows(db_file, "select id from messages")) == 3

    _tick()
    assert chats.purge_deleted(older_than_seconds=0) == 2
    assert {r["id"] for r in raw_rows(db_file, "select id from conversations")} == {live}
    assert {r["conversation_id"] for r in raw_rows(db_file, "select conversation_id from messages")} == {live}
    chats.restore_conversation(old)  # too late: nothing comes back
    assert chats.conversation(old) is None


# messages ---------------------------------------------------------------------------------
def test_first_user_message_sets_the_title(chats: ChatStore) -> None:
    cid = chats.create_conversation()
    assert chats.conversation(cid).title == DEFAULT_TITLE
    chats.add_message(cid, "assistant", "an assistant greeting does not name the chat")
    assert chats.conversation(cid).title == DEFAULT_TITLE
    first = "  How do I   bake\nsourdough bread at home without a proofing basket or a dutch oven?"
    chats.add_message(cid, "user", first)
    title = chats.conversation(cid).title
    assert title != DEFAULT_TITLE
    assert "\n" not in title and "  " not in title
    assert " ".join(first.split()).startswith(title)
    assert len(title) <= 60
    chats.add_message(cid, "user", "a second question does not rename it")
    assert chats.conversation(cid).title == title


def test_first_user_message_keeps_a_title_the_user_chose(chats: ChatStore) -> None:
    cid = chats.create_conversation("My own title")
    chats.add_message(cid, "user", "something else entirely")
    assert chats.conversation(cid).title == "My own title"


def test_supersede_from_hides_later_messages_but_keeps_rows(chats: ChatStore, db_file: Path) -> None:
    cid = chats.create_conversation()
    other = chats.create_conversation()
    ids = [chats.add_message(cid, role, f"m{i}") for i, role in enumerate(["user", "assistant"] * 2)]
    later_other = chats.add_message(other, "user", "another chat, added later")
    chats.supersede_from(ids[2])
    assert [m.id for m in chats.messages(cid)] == ids[:2]
    rows = raw_rows(db_file, "select id, superseded_at from messages where conversation_id = ?", [cid])
    assert len(rows) == 4
    assert {r["id"] for r in rows if r["superseded_at"] is not None} == set(ids[2:])
    # Other conversations are untouched, even their higher ids.
    assert [m.id for m in chats.messages(other)] == [later_other]
    assert chats.message(ids[3]).content == "m3"  # still readable by id


def test_mark_unfinished_interrupted(chats: ChatStore) -> None:
    cid = chats.create_conversation()
    statuses = ["streaming", "complete", "stopped", "streaming", "failed"]
    ids = [chats.add_message(cid, "assistant", f"part {i}", status=s) for i, s in enumerate(statuses)]
    assert chats.mark_unfinished_interrupted() == 2
    after = [chats.message(i).status for i in ids]
    expected = ["interrupted" if s == "streaming" else s for s in statuses]
    assert after == expected
    assert [chats.message(i).content for i in ids] == [f"part {i}" for i in range(5)]
    assert chats.mark_unfinished_interrupted() == 0


# settings ---------------------------------------------------------------------------------
def _changed_settings() -> Settings:
    defaults = Settings()
    return Settings(
        model_path="/models/some model ü.gguf",
        n_ctx=defaults.n_ctx * 2,
        n_threads=defaults.n_threads + 3,
        n_gpu_layers=defaults.n_gpu_layers + 7,
        temperature=defaults.temperature / 2,
        max_reply_tokens=defaults.max_reply_tokens + 1,
        system_prompt=defaults.system_prompt + " Réponds en français. 简短回答。",
        max_input_chars=defaults.max_input_chars - 1,
        language="fr",
    )


def test_settings_round_trip(chats: ChatStore, db_file: Path) -> None:
    assert chats.load_settings() == Settings()  # nothing saved yet: defaults
    wanted = _changed_settings()
    assert wanted != Settings()
    chats.save_settings(wanted)
    assert chats.load_settings() == wanted
    reopened = Database(db_file).open()
    try:
        assert ChatStore(reopened).load_settings() == wanted
    finally:
        reopened.close()


def _put_raw_setting(db_file: Path, key: str, raw_value: str) -> None:
    conn = sqlite3.connect(str(db_file))
    with conn:
        conn.execute(
            "insert into settings(key, value) values (?, ?)"
            " on conflict(key) do update set value = excluded.value",
            [key, raw_value],
        )
    conn.close()


def test_unknown_setting_keys_are_ignored(chats: ChatStore, db_file: Path) -> None:
    wanted = _changed_settings()
    chats.save_settings(wanted)
    _put_raw_setting(db_file, "setting_from_a_newer_version", json.dumps({"x": [1, 2]}))
    assert chats.load_settings() == wanted


@pytest.mark.parametrize(
    ("key", "bad_value"),
    [
        ("n_ctx", "lots"),
        ("n_ctx", [4096]),
        ("n_ctx", None),
        ("temperature", "hot"),
        ("temperature", {"value": 0.2}),
        ("max_input_chars", None),
    ],
)
def test_badly_typed_numeric_settings_are_ignored(
    chats: ChatStore, db_file: Path, key: str, bad_value: object
) -> None:
    wanted = _changed_settings()
    chats.save_settings(wanted)
    _put_raw_setting(db_file, key, json.dumps(bad_value))
    loaded = chats.load_settings()
    assert getattr(loaded, key) == getattr(Settings(), key)
    # Everything else still loads.
    assert {k: v for k, v in loaded.to_dict().items() if k != key} == {
        k: v for k, v in wanted.to_dict().items() if k != key
    }


@pytest.mark.parametrize(
    ("key", "bad_value"),
    [("system_prompt", None), ("model_path", None), ("model_path", ["a.gguf"]), ("language", {"x": 1})],
)
def test_badly_typed_text_settings_are_ignored(
    chats: ChatStore, db_file: Path, key: str, bad_value: object
) -> None:
    """null / list / dict in a text setting must not become the text "None" or "['a.gguf']"."""
    _put_raw_setting(db_file, key, json.dumps(bad_value))
    assert getattr(chats.load_settings(), key) == getattr(Settings(), key)


@pytest.mark.parametrize(
    ("key", "raw_value"),
    [("n_ctx", "1e999"), ("max_reply_tokens", "-1e999"), ("n_ctx", "{not json"), ("temperature", "")],
)
def test_damaged_setting_values_do_not_stop_loading(
    chats: ChatStore, db_file: Path, key: str, raw_value: str
) -> None:
    """Infinity (json reads 1e999 as inf) or a non-JSON value: ignore it, load the rest."""
    wanted = _changed_settings()
    chats.save_settings(wanted)
    _put_raw_setting(db_file, key, raw_value)
    loaded = chats.load_settings()
    assert getattr(loaded, key) == getattr(Settings(), key)
    assert loaded.system_prompt == wanted.system_prompt


# SQL injection ----------------------------------------------------------------------------
EVIL = "'); drop table messages; --"
EVIL_2 = 'x" or 1=1; delete from conversations where "a"="a'


def test_values_are_bound_not_interpolated(chats: ChatStore, db_file: Path) -> None:
    cid = chats.create_conversation(EVIL)
    assert chats.conversation(cid).title == EVIL
    mid = chats.add_message(cid, "user", EVIL_2)
    chats.rename_conversation(cid, EVIL_2)
    chats.set_system_prompt(cid, EVIL)
    chats.update_message(mid, EVIL, "complete")
    assert [c.id for c in chats.list_conversations(EVIL_2)] == [cid]
    assert chats.list_conversations(EVIL) == []
    assert chats.conversation(cid).title == EVIL_2
    assert chats.conversation(cid).system_prompt == EVIL
    assert [m.content for m in chats.messages(cid)] == [EVIL]
    tables = {r["name"] for r in raw_rows(db_file, "select name from sqlite_master where type='table'")}
    assert {"messages", "conversations", "settings"} <= tables
    assert raw_rows(db_file, "PRAGMA integrity_check")[0][0] == "ok"
