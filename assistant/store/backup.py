"""Backups of the database, and recovery from a damaged one. Nothing here deletes user data:
a damaged file is moved aside, never removed."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

#: Keep this many backups; older ones are removed (they are copies, not the user's data).
KEEP = 5
HEADER = b"SQLite format 3\x00"


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.db"), key=lambda p: p.stat().st_mtime, reverse=True)


def take_backup(db_path: Path, reason: str) -> Path:
    """A consistent copy via ``VACUUM INTO`` (safe while other connections write)."""
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.db"
    n = 1
    while target.exists():
        target = folder / f"{db_path.stem}-{stamp}-{reason}-{n}.db"
        n += 1
    conn = sqlite3.connect(str(db_path))
    try:
        conn.execute("VACUUM INTO ?", [str(target)])
    finally:
        conn.close()
    for old in list_backups(db_path)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


def check(db_path: Path) -> str | None:
    """None if the file looks healthy, else a description of the damage."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None  # new, or not a file at all: opening it will explain
    try:
        with db_path.open("rb") as handle:
            if handle.read(16) != HEADER:
                return "it is not an SQLite database (the start of the file is damaged)"
    except OSError:
        return None  # unreadable: a permissions problem, not damage; opening it will explain
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        damaged = any(word in text for word in ("malformed", "not a database", "corrupt"))
        return str(exc) if damaged else None
    problems = [r[0] for r in rows if r[0] != "ok"]
    return "; ".join(problems[:3]) if problems else None


def move_aside(db_path: Path) -> Path:
    """Rename the damaged database (and its WAL/SHM files) out of the way; returns the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(db_path) + suffix)
        if source.exists():
            source.rename(Path(str(aside) + suffix))
    return aside


def restore(db_path: Path, backup: Path) -> None:
    """Put ``backup`` in place of the database (the current file must already be moved aside)."""
    tmp = db_path.with_name(db_path.name + ".restoring")
    shutil.copy2(backup, tmp)
    tmp.replace(db_path)
