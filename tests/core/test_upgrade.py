"""Upgrades keep data (backup first, restore on failure); damaged databases are never deleted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from assistant.store import backup, migrations
from assistant.store.chats import ChatStore
from assistant.store.db import Database, DatabaseDamaged, MigrationFailed, recover


def previous_release(path: Path, upto: str = "002_settings") -> None:
    """A database as the previous release left it: migrations up to ``upto``, with data."""
    db = sqlite_utils.Database(path)
    db["_migrations"].create({"name": str, "applied_at": float}, pk="name")
    for name, func in migrations.MIGRATIONS:
        func(db)
        db["_migrations"].insert({"name": name, "applied_at": 0.0})
        if name == upto:
            break
    db["conversations"].insert({"id": 1, "title": "Old chat 你好", "created_at": 1.0, "updated_at": 2.0})
    for i, role in enumerate(["user", "assistant"] * 50):
        db["messages"].insert({"conversation_id": 1, "role": role, "content": f"message {i}",
                               "status": "complete", "created_at": float(i), "updated_at": float(i)})
    db["settings"].insert({"key": "temperature", "value": "0.3"})
    db.conn.close()


def test_upgrade_from_the_previous_schema_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "assistant.db"
    previous_release(path)
    database = Database(path).open()
    chats = ChatStore(database)
    assert [c.title for c in chats.list_conversations()] == ["Old chat 你好"]
    assert [m.content for m in chats.messages(1)] == [f"message {i}" for i in range(100)]
    assert chats.load_settings().temperature == 0.3
    assert migrations.applied_names(database.db) == {name for name, _ in migrations.MIGRATIONS}
    saved = backup.list_backups(path)
    assert saved and "before-upgrade" in saved[0].name
    # The backup is the old schema with the old data.
    old = sqlite3.connect(saved[0])
    assert old.execute("select count(*) from messages").fetchone()[0] == 100
    assert "models" not in {r[0] for r in old.execute("select name from sqlite_master")}
    database.close()


def test_failed_migration_restores_the_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "assistant.db"
    previous_release(path)

    def broken(db: sqlite_utils.Database) -> None:
        db["conversations"].add_column("half_done", str)
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("999_broken", broken)])
    with pytest.raises(MigrationFailed) as info:
        Database(path).open()
    assert "restored" in str(info.value) and "Nothing was lost" in str(info.value)
    conn = sqlite3.connect(path)
    columns = {r[1] for r in conn.execute("pragma table_info(conversations)")}
    assert "half_done" not in columns
    assert conn.execute("select count(*) from messages").fetchone()[0] == 100
    applied = {r[0] for r in conn.execute("select name from _migrations")}
    assert "003_model_library" not in applied  # back exactly to the previous release
    conn.close()


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "garbage":
        path.write_bytes(b"\x13\x37garbage" * 100)
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif how == "scribbled":
        path.write_bytes(data[:4096] + b"\xff" * 8192 + data[4096 + 8192 :])


def _filled(tmp_path: Path) -> Path:
    path = tmp_path / "assistant.db"
    database = Database(path).open()
    chats = ChatStore(database)
    cid = chats.create_conversation("Keep me")
    for i in range(300):
        chats.add_message(cid, "user", f"line {i} " + "x" * 200)
    database.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backup.take_backup(path, "daily")
    database.close()
    return path


@pytest.mark.parametrize("how", ["garbage", "truncated", "scribbled"])
def test_damaged_database_is_detected_and_restored_from_backup(tmp_path: Path, how: str) -> None:
    path = _filled(tmp_path)
    _damage(path, how)
    with pytest.raises(DatabaseDamaged) as info:
        Database(path).open()
    assert info.value.backups and "damaged" in str(info.value)
    message = recover(path, "restore")
    assert "Restored" in message
    kept = list(tmp_path.glob("assistant.db.damaged-*"))
    assert kept, "the damaged file must be kept"
    database = Database(path).open()
    chats = ChatStore(database)
    assert len(chats.messages(chats.list_conversations()[0].id)) == 300
    database.close()


def test_start_fresh_keeps_the_damaged_file(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    _damage(path, "garbage")
    damaged_bytes = path.read_bytes()
    assert "new, empty" in recover(path, "fresh")
    [kept] = list(tmp_path.glob("assistant.db.damaged-*"))
    assert kept.read_bytes() == damaged_bytes
    database = Database(path).open()
    assert ChatStore(database).list_conversations() == []
    database.close()


def test_backups_are_rotated(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    for _ in range(backup.KEEP + 3):
        backup.take_backup(path, "daily")
    assert len(backup.list_backups(path)) == backup.KEEP
