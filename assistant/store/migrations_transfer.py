"""Migrations for chat export and import (transfer_*).

Every conversation gets a stable ``uid`` that travels with it in our JSON export, so a file
imported twice, or exported from one profile and imported back into it, never duplicates a
conversation. ChatGPT conversations keep their own id as ``chatgpt:<id>``. The uid lives in
its own table (the conversations table stays as it is); a trigger gives each new conversation
one, whoever creates it, and the row goes with its conversation when that is purged.
"""

from __future__ import annotations

import sqlite_utils

from assistant.store.migration_set import MigrationSet

MIGRATIONS = MigrationSet("transfer")

#: 128 random bits as 32 hex digits: unique across every profile in practice.
NEW_UID = "lower(hex(randomblob(16)))"


@MIGRATIONS.step("transfer_001_conversation_uids")
def _conversation_uids(db: sqlite_utils.Database) -> None:
    for statement in (  # one at a time: executescript() would COMMIT the migration's transaction
        """
        create table conversation_uids (
            conversation_id integer primary key references conversations(id) on delete cascade,
            uid text not null unique,
            source text not null default 'local',  -- local | ours (our JSON) | chatgpt
            imported_at real                       -- NULL: created here
        )
        """,
        f"""
        create trigger conversations_uid_ai after insert on conversations begin
            insert into conversation_uids(conversation_id, uid) values (new.id, {NEW_UID});
        end
        """,
        f"""
        insert into conversation_uids(conversation_id, uid)
            select id, {NEW_UID} from conversations
        """,
    ):
        db.execute(statement)
