"""Migration for keyword search over words (words_001_search_words).

``search_words`` is a second FTS5 index over ``search_items``: the text segmented into words
(Chinese through jieba, see :mod:`assistant.memory.words`), tokenized by unicode61 (English
words stemmed by porter: "folders" finds "folder") and ranked with bm25, so a rare word
outranks the common ones. The trigram index ``search_fts`` stays for substrings and other
scripts.

Triggers cannot segment, so they call ``assistant_words(text)``, a function every connection
of :class:`assistant.store.db.Database` registers: every write path (chat messages through
their triggers, facts, document chunks, imports) is covered by the same SQL.

The rows that existed before this migration are segmented by a background job in batches
(:mod:`assistant.memory.words_index`), resumably: ``search_words_backfill`` keeps the last
item id done, and items up to ``upto`` are the backlog. Until it is done, search falls back to
the trigram index for the backlog's rows. The migration itself only creates tables, so an
upgrade of a large profile does not keep the window waiting.
"""

from __future__ import annotations

import sqlite_utils

from assistant.store.migration_set import MigrationSet

MIGRATIONS = MigrationSet("words")

#: The SQLite function that segments text (registered on each connection in store/db.py).
SEGMENT_FUNCTION = "assistant_words"


@MIGRATIONS.step("words_001_search_words")
def _words_001(db: sqlite_utils.Database) -> None:
    for statement in (
        """
        -- Its own content (the segmented text): deleting a row then needs no re-segmenting,
        -- so a future dictionary can never leave stale words behind.
        create virtual table search_words using fts5(
            words, tokenize='porter unicode61 remove_diacritics 2'
        )
        """,
        f"""
        create trigger search_items_words_ai after insert on search_items begin
            insert into search_words(rowid, words) values (new.id, {SEGMENT_FUNCTION}(new.text));
        end
        """,
        """
        create trigger search_items_words_ad after delete on search_items begin
            delete from search_words where rowid = old.id;
        end
        """,
        f"""
        create trigger search_items_words_au after update of text on search_items begin
            delete from search_words where rowid = old.id;
            insert into search_words(rowid, words) values (new.id, {SEGMENT_FUNCTION}(new.text));
        end
        """,
        """
        -- One row: items with done_through < id <= upto are not segmented yet.
        create table search_words_backfill (
            id integer primary key check (id = 1),
            done_through integer not null,
            upto integer not null
        )
        """,
        """
        insert into search_words_backfill(id, done_through, upto)
            select 1, 0, coalesce(max(id), 0) from search_items
        """,
    ):
        db.execute(statement)
