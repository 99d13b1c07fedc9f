"""Backups of the database, and recovery from a damaged one. Nothing here deletes user data:
a damaged file is moved aside, never removed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from assistant.store.private import make_private, private_dir, private_file

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
    folder = private_dir(backups_dir(db_path))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.db"
    n = 1
    while target.exists():
        target = folder / f"{db_path.stem}-{stamp}-{reason}-{n}.db"
        n += 1
    # VACUUM INTO accepts an empty file: creating it first makes the copy 0600 from the start.
    private_file(target)
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
            make_private(Path(str(aside) + suffix))
    return aside


def restore(db_path: Path, backup: Path) -> None:
    """Put ``backup`` in place of the database (the current file must already be moved aside)."""
    tmp = db_path.with_name(db_path.name + ".restoring")
    shutil.copy2(backup, tmp)
    make_private(tmp)  # copy2 copies the backup's mode, which an older version left 0644
    tmp.replace(db_path)


def scrub_secrets(db_path: Path, columns: Iterable[tuple[str, str]]) -> list[Path]:
    """Empty ``columns`` (constants from the migrations, never user input) in every backup that
    still has a value there; returns the backups changed. The file is rebuilt (VACUUM) so the
    old bytes are gone, and keeps its time, which orders the backups."""
    changed = []
    for path in list_backups(db_path):
        wanted = [(t, c) for t, c in columns if _has_values(path, t, c)]
        if not wanted:
            continue
        times = path.stat()
        conn = sqlite3.connect(str(path))
        try:
            for table, column in wanted:
                conn.execute(f'update "{table}" set "{column}" = null')
            conn.commit()
            conn.execute("VACUUM")
        finally:
            conn.close()
        make_private(path)
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
        changed.append(path)
    return changed


def _has_values(path: Path, table: str, column: str) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
            if column not in found:
                return False
            sql = f'select 1 from "{table}" where coalesce("{column}", \'\') != \'\' limit 1'
            return conn.execute(sql).fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # a damaged backup: restoring it would fail anyway
