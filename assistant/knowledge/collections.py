"""Document collections: folders or single files, their files' state, per-chat switches."""

from __future__ import annotations

import builtins
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.changes import DocumentsChanged
from assistant.store.db import Database


class CollectionError(ValueError):
    """A user-facing problem with a collection (a path that does not exist, ...)."""


@dataclass(frozen=True)
class Collection:
    id: int
    name: str
    root: str
    is_file: bool
    enabled_by_default: bool
    paused: bool
    created_at: float
    last_scan_at: float | None
    last_indexed_at: float | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Collection:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class CollectionStatus:
    collection: Collection
    files: int
    indexed: int
    pending: int
    skipped: list[tuple[str, str]]  # (path, reason), shown to the user
    chunks: int


class Collections:
    def __init__(self, database: Database) -> None:
        self.database = database

    def add(self, path: Path | str, name: str | None = None) -> Collection:
        root = Path(path).expanduser()
        if not root.exists():
            raise CollectionError(f"{root} does not exist.")
        root = root.resolve()
        existing = self.find(root)
        if existing is not None:
            return existing
        with self.database.writing() as db:
            cursor = db.execute(
                "insert into collections(name, root, is_file, created_at) values (?, ?, ?, ?)",
                [name or root.name or str(root), str(root), int(root.is_file()), time.time()],
            )
            collection_id = int(cursor.lastrowid or 0)
            self.database.changed(DocumentsChanged())
        found = self.get(collection_id)
        assert found is not None
        return found

    def get(self, collection_id: int) -> Collection | None:
        rows = list(self.database.db.query("select * from collections where id = ?", [collection_id]))
        return Collection.from_row(rows[0]) if rows else None

    def find(self, path: Path | str) -> Collection | None:
        root = str(Path(path).expanduser().resolve())
        rows = list(self.database.db.query("select * from collections where root = ?", [root]))
        return Collection.from_row(rows[0]) if rows else None

    def list(self) -> list[Collection]:
        return [
            Collection.from_row(r) for r in self.database.db.query("select * from collections order by id")
        ]

    def remove(self, collection_id: int) -> None:
        """Removes its files' chunks, FTS rows and vectors too (ON DELETE CASCADE chain)."""
        with self.database.writing() as db:
            db.execute("delete from collections where id = ?", [collection_id])
            self.database.changed(DocumentsChanged())

    def set_paused(self, collection_id: int, paused: bool) -> None:
        with self.database.writing() as db:
            db.execute("update collections set paused = ? where id = ?", [int(paused), collection_id])
            self.database.changed(DocumentsChanged())

    def set_default_enabled(self, collection_id: int, enabled: bool) -> None:
        with self.database.writing() as db:
            db.execute(
                "update collections set enabled_by_default = ? where id = ?", [int(enabled), collection_id]
            )
            self.database.changed(DocumentsChanged())

    # per conversation -------------------------------------------------------------------
    def set_enabled(self, conversation_id: int, collection_id: int, enabled: bool) -> None:
        with self.database.writing() as db:
            db.execute(
                "insert into conversation_collections(conversation_id, collection_id, enabled)"
                " values (?, ?, ?) on conflict(conversation_id, collection_id)"
                " do update set enabled = excluded.enabled",
                [conversation_id, collection_id, int(enabled)],
            )
            self.database.changed(DocumentsChanged())

    def enabled_for(self, conversation_id: int) -> builtins.list[int]:
        """Collections whose passages may be recalled in this conversation."""
        rows = self.database.db.execute(
            "select c.id from collections c left join conversation_collections cc"
            " on cc.collection_id = c.id and cc.conversation_id = ?"
            " where coalesce(cc.enabled, c.enabled_by_default) = 1 order by c.id",
            [conversation_id],
        )
        return [r[0] for r in rows]

    # status -------------------------------------------------------------------------------
    def status(self, collection_id: int) -> CollectionStatus | None:
        collection = self.get(collection_id)
        if collection is None:
            return None
        db = self.database.db
        counts = dict(
            db.execute(
                "select state, count(*) from doc_files where collection_id = ? group by state",
                [collection_id],
            ).fetchall()
        )
        chunks = db.execute(
            "select coalesce(sum(n_chunks), 0) from doc_files where collection_id = ?", [collection_id]
        ).fetchone()[0]
        skipped = [
            (r[0], r[1])
            for r in db.execute(
                "select path, reason from doc_files where collection_id = ? and state = 'skipped'"
                " order by path",
                [collection_id],
            )
        ]
        return CollectionStatus(
            collection,
            sum(counts.values()),
            counts.get("indexed", 0),
            counts.get("pending", 0),
            skipped,
            int(chunks),
        )
