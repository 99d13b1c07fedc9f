"""Model downloads through a real local HTTP server, with real files and the real starter model."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from assistant.engine.base import CancelToken
from assistant.models.catalog import CatalogError, find_entry, load_catalog, models_dir
from assistant.models.download import (
    RESERVE_BYTES,
    DownloadDone,
    DownloadEvent,
    DownloadFailed,
    DownloadPaused,
    DownloadProgress,
    DownloadRetrying,
    DownloadVerifying,
    download,
    download_entry,
)
from assistant.models.gguf_header import read_header

if TYPE_CHECKING:
    from tests.support.http_fixtures import ModelServer


REPO_ROOT = Path(__file__).resolve().parents[2]
LOCAL = {"allow_insecure_localhost": True, "retries": 0, "backoff_seconds": 0.0, "read_timeout": 5.0}


def fetch(server: ModelServer, dest: Path, **options: object) -> list[DownloadEvent]:
    return list(download(server.url, dest, **{**LOCAL, "sha256": server.sha256, **options}))  # type: ignore[arg-type]


def sidecars(dest: Path) -> list[Path]:
    names = (".part", ".part.json", ".lock")
    return [p for p in (dest.with_name(dest.name + n) for n in names) if p.exists()]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def dest(assistant_home: Path) -> Path:
    return models_dir() / "starter.gguf"


def test_full_download_is_identical_to_the_starter(model_server: ModelServer, dest: Path) -> None:
    events = fetch(model_server, dest)
    assert events[-1] == DownloadDone(dest)
    assert isinstance(events[-2], DownloadVerifying)
    progress = [e for e in events if isinstance(e, DownloadProgress)]
    assert progress and progress[-1].bytes_done == progress[-1].bytes_total == len(model_server.data)
    assert [p.bytes_done for p in progress] == sorted(p.bytes_done for p in progress)
    # Throttled: far fewer events than the ~400 chunks of a 98 MB body.
    assert len(progress) < 100
    assert sha(dest) == model_server.sha256
    assert read_header(dest).architecture == "llama"
    assert sidecars(dest) == []
    assert [r.range for r in model_server.requests] == [None]


def test_dropped_connection_then_resume_with_range(model_server: ModelServer, dest: Path) -> None:
    model_server.mode = "drop"
    failed = fetch(model_server, dest)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "network"
    assert "resume" in failed.message
    part = dest.with_name(dest.name + ".part")
    assert not dest.exists() and part.stat().st_size == model_server.drop_after
    assert part.read_bytes() == model_server.data[: model_server.drop_after]

    assert fetch(model_server, dest)[-1] == DownloadDone(dest)
    second = model_server.requests[-1]
    assert second.range == f"bytes={model_server.drop_after}-" and second.status == 206
    assert second.if_range == model_server.etag
    assert model_server.total_bytes_sent < 2 * len(model_server.data)
    assert sha(dest) == model_server.sha256 and sidecars(dest) == []


def test_drop_is_retried_automatically(model_server: ModelServer, dest: Path) -> None:
    model_server.mode = "drop"
    events = fetch(model_server, dest, retries=2)
    retrying = [e for e in events if isinstance(e, DownloadRetrying)]
    assert len(retrying) == 1 and retrying[0].attempt == 1
    assert events[-1] == DownloadDone(dest)
    assert sha(dest) == model_server.sha256


def test_server_ignoring_range_restarts_from_zero(model_server: ModelServer, dest: Path) -> None:
    model_server.mode = "drop"
    fetch(model_server, dest)
    model_server.mode = "norange"
    assert fetch(model_server, dest)[-1] == DownloadDone(dest)
    last = model_server.requests[-1]
    assert last.range is not None and last.status == 200 and last.bytes_sent == len(model_server.data)
    assert sha(dest) == model_server.sha256


def test_remote_file_changed_since_the_part_was_written(model_server: ModelServer, dest: Path) -> None:
    model_server.mode = "drop"
    fetch(model_server, dest)
    model_server.etag = '"a-new-revision"'  # If-Range no longer matches: the server sends it whole
    model_server.mode = "normal"
    assert fetch(model_server, dest)[-1] == DownloadDone(dest)
    assert model_server.requests[-1].status == 200
    assert sha(dest) == model_server.sha256


def test_checksum_mismatch_deletes_everything(model_server: ModelServer, dest: Path) -> None:
    model_server.mode = "wrong"
    failed = fetch(model_server, dest)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "checksum"
    assert "SHA-256" in failed.message
    assert not dest.exists() and sidecars(dest) == []


def test_a_web_page_instead_of_a_model_is_rejected(model_server: ModelServer, dest: Path) -> None:
    model_server.mode = "html"
    failed = fetch(model_server, dest, sha256=None)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "invalid_model"
    assert "GGUF" in failed.message
    assert not dest.exists() and sidecars(dest) == []


@pytest.mark.parametrize(("mode", "kind"), [("404", "not_found"), ("500", "server_error")])
def test_http_errors_are_explained(model_server: ModelServer, dest: Path, mode: str, kind: str) -> None:
    model_server.mode = mode
    events = fetch(model_server, dest, retries=1)
    failed = events[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == kind and mode in failed.message
    # 5xx is worth one more try; a 404 will not fix itself.
    assert len(model_server.requests) == (2 if mode == "500" else 1)
    assert not dest.exists() and sidecars(dest) == []


def test_a_larger_content_length_than_expected_is_refused(model_server: ModelServer, dest: Path) -> None:
    failed = fetch(model_server, dest, expected_size=1000)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "too_large"
    assert f"{len(model_server.data):,} bytes" in failed.message and "1,000 bytes" in failed.message
    assert not dest.exists() and sidecars(dest) == []  # refused before the .part was created


def test_a_body_longer_than_expected_is_stopped(model_server: ModelServer, dest: Path) -> None:
    """No Content-Length: only counting the bytes received can stop the stream."""
    model_server.mode = "nolength"
    failed = fetch(model_server, dest, expected_size=1000)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "too_large"
    assert "more than the expected 1,000 bytes" in failed.message
    assert not dest.exists() and sidecars(dest) == []
    # The client hung up long before the 98 MB were sent (socket buffers hold a few MB at most).
    assert model_server.total_bytes_sent < len(model_server.data) // 2
    # Exactly the expected size is fine, and the same server works once the catalog agrees.
    assert fetch(model_server, dest, expected_size=len(model_server.data))[-1] == DownloadDone(dest)


def test_a_part_larger_than_expected_starts_over(model_server: ModelServer, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.with_name(dest.name + ".part").write_bytes(model_server.data + b"junk from an old server")
    meta = {"url": model_server.url, "etag": model_server.etag}
    dest.with_name(dest.name + ".part.json").write_text(json.dumps(meta))
    assert fetch(model_server, dest, expected_size=len(model_server.data))[-1] == DownloadDone(dest)
    assert [r.range for r in model_server.requests] == [None]
    assert sha(dest) == model_server.sha256


def test_redirect_is_followed(model_server: ModelServer, dest: Path) -> None:
    events = list(download(model_server.base + "/redirect", dest, **LOCAL, sha256=model_server.sha256))
    assert events[-1] == DownloadDone(dest)
    assert [r.path for r in model_server.requests] == ["/redirect", "/model.gguf"]


def test_not_enough_disk_is_refused_before_any_byte(model_server: ModelServer, dest: Path) -> None:
    size = len(model_server.data)
    failed = fetch(model_server, dest, expected_size=size, free_space=lambda _: 10_000_000)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "no_space" and "MB" in failed.message
    assert model_server.requests == []  # the catalog size was enough to refuse without asking
    # Without a size up front, the server's Content-Length refuses it before the .part exists.
    failed = fetch(model_server, dest, free_space=lambda _: 10_000_000)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "no_space"
    assert len(model_server.requests) == 1 and sidecars(dest) == []


def test_disk_space_counts_the_part_already_downloaded(model_server: ModelServer, dest: Path) -> None:
    model_server.mode = "drop"
    fetch(model_server, dest)
    rest = len(model_server.data) - model_server.drop_after
    just_enough = rest + RESERVE_BYTES + 1
    assert fetch(model_server, dest, free_space=lambda _: just_enough)[-1] == DownloadDone(dest)


DISK_FULL_CHILD = """
import json, resource, sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from assistant.models.download import download
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # Python ignores SIGXFSZ: write() fails
for event in download(sys.argv[1], Path(sys.argv[2]), allow_insecure_localhost=True, retries=0):
    print(json.dumps({"type": type(event).__name__, **{k: str(v) for k, v in vars(event).items()}}))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_disk_full_during_write_keeps_a_resumable_part(model_server: ModelServer, dest: Path) -> None:
    # A real kernel write error, not a patched function: the child process may not grow a file
    # past ``limit`` bytes, so write() fails with EFBIG exactly where a full disk gives ENOSPC.
    limit = 5_000_000
    child = subprocess.run(
        [sys.executable, "-c", DISK_FULL_CHILD, model_server.url, str(dest), str(limit)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )
    events = [json.loads(line) for line in child.stdout.splitlines()]
    assert events and events[-1]["type"] == "DownloadFailed", child.stderr
    assert events[-1]["kind"] == "disk_full" and "free some space" in events[-1]["message"]
    part = dest.with_name(dest.name + ".part")
    kept = part.read_bytes()
    assert 0 < len(kept) <= limit and kept == model_server.data[: len(kept)]  # a clean prefix
    assert not dest.exists()
    assert fetch(model_server, dest)[-1] == DownloadDone(dest)
    assert model_server.requests[-1].range == f"bytes={len(kept)}-"
    assert sha(dest) == model_server.sha256


def _until_bytes(events: Iterator[DownloadEvent]) -> DownloadProgress:
    for event in events:
        if isinstance(event, DownloadProgress) and event.bytes_done > 0:
            return event
    raise AssertionError("the download ended before any byte arrived")


def test_second_download_of_the_same_model_is_refused(model_server: ModelServer, dest: Path) -> None:
    model_server.mode = "slow"
    first = download(model_server.url, dest, **LOCAL)
    _until_bytes(first)
    second = list(download(model_server.url, dest, **LOCAL))
    assert len(second) == 1 and isinstance(second[0], DownloadFailed) and second[0].kind == "busy"
    assert "already being downloaded" in second[0].message
    first.close()  # closing the generator is a pause too: the lock goes, the .part stays
    assert sidecars(dest) == [dest.with_name(dest.name + ".part"), dest.with_name(dest.name + ".part.json")]


def test_stale_lock_of_a_dead_process_is_taken_over(model_server: ModelServer, dest: Path) -> None:
    code = "import os; print(os.getpid())"
    dead = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.with_name(dest.name + ".lock").write_text(dead.stdout.strip())
    assert fetch(model_server, dest)[-1] == DownloadDone(dest)
    assert sidecars(dest) == []


@pytest.mark.parametrize("token_type", [threading.Event, CancelToken])
def test_pause_then_resume(model_server: ModelServer, dest: Path, token_type: type) -> None:
    model_server.mode = "slow"
    token = token_type()
    events = download(model_server.url, dest, **LOCAL, cancel=token)
    _until_bytes(events)
    token.cancel() if isinstance(token, CancelToken) else token.set()
    rest = list(events)
    assert isinstance(rest[-1], DownloadPaused) and rest[-1].bytes_total == len(model_server.data)
    part = dest.with_name(dest.name + ".part")
    assert part.stat().st_size == rest[-1].bytes_done > 0
    assert not dest.with_name(dest.name + ".lock").exists()

    model_server.mode = "normal"
    assert fetch(model_server, dest, cancel=token_type())[-1] == DownloadDone(dest)
    assert model_server.requests[-1].range == f"bytes={rest[-1].bytes_done}-"
    assert sha(dest) == model_server.sha256


def test_a_silent_server_times_out_instead_of_hanging(model_server: ModelServer, dest: Path) -> None:
    model_server.mode = "stall"
    failed = fetch(model_server, dest, read_timeout=0.5)[-1]
    assert isinstance(failed, DownloadFailed) and failed.kind == "network"
    assert "did not answer" in failed.message
    assert dest.with_name(dest.name + ".part").stat().st_size == model_server.stall_after


@pytest.mark.parametrize(
    ("url", "allow"),
    [
        ("http://example.com/model.gguf", True),
        ("http://127.0.0.1:9/model.gguf", False),
        ("ftp://example.com/m.gguf", True),
    ],
)
def test_only_https_is_downloaded(dest: Path, url: str, allow: bool) -> None:
    events = list(download(url, dest, allow_insecure_localhost=allow))
    assert len(events) == 1 and isinstance(events[0], DownloadFailed) and events[0].kind == "insecure_url"
    assert "https" in events[0].message
    assert not dest.parent.exists() or sidecars(dest) == []


def test_shipped_catalog_is_valid_and_names_the_real_starter(starter_bytes: bytes) -> None:
    entries = load_catalog()
    assert len(entries) >= 8
    assert all(e.url.startswith("https://huggingface.co/") and "/resolve/" in e.url for e in entries)
    starter = find_entry(entries, "smollm2-135m")
    assert starter.size_bytes == len(starter_bytes)
    assert starter.sha256 == hashlib.sha256(starter_bytes).hexdigest()
    assert any(e.tool_calling for e in entries)


def test_download_entry_lands_in_the_models_folder(model_server: ModelServer, assistant_home: Path) -> None:
    entry = dataclasses.replace(find_entry(load_catalog(), "smollm2-135m"), url=model_server.url)
    events = list(download_entry(entry, **LOCAL))
    assert events[-1] == DownloadDone(assistant_home / "models" / entry.filename)
    assert entry.installed
    assert list(download_entry(entry, **LOCAL)) == [DownloadDone(entry.local_path)]  # already there
    assert len(model_server.requests) == 1


def _write_catalog(tmp_path: Path, **changes: object) -> Path:
    data = json.loads((REPO_ROOT / "resources" / "catalog.json").read_text())
    data["models"][0].update(changes)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    return path


def test_catalog_with_plain_http_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="is not https"):
        load_catalog(_write_catalog(tmp_path, url="http://huggingface.co/x/resolve/main/m.gguf"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"size_bytes": "98 MB"}, "'size_bytes' must be int"),
        ({"tool_calling": 1}, "'tool_calling' must be bool"),
        ({"filename": "../../.bashrc.gguf"}, "plain name"),
        ({"sha256": "abc"}, "64 lower-case hex"),
        ({"id": "qwen2.5-0.5b"}, "twice"),
    ],
)
def test_malformed_catalog_entries_are_named(tmp_path: Path, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        load_catalog(_write_catalog(tmp_path, **changes))


def test_catalog_missing_field_and_bad_json(tmp_path: Path) -> None:
    data = json.loads((REPO_ROOT / "resources" / "catalog.json").read_text())
    del data["models"][1]["license"]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CatalogError, match=r"model #2 \(qwen2.5-0.5b\): the field 'license' is missing"):
        load_catalog(path)
    path.write_text('{"schema_version": 1, "models": [')
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_catalog(path)
