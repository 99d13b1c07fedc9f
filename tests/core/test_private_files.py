"""The profile is private: folders 0700, files 0600 whatever the umask, and old profiles are
repaired on start. Tests run as root here, so they look at mode bits, not at who can read."""

from __future__ import annotations

import logging
import logging.handlers
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import logs
from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.store import backup
from assistant.store.db import Database


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The usual desktop umask: without care, files come out 0644 and folders 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def not_private(root: Path) -> list[str]:
    """Every folder under ``root`` that is not 0700 and every file that is not 0600."""
    wrong = [] if mode(root) == 0o700 else [f"{root} {oct(mode(root))}"]
    for path in root.rglob("*"):
        wanted = 0o700 if path.is_dir() else 0o600
        if mode(path) != wanted:
            wrong.append(f"{path.relative_to(root)} {oct(mode(path))}")
    return wrong


def wait_for_daily_backup() -> None:
    for thread in threading.enumerate():
        if thread.name == "daily-backup":
            thread.join(timeout=30)


def test_new_profile_is_private_under_a_permissive_umask(tmp_path: Path, permissive_umask: None) -> None:
    home = tmp_path / "profile"
    core = Core.open(engine=ScriptedEngine(), path=home / "assistant.db")
    try:
        conversation = core.chats.create_conversation()
        core.chats.add_message(conversation, "user", "my private note")
        wait_for_daily_backup()
        backup.take_backup(core.database.path, "manual")
        assert Path(str(core.database.path) + "-wal").exists()
        assert Path(str(core.database.path) + "-shm").exists()
        assert len(backup.list_backups(core.database.path)) == 2
        assert not_private(home) == []
    finally:
        core.close()


def test_wal_and_shm_are_private_from_their_first_byte(tmp_path: Path, permissive_umask: None) -> None:
    # SQLite gives them the database file's mode: the database is 0600 before SQLite opens it.
    path = tmp_path / "data" / "assistant.db"
    database = Database(path).open()
    try:
        with database.writing() as db:
            db["settings"].insert({"key": "x", "value": "y"})
        assert {mode(Path(str(path) + s)) for s in ("", "-wal", "-shm")} == {0o600}
        assert mode(path.parent) == 0o700
    finally:
        database.close()


def test_world_readable_profile_from_an_older_version_is_repaired(tmp_path: Path) -> None:
    home = tmp_path
    db_file = home / "assistant.db"
    Database(db_file).open().close()
    backup.take_backup(db_file, "daily")
    for folder in ("backups", "logs", "models"):
        (home / folder).mkdir(exist_ok=True)
    made = [home / "logs" / "assistant.log", home / "logs" / "model-process.log", home / "ui-state.ini",
            home / "api-token",
            home / "models" / "m.gguf", Path(str(db_file) + "-wal"), home / "assistant.db.damaged-1"]
    for file in made:
        file.write_bytes(b"x" if not file.name.endswith("-wal") else b"")
    unrelated = home / "my-notes.txt"  # ASSISTANT_HOME may be a folder the user also uses
    unrelated.write_text("mine")
    for path in [home, *home.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)

    Core.open(engine=ScriptedEngine(), path=db_file).close()

    assert mode(unrelated) == 0o644, "not ours: left alone"
    unrelated.unlink()
    assert not_private(home) == []


def test_log_files_are_private_rotated_ones_too(
    tmp_path: Path, permissive_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "_configured", False)
    root = logging.getLogger()
    before = list(root.handlers)
    logs.setup_logging()
    added = [h for h in root.handlers if h not in before]
    try:
        assert added and isinstance(added[0], logging.handlers.RotatingFileHandler)
        logging.getLogger("test").warning("a line that quotes a private chat")
        added[0].doRollover()
        logging.getLogger("test").warning("after rotation")
        files = sorted((tmp_path / "logs").iterdir())
        assert [f.name for f in files] == ["assistant.log", "assistant.log.1"]
        assert not_private(tmp_path / "logs") == []
    finally:
        for handler in added:
            root.removeHandler(handler)
            handler.close()


def test_restored_backup_is_private(tmp_path: Path) -> None:
    db_file = tmp_path / "assistant.db"
    Database(db_file).open().close()
    saved = backup.take_backup(db_file, "daily")
    saved.chmod(0o644)  # as an older version left it
    backup.move_aside(db_file)
    backup.restore(db_file, saved)
    assert mode(db_file) == 0o600
    assert all(mode(p) == 0o600 for p in tmp_path.glob("assistant.db.damaged-*"))
