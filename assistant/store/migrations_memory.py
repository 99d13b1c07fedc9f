"""Migrations for recall and user facts (004_*).

Everything searchable (chat messages, facts, document chunks) is one row of ``search_items``,
so one FTS5 index and one vector set serve every kind. Each row points at its source through
a nullable foreign key with ON DELETE CASCADE, so deleting the source (purging a chat,
forgetting a fact, removing a folder) removes the row, and through it the FTS entry (trigger)
and the vector (cascade), in the same transaction, whoever deletes it.
"""

from __future__ import annotations

import sqlite_utils

from assistant.store.migration_set import MigrationSet

MIGRATIONS = MigrationSet("memory")

#: A message is searchable once it is final, visible and not empty. Streaming replies are
#: rewritten every second; indexing them then would churn the FTS index and the vectors.
_INDEXABLE = (
    "{r}.role in ('user', 'assistant') and {r}.status != 'streaming'"
    " and {r}.superseded_at is null and length({r}.content) > 0"
)

_INSERT_MESSAGE = (
    "insert into search_items(kind, message_id, conversation_id, text, created_at)"
    " values ('message', new.id, new.conversation_id, new.content, new.created_at);"
)


@MIGRATIONS.step("004_memory_search_and_facts")
def _m004(db: sqlite_utils.Database) -> None:
    new_ok = _INDEXABLE.format(r="new")
    old_ok = _INDEXABLE.format(r="old")
    # One statement at a time: executescript() would COMMIT the migration's transaction.
    for statement in (
        """
        create table facts (
            id integer primary key,
            text text not null,
            status text not null check (status in ('proposed', 'approved')),
            source text not null default 'user',       -- user | assistant
            conversation_id integer references conversations(id) on delete set null,
            message_id integer references messages(id) on delete set null,
            created_at real not null,
            updated_at real not null
        )
        """,
        """
        create index facts_status on facts(status)
        """,
        """
        create index facts_message on facts(message_id)
        """,
        """
        create index facts_conversation on facts(conversation_id)
        """,
        """
        create table search_items (
            id integer primary key,
            kind text not null check (kind in ('message', 'fact', 'chunk')),
            message_id integer references messages(id) on delete cascade,
            conversation_id integer,
            fact_id integer references facts(id) on delete cascade,
            collection_id integer,
            text text not null,
            created_at real
        )
        """,
        """
        create unique index search_items_message on search_items(message_id)
        """,
        """
        create unique index search_items_fact on search_items(fact_id)
        """,
        """
        create index search_items_kind on search_items(kind, conversation_id)
        """,
        """
        -- External-content FTS: the text lives once, in search_items. trigram finds any
        -- substring of 3+ characters, so CJK text without spaces is searchable too.
        create virtual table search_fts using fts5(
            text, content='search_items', content_rowid='id', tokenize='trigram'
        )
        """,
        """
        create trigger search_items_ai after insert on search_items begin
            insert into search_fts(rowid, text) values (new.id, new.text);
        end
        """,
        """
        create trigger search_items_ad after delete on search_items begin
            insert into search_fts(search_fts, rowid, text) values ('delete', old.id, old.text);
        end
        """,
        """
        create trigger search_items_au after update of text on search_items begin
            insert into search_fts(search_fts, rowid, text) values ('delete', old.id, old.text);
            insert into search_fts(rowid, text) values (new.id, new.text);
        end
        """,
        """
        -- One vector per item, for the current model only (model and dim kept with it, so
        -- a model change re-embeds instead of mixing). seq only grows: the in-memory
        -- matrix loads what is newer than the last seq it saw.
        create table embeddings (
            seq integer primary key autoincrement,
            item_id integer not null unique references search_items(id) on delete cascade,
            model text not null,
            dim integer not null,
            vector blob not null,
            created_at real not null
        )
        """,
        """
        create index embeddings_model_seq on embeddings(model, seq)
        """,
        f"""
        create trigger messages_search_ai after insert on messages when {new_ok} begin
            {_INSERT_MESSAGE}
        end
        """,
        f"""
        create trigger messages_search_hide after update on messages when not ({new_ok}) begin
            delete from search_items where message_id = new.id;
        end
        """,
        f"""
        create trigger messages_search_au after update on messages
            when ({new_ok}) and (old.content is not new.content or not ({old_ok})) begin
            delete from search_items where message_id = new.id;
            {_INSERT_MESSAGE}
        end
        """,
        """
        -- The sources of the citations given to the model for a reply (JSON list).
        create table reply_citations (
            message_id integer primary key references messages(id) on delete cascade,
            citations text not null
        )
        """,
        f"""
        insert into search_items(kind, message_id, conversation_id, text, created_at)
            select 'message', id, conversation_id, content, created_at from messages as new
            where {new_ok}
        """,
    ):
        db.execute(statement)
