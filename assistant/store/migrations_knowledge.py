"""Migrations for document collections (005_*).

A file's chunks are replaced in one transaction together with its state row, so a crash
mid-index leaves each file either fully indexed or not at all (no duplicated or orphaned
chunks). Removing a collection cascades: files -> chunks -> search_items -> FTS rows and
vectors.
"""

from __future__ import annotations

import sqlite_utils

from assistant.store.migration_set import MigrationSet

MIGRATIONS = MigrationSet("knowledge")


@MIGRATIONS.step("005_document_collections")
def _m005(db: sqlite_utils.Database) -> None:
    for statement in (
        """
        create table collections (
            id integer primary key,
            name text not null,
            root text not null unique,            -- a folder, or a single file
            is_file integer not null default 0,
            enabled_by_default integer not null default 1,
            paused integer not null default 0,
            created_at real not null,
            last_scan_at real,
            last_indexed_at real
        )
        """,
        """
        create table doc_files (
            id integer primary key,
            collection_id integer not null references collections(id) on delete cascade,
            path text not null,
            size integer not null default 0,
            mtime_ns integer not null default 0,
            sha256 text,
            -- pending: new or changed, to (re)index | indexed | skipped: reason says why
            state text not null check (state in ('pending', 'indexed', 'skipped')),
            reason text,
            n_chunks integer not null default 0,
            indexed_at real,
            unique (collection_id, path)
        )
        """,
        """
        create table doc_chunks (
            id integer primary key,
            file_id integer not null references doc_files(id) on delete cascade,
            ord integer not null,
            text text not null,
            heading text,
            page integer,
            unique (file_id, ord)
        )
        """,
        """
        alter table search_items add column chunk_id integer references doc_chunks(id) on delete cascade
        """,
        "create unique index search_items_chunk on search_items(chunk_id)",
        # Per-conversation switch; no row means the collection's enabled_by_default.
        """
        create table conversation_collections (
            conversation_id integer not null references conversations(id) on delete cascade,
            collection_id integer not null references collections(id) on delete cascade,
            enabled integer not null,
            primary key (conversation_id, collection_id)
        )
        """,
    ):
        db.execute(statement)
