"""Remote engines the user added: OpenAI-compatible servers (vLLM, llama.cpp server, Ollama,
LM Studio). The database keeps the address and model; the API key lives in the system keyring
(or a 0600 file where none runs, see :mod:`assistant.store.secrets`), never in the database,
which every backup copies."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from assistant.engine.base import RemoteConfig
from assistant.engine.openai_http import is_loopback, key_in_clear
from assistant.store.db import Database, inserted_id
from assistant.store.secrets import SecretStore, new_ref


class ConnectionError_(ValueError):
    pass


@dataclass(frozen=True)
class Connection:
    id: int
    name: str
    base_url: str
    model: str
    api_key: str = ""  # filled by ConnectionStore.get() from the keyring; "" in list()
    n_ctx: int = 8192
    key_ref: str = ""
    allow_insecure_http: bool = False

    @property
    def has_key(self) -> bool:
        return bool(self.key_ref)

    def remote_config(self) -> RemoteConfig:
        return RemoteConfig(base_url=self.base_url, model=self.model, api_key=self.api_key,
                            allow_insecure_http=self.allow_insecure_http)


def normalise_url(url: str) -> str:
    """Accept what users paste ("localhost:8000", ".../v1/"); store ``http(s)://host:port/v1``.

    Without a scheme, another machine gets https (a key must not travel in clear by default);
    this machine (localhost, 127.0.0.0/8, ::1) gets http, which never leaves it.
    """
    url = url.strip()
    if "://" not in url:
        host = urlsplit("//" + url).hostname
        url = ("http://" if is_loopback(host) else "https://") + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectionError_(f"{url!r} is not an http(s) address of a server.")
    path = parts.path.rstrip("/")
    if not path.endswith("/v1"):
        path += "/v1"
    return f"{parts.scheme}://{parts.netloc}{path}"


class ConnectionStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.secrets = SecretStore(database.path.parent)
        #: Where add() put the last key (secrets.IN_KEYRING or IN_FILE), for the UI to say so.
        self.last_key_place = ""

    def key_storage(self) -> str:
        """Where a new key would go: secrets.IN_KEYRING, or IN_FILE when no keyring runs."""
        return self.secrets.where()

    @property
    def key_file(self) -> str:
        return str(self.secrets.file)

    def list(self) -> list[Connection]:
        """Without keys: listing must not ask the keyring (it may be slow, or prompt to unlock)."""
        rows = self.database.db.query("select * from connections order by name")
        return [_from_row(r) for r in rows]

    def get(self, connection_id: int) -> Connection | None:
        found = self._row(connection_id)
        if found is None or not found.key_ref:
            return found
        return replace(found, api_key=self.secrets.get(found.key_ref))

    def _row(self, connection_id: int) -> Connection | None:
        rows = list(self.database.db.query("select * from connections where id = ?", [connection_id]))
        return _from_row(rows[0]) if rows else None

    def add(self, name: str, base_url: str, model: str, api_key: str = "", n_ctx: int = 8192,
            allow_insecure_http: bool = False) -> int:
        if not model.strip():
            raise ConnectionError_("Give the model name the server should use.")
        url, api_key = normalise_url(base_url), api_key.strip()
        if key_in_clear(url, bool(api_key), allow_insecure_http):
            raise ConnectionError_(insecure_message(url))
        ref = new_ref() if api_key else None
        record = {
            "name": name.strip() or model.strip(),
            "base_url": url,
            "model": model.strip(),
            "key_ref": ref,
            "allow_insecure_http": int(bool(allow_insecure_http)),
            "n_ctx": max(512, int(n_ctx)),
            "created_at": time.time(),
        }
        self.last_key_place = self.secrets.put(ref, api_key) if ref else ""
        try:
            with self.database.writing() as db:
                table = db.table("connections")
                table.insert(record)
                return inserted_id(table)
        except Exception:
            if ref:
                self.secrets.delete(ref)
            raise

    def remove(self, connection_id: int) -> None:
        found = self._row(connection_id)
        with self.database.writing() as db:
            db.execute("delete from connections where id = ?", [connection_id])
        if found is not None and found.key_ref:
            self.secrets.delete(found.key_ref)


def insecure_message(url: str) -> str:
    host = urlsplit(url).hostname
    return (f"The API key would travel unencrypted over http to {host}, where anyone on the network "
            "could read it. Use an https:// address, or choose “Send the API key over plain http” "
            "if you trust this network.")


def key_file_message(path: str) -> str:
    return (f"No system keyring is available, so API keys are kept in {path}, a file only you can "
            "read. They are never stored in the database or its backups.")


def _from_row(row: dict[str, Any]) -> Connection:
    return Connection(
        id=int(row["id"]),
        name=str(row["name"]),
        base_url=str(row["base_url"]),
        model=str(row["model"]),
        n_ctx=int(row["n_ctx"] or 8192),
        key_ref=str(row.get("key_ref") or ""),
        allow_insecure_http=bool(row.get("allow_insecure_http")),
    )

