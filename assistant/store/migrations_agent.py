"""Migrations for the agent: reminders/events and the tool calls a chat made (agent_*)."""

from __future__ import annotations

import sqlite_utils

from assistant.store.migration_set import MigrationSet

MIGRATIONS = MigrationSet("agent")


@MIGRATIONS.step("agent_001_reminders")
def _reminders(db: sqlite_utils.Database) -> None:
    db.table("reminders").create(
        {
            "id": int,
            "text": str,
            "kind": str,  # reminder | event
            "start_local": str,  # ISO wall time in ``tz`` (recurrences are computed on it)
            "tz": str,
            "rrule": str,  # RFC 5545 RRULE value; NULL: one-off
            "duration_minutes": int,
            "notes": str,
            "status": str,  # active | done | cancelled
            # Every occurrence at or before this instant (UTC epoch) has been shown: persisted
            # so a restart, a DST change or a clock jump never fires one twice.
            "handled_through": float,
            "snoozed_until": float,
            "next_due": float,  # cached, for the due query; NULL: nothing left to fire
            "uid": str,  # iCalendar UID (kept across export/import)
            "source": str,  # chat | cli | ics | ui
            "conversation_id": int,
            "created_at": float,
            "updated_at": float,
        },
        pk="id",
        not_null={
            "text", "kind", "start_local", "tz", "status", "handled_through", "created_at", "updated_at"
        },
    )
    db.table("reminders").create_index(["status", "next_due"])
    db.table("reminders").create_index(["uid"])


@MIGRATIONS.step("agent_002_tool_calls")
def _tool_calls(db: sqlite_utils.Database) -> None:
    db.table("tool_calls").create(
        {
            "id": int,
            "conversation_id": int,
            "after_message_id": int,  # the user message that led to it: cards go after it
            "call_id": str,
            "tool": str,
            "arguments": str,  # JSON
            "status": str,  # ok | error | denied | timeout
            "summary": str,
            "result": str,
            "started_at": float,
            "duration": float,
        },
        pk="id",
        not_null={"conversation_id", "call_id", "tool", "arguments", "status", "started_at"},
    )
    db.table("tool_calls").create_index(["conversation_id", "id"])


@MIGRATIONS.step("agent_003_tool_calls_go_with_their_conversation")
def _tool_calls_follow_conversation(db: sqlite_utils.Database) -> None:
    """A tool result can hold document or web text: it goes when its conversation is purged,
    whoever deletes it. Results left behind by purges before this migration go now."""
    db.execute("delete from tool_calls where conversation_id not in (select id from conversations)")
    db.execute(
        "update reminders set conversation_id = null"
        " where conversation_id is not null and conversation_id not in (select id from conversations)"
    )
    db.execute(
        """
        create trigger conversations_purge_tool_calls after delete on conversations begin
            delete from tool_calls where conversation_id = old.id;
            update reminders set conversation_id = null where conversation_id = old.id;
        end
        """
    )
