"""Migrations for remote connections (connections_*): API keys out of the database."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from assistant.store.migration_set import MigrationSet
from assistant.store.secrets import SecretStore, new_ref

KEYS_OUT = "connections_001_keys_out_of_database"
MIGRATIONS = MigrationSet(
    "connections",
    # Older versions kept the key here; every backup is scrubbed of it after the upgrade.
    secret_columns=[("connections", "api_key")],
    # A removed connection's key may linger in freed pages: rebuild the file once.
    vacuum_after={KEYS_OUT},
)


@MIGRATIONS.step(KEYS_OUT)
def _keys_out_of_database(db: sqlite_utils.Database) -> None:
    """Each stored key moves to the keyring (or the 0600 fallback file); the database keeps only
    a reference. ``allow_insecure_http`` records the user's explicit choice to send a key over
    plain http to another machine; no existing connection gets it implicitly."""
    table = db.table("connections")
    table.add_column("key_ref", str)
    table.add_column("allow_insecure_http", int, not_null_default=0)
    rows = list(db.query("select id, api_key from connections where coalesce(api_key, '') != ''"))
    if not rows:
        return
    secrets = SecretStore(_data_folder(db))
    for row in rows:
        ref = new_ref()
        secrets.put(ref, str(row["api_key"]).strip())  # raises if it cannot be kept anywhere
        db.execute("update connections set key_ref = ?, api_key = null where id = ?", [ref, row["id"]])


def _data_folder(db: sqlite_utils.Database) -> Path:
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file).parent
    from assistant.config import user_dir

    return user_dir()  # an in-memory database (never the app's own): the profile's folder
