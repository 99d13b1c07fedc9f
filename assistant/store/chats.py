"""Conversations and messages. Nothing here ever hard-deletes a message a user can see."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from assistant.changes import ConversationChanged, SettingsChanged
from assistant.config import Settings
from assistant.store.db import Database, inserted_id

DEFAULT_TITLE = "New chat"
#: Deleted conversations stay restorable ("Undo") for this long before purge.
UNDO_SECONDS = 7 * 24 * 3600


def title_from_text(text: str) -> str:
    """A new conversation's title: the start of its first message, on one line."""
    return " ".join(text.split())[:60] or DEFAULT_TITLE


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    system_prompt: str | None
    created_at: float
    updated_at: float

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Conversation:
        return cls(
            id=row["id"],
            title=row["title"],
            system_prompt=row["system_prompt"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: str
    content: str
    status: str
    created_at: float

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Message:
        return cls(
            id=row["id"],
            conversation_id=row["conversation_id"],
            role=row["role"],
            content=row["content"],
            status=row["status"],
            created_at=row["created_at"],
        )


class ChatStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    # conversations -------------------------------------------------------------------
    def create_conversation(self, title: str = DEFAULT_TITLE, system_prompt: str | None = None) -> int:
        now = time.time()
        with self.database.writing() as db:
            table = db.table("conversations")
            table.insert(
                {"title": title, "system_prompt": system_prompt, "created_at": now, "updated_at": now}
            )
            conversation_id = inserted_id(table)
            self.database.changed(ConversationChanged(conversation_id, "created", title))
            return conversation_id

    def conversation(self, conversation_id: int) -> Conversation | None:
        rows = list(
            self.database.db.query(
                "select * from conversations where id = ? and deleted_at is null", [conversation_id]
            )
        )
        return Conversation.from_row(rows[0]) if rows else None

    def list_conversations(self, title_filter: str = "") -> list[Conversation]:
        """Most recent activity first; ``title_filter`` matches anywhere, case-insensitively."""
        sql = "select * from conversations where deleted_at is null"
        params: list[Any] = []
        if title_filter.strip():
            # casefold() is registered on the connection: SQLite's lower() folds only A-Z.
            sql += " and instr(casefold(title), ?) > 0"
            params.append(title_filter.strip().casefold())
        sql += " order by updated_at desc, id desc"
        return [Conversation.from_row(r) for r in self.database.db.query(sql, params)]

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())[:200] or DEFAULT_TITLE
        with self.database.writing() as db:
            db.execute("update conversations set title = ? where id = ?", [title, conversation_id])
            self.database.changed(ConversationChanged(conversation_id, "renamed", title))

    def set_system_prompt(self, conversation_id: int, prompt: str | None) -> None:
        value = prompt if prompt and prompt.strip() else None
        with self.database.writing() as db:
            db.execute(
                "update conversations set system_prompt = ? where id = ?", [value, conversation_id]
            )

    def delete_conversation(self, conversation_id: int) -> None:
        """Soft delete: hidden at once, restorable with :meth:`restore_conversation`."""
        with self.database.writing() as db:
            db.execute(
                "update conversations set deleted_at = ? where id = ?", [time.time(), conversation_id]
            )
            self.database.changed(ConversationChanged(conversation_id, "deleted"))

    def restore_conversation(self, conversation_id: int) -> None:
        with self.database.writing() as db:
            db.execute("update conversations set deleted_at = null where id = ?", [conversation_id])
            row = next(db.query("select title from conversations where id = ?", [conversation_id]), None)
            if row is not None:
                self.database.changed(ConversationChanged(conversation_id, "restored", row["title"]))

    def purge_deleted(self, older_than_seconds: float = UNDO_SECONDS) -> int:
        cutoff = time.time() - older_than_seconds
        with self.database.writing() as db:
            ids = [
                r["id"]
                for r in db.query(
                    "select id from conversations where deleted_at is not null and deleted_at <= ?",
                    [cutoff],
                )
            ]
            for cid in ids:
                db.execute("delete from messages where conversation_id = ?", [cid])
                db.execute("delete from conversations where id = ?", [cid])
        return len(ids)

    # messages -------------------------------------------------------------------------
    def messages(self, conversation_id: int) -> list[Message]:
        """The visible history, oldest first (edits and regenerations hide older branches)."""
        rows = self.database.db.query(
            "select * from messages where conversation_id = ? and superseded_at is null order by id",
            [conversation_id],
        )
        return [Message.from_row(r) for r in rows]

    def message(self, message_id: int) -> Message | None:
        rows = list(self.database.db.query("select * from messages where id = ?", [message_id]))
        return Message.from_row(rows[0]) if rows else None

    def add_message(
        self, conversation_id: int, role: str, content: str, status: str = "complete", model: str = ""
    ) -> int:
        now = time.time()
        with self.database.writing() as db:
            table = db.table("messages")
            table.insert(
                {
                    "conversation_id": conversation_id,
                    "role": role,
                    "content": content,
                    "status": status,
                    "created_at": now,
                    "updated_at": now,
                    "model": model,
                }
            )
            message_id = inserted_id(table)
            db.execute(
                "update conversations set updated_at = ? where id = ?", [now, conversation_id]
            )
            if role == "user":
                self._title_from_first_message(db, conversation_id, content)
        return message_id

    def _title_from_first_message(
        self, db: sqlite_utils.Database, conversation_id: int, content: str
    ) -> None:
        row = next(db.query("select title from conversations where id = ?", [conversation_id]), None)
        if row and row["title"] == DEFAULT_TITLE:
            title = title_from_text(content)
            if title != DEFAULT_TITLE:
                db.execute("update conversations set title = ? where id = ?", [title, conversation_id])
                self.database.changed(ConversationChanged(conversation_id, "renamed", title))

    def update_message(
        self, message_id: int, content: str, status: str, n_tokens: int | None = None
    ) -> None:
        now = time.time()
        with self.database.writing() as db:
            db.execute(
                "update messages set content = ?, status = ?, updated_at = ?,"
                " n_tokens = coalesce(?, n_tokens) where id = ?",
                [content, status, now, n_tokens, message_id],
            )

    def set_status(self, message_id: int, status: str) -> None:
        with self.database.writing() as db:
            db.execute("update messages set status = ? where id = ?", [status, message_id])

    def supersede_from(self, message_id: int) -> tuple[int, ...]:
        """Hide this message and every later one in its conversation (kept, not deleted).
        Returns the ids hidden now, oldest first."""
        msg = self.message(message_id)
        if msg is None:
            return ()
        with self.database.writing() as db:
            hidden = tuple(
                int(row["id"])
                for row in db.query(
                    "select id from messages where conversation_id = ? and id >= ?"
                    " and superseded_at is null order by id",
                    [msg.conversation_id, message_id],
                )
            )
            db.execute(
                "update messages set superseded_at = ? where conversation_id = ? and id >= ?"
                " and superseded_at is null",
                [time.time(), msg.conversation_id, message_id],
            )
        return hidden

    def mark_unfinished_interrupted(self) -> int:
        """Replies left 'streaming' by a crash become 'interrupted' (run at start-up)."""
        with self.database.writing() as db:
            cursor = db.execute(
                "update messages set status = 'interrupted' where status = 'streaming'"
            )
            return cursor.rowcount

    # settings -------------------------------------------------------------------------
    def load_settings(self) -> Settings:
        data: dict[str, Any] = {}
        for row in self.database.db.query("select key, value from settings"):
            try:
                data[row["key"]] = json.loads(row["value"])
            except (TypeError, ValueError):
                continue  # one damaged value must not stop the app from starting
        return Settings.from_dict(data)

    def save_settings(self, settings: Settings) -> None:
        with self.database.writing() as db:
            for key, value in settings.to_dict().items():
                db.execute(
                    "insert into settings(key, value) values (?, ?)"
                    " on conflict(key) do update set value = excluded.value",
                    [key, json.dumps(value)],
                )
            self.database.changed(SettingsChanged())
