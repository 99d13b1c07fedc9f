"""Remote engines the user added: OpenAI-compatible servers (vLLM, llama.cpp server, Ollama,
LM Studio). The API key is stored in the profile's database, like the rest of the profile."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from assistant.engine.base import RemoteConfig
from assistant.store.db import Database


class ConnectionError_(ValueError):
    pass


@dataclass(frozen=True)
class Connection:
    id: int
    name: str
    base_url: str
    model: str
    api_key: str = ""
    n_ctx: int = 8192

    def remote_config(self) -> RemoteConfig:
        return RemoteConfig(base_url=self.base_url, model=self.model, api_key=self.api_key)


def normalise_url(url: str) -> str:
    """Accept what users paste ("localhost:8000", ".../v1/"); store ``http(s)://host:port/v1``."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
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

    def list(self) -> list[Connection]:
        rows = self.database.db.query("select * from connections order by name")
        return [_from_row(r) for r in rows]

    def get(self, connection_id: int) -> Connection | None:
        rows = list(self.database.db.query("select * from connections where id = ?", [connection_id]))
        return _from_row(rows[0]) if rows else None

    def add(self, name: str, base_url: str, model: str, api_key: str = "", n_ctx: int = 8192) -> int:
        if not model.strip():
            raise ConnectionError_("Give the model name the server should use.")
        record = {
            "name": name.strip() or model.strip(),
            "base_url": normalise_url(base_url),
            "model": model.strip(),
            "api_key": api_key.strip(),
            "n_ctx": max(512, int(n_ctx)),
            "created_at": time.time(),
        }
        with self.database.writing() as db:
            table = db["connections"]
            table.insert(record)
            return int(table.last_pk)

    def remove(self, connection_id: int) -> None:
        with self.database.writing() as db:
            db.execute("delete from connections where id = ?", [connection_id])


def _from_row(row: dict[str, object]) -> Connection:
    return Connection(
        id=int(row["id"]),  # type: ignore[arg-type]
        name=str(row["name"]),
        base_url=str(row["base_url"]),
        model=str(row["model"]),
        api_key=str(row["api_key"] or ""),
        n_ctx=int(row["n_ctx"] or 8192),  # type: ignore[arg-type]
    )
