"""Fixtures for the embedding-model tests: the stand-in server and a catalog that lists it
(see ``tests/support/embedder_standin.py``). Registered for every test in tests/conftest.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.models import embedder_catalog
from assistant.models.embedder_catalog import EmbedderEntry, parse_embedders
from tests.support.embedder_standin import FolderServer, standin_entry, standin_files


@pytest.fixture(scope="session")
def folder_server() -> Iterator[FolderServer]:
    server = FolderServer(standin_files())
    yield server
    server.stop()


@pytest.fixture
def standin_server(folder_server: FolderServer) -> FolderServer:
    folder_server.reset()
    return folder_server


@pytest.fixture
def standin_catalog(
    assistant_home: Path, monkeypatch: pytest.MonkeyPatch, folder_server: FolderServer
) -> EmbedderEntry:
    """The shipped catalog plus the stand-in (its https base_url is never fetched: tests
    download with the entry this returns, which points at the local server)."""
    shipped = json.loads(embedder_catalog.DEFAULT_EMBEDDERS.read_text(encoding="utf-8"))
    entry = standin_entry("https://huggingface.co/stand-in/", folder_server.files)
    raw = {k: v for k, v in entry.__dict__.items() if k != "files"}
    raw["files"] = [f.__dict__ for f in entry.files]
    shipped["models"].append(raw)
    path = assistant_home / "embedders.json"
    path.write_text(json.dumps(shipped), encoding="utf-8")
    monkeypatch.setattr(embedder_catalog, "DEFAULT_EMBEDDERS", path)
    parse_embedders(shipped)  # the test catalog is valid by the app's own rules
    return replace(entry, base_url=folder_server.base)
