"""Embedding-model downloads through a real local HTTP server serving a real model folder (the
bundled all-MiniLM-L6-v2 stands in for the multilingual model under another id)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from assistant.engine.base import CancelToken
from assistant.memory.embedder import EmbedderError, resolve_spec
from assistant.models.catalog import CatalogError
from assistant.models.download_events import (
    DownloadDone,
    DownloadEvent,
    DownloadFailed,
    DownloadPaused,
    DownloadProgress,
)
from assistant.models.embedder_catalog import load_embedders, parse_embedders
from assistant.models.embedder_download import download_embedder
from tests.support.embedder_standin import STANDIN_ID, WEIGHTS, standin_entry

if TYPE_CHECKING:
    from assistant.models.embedder_catalog import EmbedderEntry
    from tests.support.embedder_standin import FolderServer

LOCAL: dict[str, Any] = {"allow_insecure_localhost": True, "retries": 0, "backoff_seconds": 0.0,
                         "read_timeout": 5.0}


def run(entry: EmbedderEntry, cancel: CancelToken | None = None) -> list[DownloadEvent]:
    return list(download_embedder(entry, cancel, **LOCAL))


def same_files(entry: EmbedderEntry, server: FolderServer) -> bool:
    return all((entry.folder / n).read_bytes() == data for n, data in server.files.items())


def test_shipped_catalog_is_valid_and_pinned() -> None:
    entries = {e.id: e for e in load_embedders()}
    bundled, multi = entries["all-minilm-l6-v2"], entries["multilingual-e5-small"]
    assert bundled.bundled and bundled.languages == "en" and bundled.installed
    assert multi.languages == "multi" and multi.dim == 384 and not multi.bundled
    assert re.fullmatch(r"https://huggingface\.co/.+/resolve/[0-9a-f]{40}/", multi.base_url)
    assert multi.query_prefix == "query: " and multi.passage_prefix == "passage: "
    weights = {f.path: f for f in multi.files}
    assert weights["model.safetensors"].sha256 and weights["tokenizer.json"].sha256
    # The small git files have no published checksum, so the download is never "verified".
    assert not multi.checksummed


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"base_url": "http://example.org/m/"}, "https://"),
        ({"files": [{"path": "../evil.json", "size_bytes": 3, "sha256": None}]}, "plain relative path"),
        ({"files": [{"path": "modules.json", "size_bytes": 3, "sha256": "abc"}]}, "64 hex"),
        ({"languages": "zh"}, "languages"),
        ({"files": []}, "list its files"),
    ],
)
def test_bad_catalog_entries_are_refused_with_a_reason(change: dict[str, Any], complaint: str) -> None:
    good = {"id": "x", "display_name": "X", "model_id": "org/x", "languages": "multi", "dim": 384,
            "max_tokens": 512, "license": "MIT", "good_at": "", "base_url": "https://h.example/x/",
            "files": [{"path": "modules.json", "size_bytes": 3, "sha256": None}]}
    with pytest.raises(CatalogError, match=re.escape(complaint)):
        parse_embedders({"schema_version": 1, "models": [{**good, **change}]})


def test_dropped_connection_resumes_and_a_partial_folder_is_never_a_model(
    standin_server: FolderServer, standin_catalog: EmbedderEntry
) -> None:
    entry = standin_catalog
    standin_server.mode = "drop"
    failed = run(entry)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "network" and WEIGHTS in failed.message
    assert not entry.installed and not entry.folder.exists()
    assert 0 < entry.partial_bytes() < entry.download_bytes
    with pytest.raises(EmbedderError, match="not downloaded"):
        resolve_spec(STANDIN_ID)  # the setting can name it, but it cannot become active

    standin_server.requests.clear()
    events = run(entry)
    assert events[-1] == DownloadDone(entry.folder)
    # Only the weights were asked for again, from where the connection dropped.
    assert [name for name, _ in standin_server.requests] == [WEIGHTS]
    assert standin_server.requests[0][1] == f"bytes={standin_server.drop_after}-"
    progress = [e.bytes_done for e in events if isinstance(e, DownloadProgress)]
    assert progress == sorted(progress) and progress[-1] == entry.download_bytes
    assert entry.installed and same_files(entry, standin_server) and not entry.staging.exists()
    record = entry.install_record()
    assert record["verified"] is True and record["model_id"] == entry.model_id
    spec = resolve_spec(STANDIN_ID)
    assert (spec.folder, spec.languages, spec.query_prefix) == (entry.folder, "multi", "query: ")


def test_pause_then_resume(standin_server: FolderServer, standin_catalog: EmbedderEntry) -> None:
    entry, cancel = standin_catalog, CancelToken()
    standin_server.mode = "slow"
    events: list[DownloadEvent] = []
    for event in download_embedder(entry, cancel, **LOCAL):
        events.append(event)
        if isinstance(event, DownloadProgress) and event.bytes_done > entry.download_bytes // 2:
            cancel.cancel()
    assert isinstance(events[-1], DownloadPaused) and not entry.installed
    standin_server.mode = "normal"
    assert run(entry)[-1] == DownloadDone(entry.folder)
    assert same_files(entry, standin_server)


def test_bad_checksum_is_refused_and_nothing_installed(
    standin_server: FolderServer, standin_catalog: EmbedderEntry
) -> None:
    entry = standin_catalog
    standin_server.mode = "wrong"
    failed = run(entry)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "checksum"
    assert not entry.installed and not (entry.staging / WEIGHTS).exists()
    assert not list(entry.staging.glob(WEIGHTS + ".part*"))  # the bad bytes are gone
    standin_server.mode = "normal"
    assert run(entry)[-1] == DownloadDone(entry.folder) and same_files(entry, standin_server)


def test_files_without_checksums_are_never_marked_verified(
    standin_server: FolderServer, standin_catalog: EmbedderEntry
) -> None:
    unverified = ("config.json", "modules.json")
    entry = standin_entry(standin_server.base, standin_server.files, unverified=unverified)
    assert run(entry)[-1] == DownloadDone(entry.folder)
    record = json.loads((entry.folder / "install.json").read_text(encoding="utf-8"))
    assert record["verified"] is False
    assert record["checked_by_size_only"] == ["config.json", "modules.json"]
    assert WEIGHTS in record["checked_by_sha256"]


def test_an_unchecksummed_file_of_the_wrong_size_is_refused(
    standin_server: FolderServer, standin_catalog: EmbedderEntry, assistant_home: Path
) -> None:
    entry = standin_entry(standin_server.base, standin_server.files, unverified=("config.json",))
    files = tuple(replace(f, size_bytes=f.size_bytes + 5) if f.path == "config.json" else f
                  for f in entry.files)
    failed = run(replace(entry, files=files))[-1]
    assert isinstance(failed, DownloadFailed) and "config.json" in failed.message
    assert not entry.installed


def test_the_same_bytes_as_served(standin_server: FolderServer, standin_catalog: EmbedderEntry) -> None:
    entry = standin_catalog
    assert run(entry)[-1] == DownloadDone(entry.folder)
    digest = hashlib.sha256((entry.folder / WEIGHTS).read_bytes()).hexdigest()
    assert digest == hashlib.sha256(standin_server.files[WEIGHTS]).hexdigest()
    assert run(entry) == [DownloadDone(entry.folder)]  # installed: nothing fetched again
