"""Migrations for choosing the embedding model (embeddings_*).

Until now ``embeddings`` held one vector per item (``item_id unique``), so changing the model
overwrote the old vectors one batch at a time and search had half a vector set until the end.
Now an item may have one vector per model (``unique(item_id, model)``): the new model's vectors
are written beside the old ones, search keeps using the old ones until the new set is complete,
and the old set is deleted afterwards (``assistant/memory/switch.py``). ``seq`` keeps its
values, so vector indexes that follow it stay correct.
"""

from __future__ import annotations

import sqlite_utils

from assistant.store.migration_set import MigrationSet

MIGRATIONS = MigrationSet("embeddings")


@MIGRATIONS.step("embeddings_001_one_vector_per_model")
def _one_vector_per_model(db: sqlite_utils.Database) -> None:
    for statement in (  # one at a time: executescript() would COMMIT the migration's transaction
        """
        create table embeddings_per_model (
            seq integer primary key autoincrement,
            item_id integer not null references search_items(id) on delete cascade,
            model text not null,
            dim integer not null,
            vector blob not null,
            created_at real not null,
            unique (item_id, model)
        )
        """,
        """
        insert into embeddings_per_model(seq, item_id, model, dim, vector, created_at)
            select seq, item_id, model, dim, vector, created_at from embeddings order by seq
        """,
        "drop table embeddings",
        "alter table embeddings_per_model rename to embeddings",
        "create index embeddings_model_seq on embeddings(model, seq)",
    ):
        db.execute(statement)
