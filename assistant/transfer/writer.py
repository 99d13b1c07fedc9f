"""Write imported conversations inside the caller's transaction.

Rows go in with plain INSERTs, so the triggers that keep search current (messages ->
search_items -> FTS) and give conversations their uid run as for any chat; the background
embedder then finds the new search_items by its "no vector yet" query.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from assistant.transfer.model import ConversationData, MessageData, ToolCallData

#: Ids inside a citation that point at rows of the exporting profile. Message ids follow their
#: message when it is in the same file; the rest (facts, documents) are not exported, so they are
#: cleared rather than left pointing at unrelated rows of this profile.
CITATION_IDS = ("conversation_id", "message_id", "fact_id", "collection_id", "chunk_id")


class Writer:
    def __init__(self, db: sqlite_utils.Database, imported_at: float) -> None:
        self.db = db
        self.imported_at = imported_at
        # The id maps live in SQLite's temp store, not in Python: a file of millions of
        # messages must not grow the process. Temp tables vanish with a rollback too.
        for statement in (
            "create temp table if not exists transfer_ids (old_id integer primary key, new_id integer)",
            "create temp table if not exists transfer_cited (message_id integer primary key)",
            "delete from temp.transfer_ids",
            "delete from temp.transfer_cited",
            # With foreign keys off (an old tool), a purge could leave a uid behind.
            "delete from conversation_uids where conversation_id not in (select id from conversations)",
        ):
            db.execute(statement)

    def write(self, conversation: ConversationData) -> int:
        c = conversation
        cursor = self.db.execute(
            "insert into conversations(title, system_prompt, created_at, updated_at) values (?, ?, ?, ?)",
            [c.title, c.system_prompt, c.created_at, c.updated_at],
        )
        conversation_id = int(cursor.lastrowid or 0)
        self.db.execute(  # the insert trigger gave it a fresh uid; it keeps the one it came with
            "update conversation_uids set uid = ?, source = ?, imported_at = ? where conversation_id = ?",
            [conversation.uid, conversation.source, self.imported_at, conversation_id],
        )
        ids = [self._message(conversation_id, message) for message in conversation.messages]
        for call in conversation.tool_calls:
            self._tool_call(conversation_id, call, ids)
        return conversation_id

    def _message(self, conversation_id: int, message: MessageData) -> int:
        cursor = self.db.execute(
            "insert into messages(conversation_id, role, content, status, created_at, updated_at,"
            " superseded_at, model, n_tokens) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                conversation_id,
                message.role,
                message.content,
                message.status,
                message.created_at,
                message.updated_at,
                message.superseded_at,
                message.model,
                message.n_tokens,
            ],
        )
        message_id = int(cursor.lastrowid or 0)
        if message.source_id is not None:
            self.db.execute(
                "insert or replace into temp.transfer_ids(old_id, new_id) values (?, ?)",
                [message.source_id, message_id],
            )
        if message.citations is not None:
            self.db.execute(
                "insert into reply_citations(message_id, citations) values (?, ?)",
                [message_id, json.dumps(message.citations, ensure_ascii=False)],
            )
            if any(c.get(key) is not None for c in message.citations for key in CITATION_IDS):
                self.db.execute("insert into temp.transfer_cited(message_id) values (?)", [message_id])
        return message_id

    def _tool_call(self, conversation_id: int, call: ToolCallData, message_ids: list[int]) -> None:
        after = message_ids[call.after_message] if call.after_message is not None else None
        self.db.execute(
            "insert into tool_calls(conversation_id, after_message_id, call_id, tool, arguments, status,"
            " summary, result, started_at, duration) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                conversation_id,
                after,
                call.call_id,
                call.tool,
                json.dumps(call.arguments, ensure_ascii=False),
                call.status,
                call.summary,
                call.result,
                call.started_at,
                call.duration,
            ],
        )

    def finish(self) -> None:
        """Point citations at the imported copies of the messages they cite (a citation may
        name a conversation later in the file, so this waits for the whole file)."""
        cited = self.db.execute("select message_id from temp.transfer_cited order by message_id")
        for (message_id,) in cited:
            row = self.db.execute(
                "select citations from reply_citations where message_id = ?", [message_id]
            ).fetchone()
            citations = [self._remap(c) for c in json.loads(row[0])]
            self.db.execute(
                "update reply_citations set citations = ? where message_id = ?",
                [json.dumps(citations, ensure_ascii=False), message_id],
            )
        self.db.execute("drop table temp.transfer_ids")
        self.db.execute("drop table temp.transfer_cited")

    def _remap(self, citation: dict[str, Any]) -> dict[str, Any]:
        old = citation.get("message_id")
        found = None
        if isinstance(old, int) and not isinstance(old, bool):
            found = self.db.execute(
                "select m.id, m.conversation_id from temp.transfer_ids t join messages m on m.id = t.new_id"
                " where t.old_id = ?",
                [old],
            ).fetchone()
        out = dict(citation)
        for key in CITATION_IDS:
            if key in out:
                out[key] = None
        if found is not None:
            out["message_id"], out["conversation_id"] = found[0], found[1]
        return out
