"""The background thread that embeds whatever has no vector yet.

It needs no queue that could be lost: "pending" is a query (items without a vector of the
current model), so after a restart, a crash or a model change it simply carries on. New
messages wake it through :meth:`EmbeddingWorker.notify`; rows written by another process
(the CLI indexing while the window is open) are found by polling.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import numpy as np

from assistant.memory.embedder import EmbedderError, TextEmbedder
from assistant.memory.vectors import VectorIndex
from assistant.store.db import Database, StorageError

log = logging.getLogger(__name__)

BATCH = 64
POLL_SECONDS = 5.0
PRUNE_BATCH = 2000
#: An item lacks a vector of model ``?`` (items may hold vectors of several models while the
#: model changes; see ``assistant/memory/switch.py``).
_MISSING = "not exists (select 1 from embeddings e where e.item_id = si.id and e.model = ?)"


def pending(database: Database, model_id: str, limit: int = BATCH) -> list[tuple[int, str]]:
    rows = database.db.execute(
        f"select si.id, si.text from search_items si where {_MISSING} order by si.id desc limit ?",
        [model_id, limit],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]  # newest first: today's chat matters most


def pending_count(database: Database, model_id: str) -> int:
    return int(
        database.db.execute(
            f"select count(*) from search_items si where {_MISSING}", [model_id]
        ).fetchone()[0]
    )


def store_vectors(database: Database, model_id: str, ids: list[int], vectors: np.ndarray) -> None:
    """Write vectors in one transaction; items deleted meanwhile are skipped, not errors."""
    now = time.time()
    with database.writing() as db:
        for item_id, vector in zip(ids, vectors, strict=True):
            db.execute(
                "insert or replace into embeddings(item_id, model, dim, vector, created_at)"
                " select ?, ?, ?, ?, ? where exists (select 1 from search_items where id = ?)",
                [item_id, model_id, int(vector.shape[0]), vector.tobytes(), now, item_id],
            )


def embed_pending(database: Database, embedder: TextEmbedder, index: VectorIndex, limit: int = BATCH) -> int:
    """Embed one batch; returns how many items it handled."""
    batch = pending(database, embedder.model_id, limit)
    if not batch:
        return 0
    vectors = embedder.encode([text for _, text in batch])
    store_vectors(database, embedder.model_id, [i for i, _ in batch], vectors)
    index.sync()
    return len(batch)


def prune_vectors(database: Database, keep: set[str], stop: threading.Event | None = None) -> int:
    """Delete vectors of every model not in ``keep`` (an old model after a switch, a cancelled
    switch's partial set), a few thousand rows per transaction so no write waits long."""
    if not keep:
        return 0
    marks = ",".join("?" * len(keep))
    removed = 0
    while stop is None or not stop.is_set():
        with database.writing() as db:
            cursor = db.execute(
                f"delete from embeddings where seq in (select seq from embeddings"
                f" where model not in ({marks}) limit {PRUNE_BATCH})",
                sorted(keep),
            )
            count = cursor.rowcount or 0
        removed += count
        if count < PRUNE_BATCH:
            break
    return removed


class EmbeddingWorker:
    """Embeds what lacks a vector of ``embedder``'s model.

    ``keep()``: the models whose vectors must stay; when given, other models' vectors are
    deleted in the background at start and whenever :meth:`request_prune` asks.
    ``on_caught_up()``: called (on this thread) whenever nothing is left to embed: the model
    switch uses it to make a new model active once its vectors cover everything.
    """

    def __init__(
        self,
        database: Database,
        embedder: TextEmbedder,
        index: VectorIndex,
        keep: Callable[[], set[str]] | None = None,
        on_caught_up: Callable[[], None] | None = None,
    ) -> None:
        self.database = database
        self.embedder = embedder
        self.index = index
        self.keep = keep
        self.on_caught_up = on_caught_up
        self.error = ""
        self._prune = threading.Event()
        if keep is not None:
            self._prune.set()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: Set while a reply streams, so embedding does not slow the model down on 2 cores.
        self.hold = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="embedding-worker", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        self._wake.set()

    def request_prune(self) -> None:
        """Delete other models' vectors soon (on this worker's thread)."""
        self._prune.set()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        try:
            self.embedder.load()  # the ~6 s import happens here, never on the GUI thread
            self.index.sync()
        except EmbedderError as exc:
            self.error = str(exc)
            log.warning("embedding disabled: %s", exc)
            return
        while not self._stop.is_set():
            if self.hold.is_set():
                self._stop.wait(0.2)
                continue
            try:
                if self._prune.is_set() and self.keep is not None:
                    self._prune.clear()
                    prune_vectors(self.database, self.keep(), self._stop)
                done = embed_pending(self.database, self.embedder, self.index)
                if done == 0 and self.on_caught_up is not None:
                    self.on_caught_up()
            except StorageError as exc:  # a full disk: try again later, keep the app alive
                log.warning("embedding batch failed: %s", exc)
                done = 0
            except Exception:
                log.exception("embedding batch failed")
                done = 0
            if done == 0:
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until nothing is pending (tests, the CLI). True if it got there."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.embedder.ready and pending_count(self.database, self.embedder.model_id) == 0:
                return True
            if self.error:
                return False
            self.notify()
            time.sleep(0.05)
        return False
