"""Named schema migrations: the store's own set, then each feature's, in a permanent order.
Append new ones; never edit, rename or reorder applied ones (profiles record their names)."""

from __future__ import annotations

import time

import sqlite_utils

from assistant.store import (
    migrations_agent,
    migrations_connections,
    migrations_embeddings,
    migrations_knowledge,
    migrations_memory,
    migrations_transfer,
    migrations_words,
)
from assistant.store.migration_set import Migration, MigrationSet

#: Conversations, messages, settings, the model library and remote connections.
CORE = MigrationSet("core")
migration = CORE.step


@migration("001_conversations_and_messages")
def _m001(db: sqlite_utils.Database) -> None:
    db.table("conversations").create(
        {
            "id": int,
            "title": str,
            "system_prompt": str,  # NULL: use the global default
            "created_at": float,
            "updated_at": float,
            "deleted_at": float,  # soft delete, so "Undo" can bring it back
        },
        pk="id",
        not_null={"title", "created_at", "updated_at"},
    )
    db.table("messages").create(
        {
            "id": int,
            "conversation_id": int,
            "role": str,
            "content": str,
            "status": str,  # complete | streaming | stopped | interrupted | failed
            "created_at": float,
            "updated_at": float,
            "superseded_at": float,  # hidden by an edit or a regenerate, never deleted
            "model": str,
            "n_tokens": int,
        },
        pk="id",
        not_null={"conversation_id", "role", "content", "status", "created_at", "updated_at"},
        foreign_keys=[("conversation_id", "conversations", "id")],
    )
    db.table("messages").create_index(["conversation_id", "id"])
    db.table("conversations").create_index(["updated_at"])


@migration("002_settings")
def _m002(db: sqlite_utils.Database) -> None:
    db.table("settings").create({"key": str, "value": str}, pk="key")


def pending(db: sqlite_utils.Database) -> list[tuple[str, Migration]]:
    applied = applied_names(db)
    return [(name, fn) for name, fn in MIGRATIONS if name not in applied]


def applied_names(db: sqlite_utils.Database) -> set[str]:
    if "_migrations" not in db.table_names():
        return set()
    return {row["name"] for row in db.table("_migrations").rows}


def apply_pending(db: sqlite_utils.Database) -> list[str]:
    """Apply every pending migration, each in its own transaction. Returns their names."""
    if "_migrations" not in db.table_names():
        db.table("_migrations").create({"name": str, "applied_at": float}, pk="name")
    done: list[str] = []
    for name, func in pending(db):
        with db.atomic():
            func(db)
            db.table("_migrations").insert({"name": name, "applied_at": time.time()})
        done.append(name)
    return done


@migration("003_model_library")
def _m003(db: sqlite_utils.Database) -> None:
    db.table("models").create(
        {"path": str, "added_at": float, "defaults": str},  # defaults: JSON object
        pk="path",
        not_null={"added_at"},
    )


@migration("003b_remote_connections")
def _m003b(db: sqlite_utils.Database) -> None:
    db.table("connections").create(
        {
            "id": int,
            "name": str,
            "base_url": str,
            "model": str,
            "api_key": str,
            "n_ctx": int,
            "created_at": float,
        },
        pk="id",
        not_null={"name", "base_url", "model", "created_at"},
    )


#: Every set, in the order they apply. A new feature's set goes at the end.
SETS: tuple[MigrationSet, ...] = (
    CORE,
    migrations_memory.MIGRATIONS,
    migrations_knowledge.MIGRATIONS,
    migrations_agent.MIGRATIONS,
    migrations_connections.MIGRATIONS,
    migrations_embeddings.MIGRATIONS,
    migrations_transfer.MIGRATIONS,
    migrations_words.MIGRATIONS,
)
MIGRATIONS: list[tuple[str, Migration]] = [step for found in SETS for step in found.steps]
#: (table, column) pairs that held secrets in older versions: emptied in every backup after an
#: upgrade too, since a backup is a copy of the old database.
SECRET_COLUMNS: list[tuple[str, str]] = [column for found in SETS for column in found.secret_columns]
#: Migrations that removed secrets: the file is rebuilt afterwards, so no freed page keeps a copy.
VACUUM_AFTER: set[str] = {name for found in SETS for name in found.vacuum_after}
