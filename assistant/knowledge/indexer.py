"""Indexing a collection: scan -> extract (child process) -> chunk -> embed -> store.

Each file's chunks, search rows and vectors replace the old ones in ONE transaction with
its state row, so killing the app mid-index leaves every file either fully indexed or not
at all; the next pass redoes only files that are new, changed or still pending. A file is
"changed" when size or mtime differ *and* its content hash differs (touching a file does
not re-embed it).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.changes import DocumentsChanged
from assistant.knowledge.chunk import Chunk, chunk_blocks
from assistant.knowledge.collections import Collection, Collections
from assistant.knowledge.events import (
    FileSkipped,
    IndexEvent,
    IndexFinished,
    IndexPaused,
    IndexProgress,
    IndexStarted,
)
from assistant.knowledge.extract import Limits
from assistant.knowledge.sandbox import Extractor
from assistant.knowledge.scan import Scan, Seen, walk
from assistant.memory.embedder import TextEmbedder
from assistant.store.db import Database


@dataclass
class Plan:
    scan: Scan
    todo: list[Seen]  # new, changed or left pending by an interrupted pass
    unchanged: int
    removed: int
    skipped: list[tuple[str, str]]  # newly skipped (path, reason)


#: Chunks embedded together. One model call amortises its overhead across small files, and
#: sentence-transformers sorts a call's texts by length, so a bigger call pads less (64 gave
#: 0.82 of a single encode() over the same chunks, 256 gave 0.94). Files are stored after
#: their batch is embedded: a kill loses at most this much work, which the resume redoes.
EMBED_BATCH = 256


class IndexControl:
    """Pause / resume / cancel from any thread (the UI's buttons)."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._cancel = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def cancel(self) -> None:
        self._cancel.set()
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait_running(self, timeout: float) -> bool:
        return self._running.wait(timeout)


def file_hash(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Indexer:
    def __init__(
        self, database: Database, embedder: TextEmbedder | None = None, limits: Limits | None = None
    ) -> None:
        self.database = database
        self.collections = Collections(database)
        self.embedder = embedder
        self.limits = limits or Limits()
        self._lock = threading.Lock()  # one pass at a time per process

    # planning --------------------------------------------------------------------------------
    def plan(self, collection: Collection) -> Plan:
        """Scan and record what changed.

        Deleted files are removed here (with their chunks, FTS rows and vectors); new and
        changed ones are marked pending, so an interrupted pass knows what is left.
        """
        scan = walk(Path(collection.root), collection.is_file)
        known = {
            r[0]: r[1:]
            for r in self.database.db.execute(
                "select path, size, mtime_ns, state, reason, sha256 from doc_files where collection_id = ?",
                [collection.id],
            )
        }
        todo: list[Seen] = []
        unchanged = 0
        new_skips: list[tuple[str, str]] = []
        with self.database.writing() as db:
            gone = [p for p in known if p not in scan.files and p not in scan.skipped]
            for path in gone:
                db.execute(
                    "delete from doc_files where collection_id = ? and path = ?", [collection.id, path]
                )
            for path, reason in scan.skipped.items():
                if known.get(path, (None,) * 4)[3] != reason:
                    new_skips.append((path, reason))
                self._mark_skipped(db, collection.id, path, reason, 0, 0)
            for path, seen in scan.files.items():
                row = known.get(path)
                if (
                    row is not None
                    and row[0] == seen.size
                    and row[1] == seen.mtime_ns
                    and row[2] != "pending"
                ):
                    unchanged += 1
                    continue
                if seen.size > self.limits.max_file_bytes:
                    limit = self.limits.max_file_bytes // 2**20
                    reason = f"larger than the {limit} MB limit ({seen.size / 2**20:,.0f} MB)"
                    self._mark_skipped(db, collection.id, path, reason, seen.size, seen.mtime_ns)
                    new_skips.append((path, reason))
                    continue
                if row is not None and row[4] and row[2] == "indexed" and self._hash_or_none(path) == row[4]:
                    # Touched, not edited: keep the chunks and vectors, note the new size/mtime.
                    db.execute(
                        "update doc_files set size = ?, mtime_ns = ? where collection_id = ? and path = ?",
                        [seen.size, seen.mtime_ns, collection.id, path],
                    )
                    unchanged += 1
                    continue
                if row is None:
                    db.execute(
                        "insert into doc_files(collection_id, path, size, mtime_ns, state)"
                        " values (?, ?, ?, ?, 'pending')",
                        [collection.id, path, seen.size, seen.mtime_ns],
                    )
                elif row[2] != "pending":
                    db.execute(
                        "update doc_files set state = 'pending' where collection_id = ? and path = ?",
                        [collection.id, path],
                    )
                todo.append(seen)
            db.execute("update collections set last_scan_at = ? where id = ?", [time.time(), collection.id])
            if gone or todo or new_skips:
                self.database.changed(DocumentsChanged())
        return Plan(scan, sorted(todo, key=lambda s: s.path), unchanged, len(gone), new_skips)

    @staticmethod
    def _mark_skipped(db: Any, collection_id: int, path: str, reason: str, size: int, mtime_ns: int) -> None:
        db.execute(
            "insert into doc_files(collection_id, path, size, mtime_ns, state, reason)"
            " values (?, ?, ?, ?, 'skipped', ?)"
            " on conflict(collection_id, path) do update set state = 'skipped', reason = excluded.reason,"
            " size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = null, n_chunks = 0",
            [collection_id, path, size, mtime_ns, reason],
        )
        # A file that became unreadable keeps no stale chunks.
        db.execute(
            "delete from doc_chunks where file_id ="
            " (select id from doc_files where collection_id = ? and path = ?)",
            [collection_id, path],
        )

    # the pass ----------------------------------------------------------------------------
    def index(
        self, collection_id: int, control: IndexControl | None = None, force: bool = False
    ) -> Iterator[IndexEvent]:
        """Bring the collection up to date, yielding progress. ``force`` re-indexes all files."""
        control = control or IndexControl()
        collection = self.collections.get(collection_id)
        if collection is None:
            return
        with self._lock:
            if force:
                with self.database.writing() as db:
                    db.execute(
                        "update doc_files set state = 'pending'"
                        " where collection_id = ? and state = 'indexed'",
                        [collection_id],
                    )
            yield from self._pass(collection, control)

    def _pass(self, collection: Collection, control: IndexControl) -> Iterator[IndexEvent]:
        start = time.monotonic()
        plan = self.plan(collection)
        todo, unchanged, removed = plan.todo, plan.unchanged, plan.removed
        yield IndexStarted(collection.id, len(todo), unchanged, removed)
        for path, reason in plan.skipped:
            yield FileSkipped(collection.id, path, reason)
        extractor = Extractor(self.limits)
        done = indexed = chunks_total = 0
        skipped = len(plan.skipped)
        batch: list[tuple[Seen, str, list[Chunk]]] = []  # extracted, waiting to be embedded
        submitted = 0
        timed_start = time.monotonic()
        try:
            while done < len(todo) and not control.cancelled:
                if control.paused:
                    self._flush(collection.id, batch)
                    batch = []
                    yield IndexPaused(collection.id, done, len(todo))
                    while not control.wait_running(0.5):
                        pass
                    continue
                # Keep the extractor one file ahead, so it works while we embed.
                while submitted < len(todo) and extractor.in_flight < 2:
                    extractor.submit(todo[submitted].path)
                    submitted += 1
                seen = todo[done]
                _outcome, payload = extractor.result()
                done += 1
                if isinstance(payload, str):  # ("skip", reason); ("ok", blocks) otherwise
                    skipped += 1
                    with self.database.writing() as db:
                        self._mark_skipped(
                            db, collection.id, seen.path, str(payload), seen.size, seen.mtime_ns
                        )
                    yield FileSkipped(collection.id, seen.path, str(payload))
                else:
                    digest = self._hash_or_none(seen.path)
                    if digest is None:
                        skipped += 1
                        reason = "the file disappeared while it was being read"
                        with self.database.writing() as db:
                            self._mark_skipped(db, collection.id, seen.path, reason, seen.size, seen.mtime_ns)
                        yield FileSkipped(collection.id, seen.path, reason)
                    else:
                        chunks = chunk_blocks(payload)
                        batch.append((seen, digest, chunks))
                        indexed += 1
                        chunks_total += len(chunks)
                if sum(len(c) for _, _, c in batch) >= EMBED_BATCH or done == len(todo):
                    self._flush(collection.id, batch)
                    batch = []
                elapsed = time.monotonic() - timed_start
                eta = elapsed / done * (len(todo) - done) if done else None
                yield IndexProgress(collection.id, done, len(todo), seen.path, chunks_total, eta)
            self._flush(collection.id, batch)
        finally:
            extractor.close()
        if not control.cancelled:
            with self.database.writing() as db:
                db.execute(
                    "update collections set last_indexed_at = ? where id = ?", [time.time(), collection.id]
                )
        self.database.changed(DocumentsChanged())  # files indexed, skipped or marked pending
        yield IndexFinished(
            collection.id,
            indexed,
            unchanged,
            skipped,
            removed,
            chunks_total,
            time.monotonic() - start,
            control.cancelled,
        )

    @staticmethod
    def _hash_or_none(path: str) -> str | None:
        try:
            return file_hash(path)
        except OSError:
            return None

    def _flush(self, collection_id: int, batch: list[tuple[Seen, str, list[Chunk]]]) -> None:
        if not batch:
            return
        texts = [self._embed_text(c) for _, _, chunks in batch for c in chunks]
        vectors: Any = None
        if self.embedder is not None and texts:
            vectors = self.embedder.encode(texts)
        offset = 0
        for seen, digest, chunks in batch:
            part = None if vectors is None else vectors[offset : offset + len(chunks)]
            offset += len(chunks)
            self._store_file(collection_id, seen, digest, chunks, part)
        self.database.changed(DocumentsChanged())  # once a batch: coarse, for the window's list

    @staticmethod
    def _embed_text(chunk: Chunk) -> str:
        return f"{chunk.heading}\n{chunk.text}" if chunk.heading else chunk.text

    def _store_file(
        self, collection_id: int, seen: Seen, digest: str, chunks: list[Chunk], vectors: Any
    ) -> None:
        """One transaction: old chunks out (cascade: FTS rows, vectors), new ones in."""
        now = time.time()
        with self.database.writing() as db:
            row = db.execute(
                "select id from doc_files where collection_id = ? and path = ?", [collection_id, seen.path]
            ).fetchone()
            if row is None:  # the collection was removed meanwhile
                return
            file_id = row[0]
            db.execute("delete from doc_chunks where file_id = ?", [file_id])
            for i, chunk in enumerate(chunks):
                chunk_id = db.execute(
                    "insert into doc_chunks(file_id, ord, text, heading, page) values (?, ?, ?, ?, ?)",
                    [file_id, chunk.ord, chunk.text, chunk.heading, chunk.page],
                ).lastrowid
                item_id = db.execute(
                    "insert into search_items(kind, chunk_id, collection_id, text, created_at)"
                    " values ('chunk', ?, ?, ?, ?)",
                    [chunk_id, collection_id, self._embed_text(chunk), now],
                ).lastrowid
                if vectors is not None and self.embedder is not None:
                    db.execute(
                        "insert into embeddings(item_id, model, dim, vector, created_at)"
                        " values (?, ?, ?, ?, ?)",
                        [item_id, self.embedder.model_id, int(vectors.shape[1]), vectors[i].tobytes(), now],
                    )
            db.execute(
                "update doc_files set size = ?, mtime_ns = ?, sha256 = ?, state = 'indexed', reason = null,"
                " n_chunks = ?, indexed_at = ? where id = ?",
                [seen.size, seen.mtime_ns, digest, len(chunks), now, file_id],
            )


def index_path_env_limits() -> Limits:
    """Limits, with the time limit overridable for slow machines (ASSISTANT_EXTRACT_SECONDS)."""
    seconds = os.environ.get("ASSISTANT_EXTRACT_SECONDS")
    return Limits(seconds=float(seconds)) if seconds else Limits()
