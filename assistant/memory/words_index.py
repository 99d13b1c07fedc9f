"""Segmenting the items that existed before the word index (migration words_001).

New items are segmented as they are written (a trigger calls ``assistant_words``). The older
ones are the backlog: ids in ``(done_through, upto]`` of ``search_words_backfill``. A
background thread segments them in batches, one transaction each, newest progress stored with
the batch, so an interrupted run (app closed, machine off) continues where it stopped. Until
the backlog is empty, keyword search uses the trigram index for those rows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant.store.db import Database, StorageError

log = logging.getLogger(__name__)

BATCH = 200


@dataclass(frozen=True)
class WordsIndexProgress:
    """``done`` of ``total`` older items segmented for keyword search (event for a bar)."""

    done: int
    total: int

    @property
    def finished(self) -> bool:
        return self.done >= self.total


def backlog(database: Database) -> tuple[int, int]:
    """``(done_through, upto)``: items with ids in between are not segmented yet."""
    row = database.db.execute("select done_through, upto from search_words_backfill where id = 1").fetchone()
    return (0, 0) if row is None else (int(row[0]), int(row[1]))


def remaining(database: Database) -> int:
    done, upto = backlog(database)
    if done >= upto:
        return 0
    return int(
        database.db.execute(
            "select count(*) from search_items where id > ? and id <= ?", [done, upto]
        ).fetchone()[0]
    )


def fill_batch(database: Database, limit: int = BATCH) -> int:
    """Segment the next ``limit`` items of the backlog in one transaction; returns how many."""
    with database.writing() as db:
        done, upto = backlog(database)
        if done >= upto:
            return 0
        sql = "select id from search_items where id > ? and id <= ? order by id limit ?"
        ids = [r[0] for r in db.execute(sql, [done, upto, limit])]
        last = ids[-1] if ids else upto
        # A row written since the migration (its trigger segmented it) is simply redone.
        db.execute("delete from search_words where rowid > ? and rowid <= ?", [done, last])
        db.execute(
            "insert into search_words(rowid, words) select id, assistant_words(text) from search_items"
            " where id > ? and id <= ?",
            [done, last],
        )
        if last >= upto or len(ids) < limit:
            last = upto
        db.execute("update search_words_backfill set done_through = ? where id = 1", [last])
        return len(ids)


def fill(database: Database, stop: threading.Event | None = None) -> Iterator[WordsIndexProgress]:
    """Segment the whole backlog, yielding progress after each batch; stops early on ``stop``."""
    total = remaining(database)
    done = 0
    while total and not (stop is not None and stop.is_set()):
        count = fill_batch(database)
        done += count
        yield WordsIndexProgress(min(done, total), total)
        if count == 0:
            break
    if total and done >= total:
        yield WordsIndexProgress(total, total)


class WordsBackfill:
    """The thread that runs :func:`fill` once per start; ``progress`` holds the latest event."""

    def __init__(self, database: Database, on_progress: Callable[[WordsIndexProgress], None] | None = None):
        self.database = database
        self.on_progress = on_progress
        self.progress: WordsIndexProgress | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="words-backfill", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        try:
            for event in fill(self.database, self._stop):
                self.progress = event
                if self.on_progress is not None:
                    self.on_progress(event)
        except StorageError as exc:  # a full disk: the next start carries on
            log.warning("segmenting older items stopped: %s", exc)
        except Exception:
            log.exception("segmenting older items failed")
        finally:
            self.database.close()  # this thread's connection
