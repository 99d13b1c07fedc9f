"""Connection handling: WAL, pragmas, thread-local connections, one writer lock."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from assistant.changes import Change, ChangeFeed
from assistant.store import backup, migrations
from assistant.store.private import make_private, private_dir, private_file


def _casefold(value: object) -> str | None:
    return None if value is None else str(value).casefold()


def _segment(value: object) -> str:
    from assistant.memory.words import sql_segment  # imported on the first write of text

    return sql_segment(value)


class StorageError(Exception):
    """A database problem explained in words a user understands."""


class DatabaseDamaged(StorageError):
    """The database file is damaged. The app offers: restore the latest backup, or start
    fresh with the damaged file kept aside (see :func:`recover`)."""

    def __init__(self, path: Path, problem: str, backups: list[Path]) -> None:
        latest = f" The latest backup is from {_when(backups[0])}." if backups else " There is no backup."
        super().__init__(f"The database {path} is damaged ({problem}).{latest}")
        self.path = path
        self.problem = problem
        self.backups = backups


class MigrationFailed(StorageError):
    """An upgrade of the database failed; the backup taken before it was put back."""


def _when(path: Path) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime))


def _explain(exc: BaseException, path: Path) -> str:
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "permission" in text:
        return f"Cannot write to the data folder {path.parent}: it is read-only or not yours."
    if "disk is full" in text or "no space" in text or "database or disk is full" in text:
        return "The disk is full, so nothing new could be saved. Free some space and try again."
    if "not a database" in text or "malformed" in text:
        return f"The database file {path} is damaged."
    if isinstance(exc, UnicodeEncodeError):
        return "The text contains characters that cannot be saved (broken Unicode)."
    if "unable to open" in text:
        return f"Cannot open the database in {path.parent}: check that the folder exists and is writable."
    return f"Database error: {exc}"


class Database:
    """Owns the database file. Each thread gets its own connection; writes are serialised.

    ``changes`` tells listeners what a write changed, once it is committed: every store over
    this database reports through it (:meth:`changed`), whoever called the store."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self.changes = ChangeFeed()
        #: Changes reported inside the open transaction (guarded by the write lock): published
        #: when the outermost ``writing()`` commits, dropped with what a rollback undoes.
        self._unpublished: dict[Change, None] = {}  # ordered, and a repeat is told once
        self._depth = 0

    def open(self, *, check: bool = True) -> Database:
        """Open and migrate. ``check`` False skips the integrity check (PRAGMA quick_check
        reads the whole file: ~2-6 s for a profile of 100 000 passages) unless a migration is
        due; for a read-only terminal search, where damage still shows as a StorageError."""
        try:
            private_dir(self.path.parent)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StorageError(f"Cannot create the data folder {self.path.parent}: {reason}.") from exc
        if self.path.exists() and not self.path.is_file():
            raise StorageError(f"Cannot open the database: {self.path} is a folder, not a file.")
        self._make_files_private()
        if check or self._migration_due():
            problem = backup.check(self.path)
            if problem:
                raise DatabaseDamaged(self.path, problem, backup.list_backups(self.path))
        self._migrate()
        backup.scrub_secrets(self.path, migrations.SECRET_COLUMNS)
        return self

    def _migration_due(self) -> bool:
        """Whether opening will migrate (or cannot tell: then the full check runs first)."""
        try:
            return bool(migrations.pending(self.db))
        except (sqlite3.Error, StorageError):
            self.close()
            return True

    def _make_files_private(self) -> None:
        """SQLite gives -wal, -shm and -journal the database file's mode, so a 0600 database
        (created here before SQLite sees it) keeps all of them private."""
        try:
            private_file(self.path)
        except OSError:
            return  # a read-only folder: connecting explains it in words
        for suffix in ("-wal", "-shm", "-journal"):
            make_private(Path(str(self.path) + suffix))

    def _migrate(self) -> None:
        """Apply pending migrations; an existing database is backed up first and put back
        if any migration fails, so an upgrade can never leave it half-changed."""
        pending = [name for name, _ in migrations.pending(self.db)]
        if not pending:
            return
        existing = bool(migrations.applied_names(self.db))
        saved = backup.take_backup(self.path, "before-upgrade") if existing else None
        try:
            with self.writing() as db:
                done = migrations.apply_pending(db)
        except Exception as exc:
            self.close()
            if saved is None:
                raise
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            backup.restore(self.path, saved)
            raise MigrationFailed(
                f"Upgrading the database failed ({exc}); it was restored from the backup taken just "
                f"before ({saved.name}). Nothing was lost. Please report this problem."
            ) from exc
        if existing and migrations.VACUUM_AFTER.intersection(done):
            self._rebuild()  # a new database has nothing to rebuild

    def _rebuild(self) -> None:
        """VACUUM so no freed page keeps removed secrets, then empty the WAL, which still holds
        the old pages. It needs free space for a copy: if that fails, the upgrade still stands."""
        try:
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            logging.getLogger(__name__).warning("could not rebuild the database after an upgrade: %s", exc)

    @property
    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    def _connect(self) -> sqlite_utils.Database:
        try:
            conn = sqlite3.connect(str(self.path), timeout=10, check_same_thread=False)
            conn.create_function("casefold", 1, _casefold, deterministic=True)
            # Keyword search's word index: its triggers segment text through this (migrations_words).
            conn.create_function("assistant_words", 1, _segment, deterministic=True)
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            # Deleted chats and tool results (which can hold document text) are overwritten where
            # that costs no extra I/O, rather than lingering in free pages of the file.
            conn.execute("PRAGMA secure_delete = FAST")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"could not switch to WAL (got {mode})")
            # NORMAL is durable against app crashes in WAL mode; FULL adds power-loss safety
            # for the last transaction at the cost of an fsync per commit.
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StorageError(_explain(exc, self.path)) from exc
        return sqlite_utils.Database(conn)

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite_utils.Database]:
        """One writer at a time in this process, inside one transaction. Nested calls are
        savepoints; the changes they report are published after the outermost commit."""
        committed: list[Change] = []
        with self._write_lock:
            db = self.db
            reported_before = len(self._unpublished)
            self._depth += 1
            try:
                with db.atomic():
                    yield db
            except (sqlite3.Error, UnicodeEncodeError) as exc:
                self._forget_after(reported_before)
                raise StorageError(_explain(exc, self.path)) from exc
            except BaseException:
                self._forget_after(reported_before)
                raise
            finally:
                self._depth -= 1
            if self._depth == 0:
                committed, self._unpublished = list(self._unpublished), {}
        for change in committed:  # outside the lock: a listener may read the database
            self.changes.publish(change)

    def changed(self, change: Change) -> None:
        """Report what the current write changes; published once it is committed (at once
        outside a transaction). Repeats of an equal change in one transaction are told once."""
        with self._write_lock:
            if self._depth:
                self._unpublished.setdefault(change, None)
                return
        self.changes.publish(change)

    def _forget_after(self, count: int) -> None:
        """A rolled-back savepoint's changes never happened."""
        if len(self._unpublished) > count:
            self._unpublished = dict.fromkeys(list(self._unpublished)[:count])

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None


def inserted_id(table: sqlite_utils.db.Table) -> int:
    """The integer key the table's last insert was given (every table here has one)."""
    key = table.last_pk
    if not isinstance(key, int):
        raise StorageError(f"Database error: the new row of {table.name} got no id.")
    return key


def recover(path: Path, action: str) -> str:
    """After :class:`DatabaseDamaged`: ``restore`` the newest backup or start ``fresh``. Either
    way the damaged file is kept, renamed. Returns a sentence for the user."""
    backups = backup.list_backups(path)
    aside = backup.move_aside(path)
    if action == "restore" and backups:
        backup.restore(path, backups[0])
        return f"Restored the backup from {_when(backups[0])}. The damaged file was kept as {aside.name}."
    return f"Started a new, empty database. The damaged file was kept as {aside.name}."


def open_database(path: Path | None = None, *, check: bool = True) -> Database:
    from assistant.config import db_path

    return Database(path or db_path()).open(check=check)
