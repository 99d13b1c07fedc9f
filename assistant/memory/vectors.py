"""An exact vector index: a float32 matrix in memory, mirrored from the ``embeddings`` table.

The stdlib sqlite3 here cannot load extensions (no sqlite-vec), so similarity is a numpy
matrix-vector product over every stored vector. At 100 000 x 384 that is ~150 MB and a few
milliseconds per query (see ``assistant bench --only retrieval``), and it is exact, so
there is no recall@k to lose. The matrix follows the table incrementally: new rows by their
ever-growing ``seq``, deletions (done by SQL cascades anywhere) by a cheap count check.
"""

from __future__ import annotations

import threading
from collections.abc import Collection

import numpy as np

from assistant.store.db import Database

KIND_CODES = {"message": 1, "fact": 2, "chunk": 3}
_BLAS_LIMITED = False


def _one_blas_thread() -> None:
    """A matrix-vector product is memory-bound: a second BLAS thread does not make it faster,
    and on a busy 2-core machine its spin-waiting made the scan slower (16 -> 11 ms median,
    p95 of a hybrid search 60 -> 37 ms, measured). It also runs beside the FTS query."""
    global _BLAS_LIMITED
    if _BLAS_LIMITED:
        return
    _BLAS_LIMITED = True
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
    except Exception:  # optional: without it the scan is only a little slower
        pass


class VectorIndex:
    """Vectors of one model only: searching never mixes models."""

    def __init__(self, database: Database, model_id: str) -> None:
        self.database = database
        self.model_id = model_id
        self._lock = threading.Lock()
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._ids = np.zeros(0, dtype=np.int64)
        self._kinds = np.zeros(0, dtype=np.int8)
        self._groups = np.zeros(0, dtype=np.int64)  # conversation or collection id
        self._row: dict[int, int] = {}
        self._n = 0
        self._last_seq = 0
        self._stamp: tuple[int, int, int] | None = None

    def __len__(self) -> int:
        return self._n

    # keeping in step with the table --------------------------------------------------------
    def sync(self) -> None:
        """Load vectors added since the last call and drop ones deleted meanwhile."""
        db = self.database.db
        # data_version moves when another connection (the worker's, another process's)
        # commits; total_changes when this one writes. Neither moved: nothing to do, cheaply.
        stamp = (db.execute("pragma data_version").fetchone()[0], db.conn.total_changes, id(db.conn))
        if stamp == self._stamp:
            return
        self._stamp = stamp
        row = db.execute(
            "select max(seq), count(*) from embeddings where model = ?", [self.model_id]
        ).fetchone()
        max_seq, count = (row[0] or 0), row[1]
        if max_seq > self._last_seq:
            rows = db.execute(
                "select e.seq, e.item_id, e.vector, si.kind,"
                " coalesce(si.conversation_id, si.collection_id, 0)"
                " from embeddings e join search_items si on si.id = e.item_id"
                " where e.model = ? and e.seq > ? order by e.seq",
                [self.model_id, self._last_seq],
            ).fetchall()
            self.add_rows([(r[1], r[2], r[3], r[4]) for r in rows], last_seq=max(max_seq, self._last_seq))
        if count != self._n:
            live = {
                r[0] for r in db.execute("select item_id from embeddings where model = ?", [self.model_id])
            }
            self.remove([i for i in list(self._row) if i not in live])

    def add_rows(self, rows: list[tuple[int, bytes | np.ndarray, str, int]], last_seq: int = 0) -> None:
        """``(item_id, vector, kind, group)`` rows; a known item_id is overwritten."""
        if not rows:
            self._last_seq = max(self._last_seq, last_seq)
            return
        vectors = np.stack(
            [
                np.frombuffer(v, dtype=np.float32) if isinstance(v, bytes | memoryview) else v
                for _, v, _, _ in rows
            ]
        ).astype(np.float32, copy=False)
        with self._lock:
            if self._matrix.shape[1] != vectors.shape[1]:
                if self._n:
                    raise ValueError("vectors of different dimensions in one index")
                self._matrix = np.zeros((0, vectors.shape[1]), dtype=np.float32)
            self._reserve(self._n + len(rows))
            for (item_id, _v, kind, group), vector in zip(rows, vectors, strict=True):
                index = self._row.get(item_id)
                if index is None:
                    index = self._n
                    self._n += 1
                    self._row[item_id] = index
                self._matrix[index] = vector
                self._ids[index] = item_id
                self._kinds[index] = KIND_CODES[kind]
                self._groups[index] = group
            self._last_seq = max(self._last_seq, last_seq)

    def remove(self, item_ids: list[int]) -> None:
        with self._lock:
            for item_id in item_ids:
                index = self._row.pop(item_id, None)
                if index is None:
                    continue
                last = self._n - 1
                if index != last:  # move the last row into the hole
                    moved = int(self._ids[last])
                    self._matrix[index] = self._matrix[last]
                    self._ids[index] = moved
                    self._kinds[index] = self._kinds[last]
                    self._groups[index] = self._groups[last]
                    self._row[moved] = index
                self._n = last

    def _reserve(self, size: int) -> None:
        capacity = len(self._ids)
        if size <= capacity:
            return
        new = max(size, capacity * 2, 1024)
        matrix = np.zeros((new, self._matrix.shape[1]), dtype=np.float32)
        matrix[: self._n] = self._matrix[: self._n]
        self._matrix = matrix
        for name in ("_ids", "_kinds", "_groups"):
            old = getattr(self, name)
            grown = np.zeros(new, dtype=old.dtype)
            grown[: self._n] = old[: self._n]
            setattr(self, name, grown)

    # searching -------------------------------------------------------------------------------
    def search(
        self,
        query: np.ndarray,
        k: int,
        kinds: tuple[str, ...] = ("message", "fact", "chunk"),
        collection_ids: list[int] | None = None,
        exclude_conversation: int | None = None,
        exclude_items: Collection[int] = (),
    ) -> list[tuple[int, float]]:
        """Top ``k`` (item_id, cosine) among the allowed rows, best first. Exact."""
        _one_blas_thread()
        with self._lock:
            n = self._n
            if n == 0 or k <= 0 or query.shape[0] != self._matrix.shape[1]:
                return []
            scores = self._matrix[:n] @ query.astype(np.float32, copy=False)
            kinds_here = self._kinds[:n]
            allowed: np.ndarray | None = None
            if set(kinds) != set(KIND_CODES):
                allowed = np.isin(kinds_here, [KIND_CODES[k_] for k_ in kinds])
            if collection_ids is not None and "chunk" in kinds:
                in_collections = (kinds_here != KIND_CODES["chunk"]) | np.isin(
                    self._groups[:n], collection_ids
                )
                allowed = in_collections if allowed is None else allowed & in_collections
            if exclude_conversation is not None:
                other = (kinds_here != KIND_CODES["message"]) | (self._groups[:n] != exclude_conversation)
                allowed = other if allowed is None else allowed & other
            if exclude_items:
                kept = ~np.isin(self._ids[:n], np.fromiter(exclude_items, dtype=np.int64))
                allowed = kept if allowed is None else allowed & kept
            take = min(k, n)
            if allowed is not None:
                scores[~allowed] = -np.inf
                take = min(k, int(allowed.sum()))
            if take == 0:
                return []
            top = np.argpartition(-scores, take - 1)[:take]
            top = top[np.argsort(-scores[top])]
            return [(int(self._ids[i]), float(scores[i])) for i in top]

    def similarity(self, query: np.ndarray, item_ids: list[int]) -> dict[int, float]:
        """Cosine of the query with these items (those that have a vector)."""
        with self._lock:
            rows = [(i, self._row[i]) for i in item_ids if i in self._row]
            if not rows or query.shape[0] != self._matrix.shape[1]:
                return {}
            sub = self._matrix[[r for _, r in rows]] @ query
            return {i: float(s) for (i, _), s in zip(rows, sub, strict=True)}
