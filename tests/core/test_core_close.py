"""Closing the core leaves no connection behind: the day's backup (its own connection) has
finished, so nothing checkpoints into the file after close (a test that snapshots the file
after close saw it change)."""

from __future__ import annotations

from pathlib import Path

from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.store import backup


def test_close_waits_for_the_days_backup(tmp_path: Path) -> None:
    path = tmp_path / "profile" / "assistant.db"
    core = Core.open(engine=ScriptedEngine(), path=path)
    core.chats.create_conversation("written")
    thread = core.backup_thread
    assert thread is not None  # a new profile has no backup yet: one is taken
    core.close()
    assert not thread.is_alive()
    assert backup.list_backups(path)
    assert not list(path.parent.glob(path.name + "-wal"))  # the last connection checkpointed
