"""API keys live in the system keyring (or a 0600 file where none runs), never in the database,
its WAL or any backup; older profiles are upgraded and their backups scrubbed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import keyring
import pytest
import sqlite_utils
from keyring.backends import fail

from assistant.models.connections import ConnectionStore
from assistant.store import backup
from assistant.store.db import Database
from assistant.store.secrets import FALLBACK_FILE, IN_FILE, IN_KEYRING, SERVICE
from tests.core.test_upgrade import previous_release
from tests.support.fake_keyring import MemoryKeyring

KEY = "sk-live-9f8e7d6c5b4a-SECRET"


def profile_bytes(db_file: Path) -> dict[str, bytes]:
    """The database, its WAL and journal, and every backup: everything a backup tool would copy."""
    files = [Path(str(db_file) + s) for s in ("", "-wal", "-shm", "-journal")]
    files += backup.list_backups(db_file)
    return {p.name: p.read_bytes() for p in files if p.exists()}


def leaks(db_file: Path, *secrets: str) -> list[str]:
    return [f"{name}: {secret}" for name, data in profile_bytes(db_file).items()
            for secret in secrets if secret.encode() in data]


@pytest.fixture
def database(tmp_path: Path):
    database = Database(tmp_path / "assistant.db").open()
    yield database
    database.close()


def test_a_new_key_goes_to_the_keyring_not_the_database_wal_or_backups(
    database: Database, memory_keyring: MemoryKeyring
) -> None:
    store = ConnectionStore(database)
    connection_id = store.add("Lab", "https://gpu.example.org/v1", "m", api_key=KEY)
    backup.take_backup(database.path, "daily")
    assert store.last_key_place == IN_KEYRING
    assert list(memory_keyring.passwords.values()) == [KEY]
    [(service, _user)] = memory_keyring.passwords
    assert service == SERVICE
    assert Path(str(database.path) + "-wal").stat().st_size > 0, "the WAL was written"
    assert leaks(database.path, KEY) == []
    found = store.get(connection_id)
    assert found is not None and found.remote_config().api_key == KEY
    assert store.list()[0].api_key == "" and store.list()[0].has_key  # listing never reads keys


def test_removing_a_connection_removes_its_key(database: Database, memory_keyring: MemoryKeyring) -> None:
    store = ConnectionStore(database)
    connection_id = store.add("Lab", "https://gpu.example.org/v1", "m", api_key=KEY)
    assert list(memory_keyring.passwords.values()) == [KEY]
    store.remove(connection_id)
    assert memory_keyring.passwords == {} and store.list() == []


def test_upgrade_moves_plain_keys_out_and_scrubs_every_backup(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    path = tmp_path / "assistant.db"
    previous_release(path, upto="003b_remote_connections")
    old = sqlite_utils.Database(path)
    for name, key in (("Lab", KEY), ("Gone", "sk-removed-connection-key")):
        old["connections"].insert({"name": name, "base_url": "https://gpu.example.org/v1", "model": "m",
                                   "api_key": key, "n_ctx": 4096, "created_at": 1.0})
    old.execute("delete from connections where name = 'Gone'")  # its bytes stay in a freed page
    old.conn.commit()
    old.conn.close()
    backup.take_backup(path, "daily")  # an older version's backup: it holds the key
    assert leaks(path, KEY, "sk-removed-connection-key"), "the old profile leaks, as before the fix"

    database = Database(path).open()
    try:
        assert len(backup.list_backups(path)) == 2  # the daily one and the one before the upgrade
        assert leaks(path, KEY, "sk-removed-connection-key") == []
        [connection] = ConnectionStore(database).list()
        assert connection.has_key and list(memory_keyring.passwords.values()) == [KEY]
        assert ConnectionStore(database).get(connection.id).api_key == KEY  # type: ignore[union-attr]
        assert not connection.allow_insecure_http, "no connection gets the http choice implicitly"
    finally:
        database.close()


def test_without_a_keyring_the_key_goes_to_a_private_file_and_moves_once_one_appears(
    database: Database,
) -> None:
    keyring.set_keyring(fail.Keyring())
    store = ConnectionStore(database)
    assert store.key_storage() == IN_FILE
    connection_id = store.add("Lab", "https://gpu.example.org/v1", "m", api_key=KEY)
    assert store.last_key_place == IN_FILE
    key_file = database.path.parent / FALLBACK_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert KEY in json.loads(key_file.read_text()).values()
    backup.take_backup(database.path, "daily")
    assert leaks(database.path, KEY) == []
    assert ConnectionStore(database).get(connection_id).api_key == KEY  # type: ignore[union-attr]

    later = MemoryKeyring()  # a keyring service runs on a later start
    keyring.set_keyring(later)
    assert ConnectionStore(database).get(connection_id).api_key == KEY  # type: ignore[union-attr]
    assert list(later.passwords.values()) == [KEY] and not key_file.exists()


def test_a_keyring_that_refuses_the_key_falls_back_to_the_file(database: Database) -> None:
    class Locked(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.KeyringLocked("locked")

    keyring.set_keyring(Locked())
    store = ConnectionStore(database)
    connection_id = store.add("Lab", "https://gpu.example.org/v1", "m", api_key=KEY)
    assert store.last_key_place == IN_FILE
    assert ConnectionStore(database).get(connection_id).api_key == KEY  # type: ignore[union-attr]
    assert leaks(database.path, KEY) == []
