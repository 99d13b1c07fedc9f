"""Download an embedding model's folder with the GGUF downloader, one file at a time.

Each file goes through :func:`assistant.models.download.download` (Range resume, ETag, retries,
disk-space check, lock, SHA-256 while writing), into ``<id>.partial/``; the events are summed
into one progress bar for the whole folder. A file already complete in the staging folder is
kept (re-hashed when it has a checksum), so Pause, a dropped connection or a restart resumes
where the download stopped. Only after the last file, a check that the folder is a
sentence-transformers model and an ``install.json`` that records how each file was checked,
is the staging folder renamed to ``<id>/``: a partial download is never a model.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.models.download import Cancel, download
from assistant.models.download_events import (
    DownloadDone,
    DownloadEvent,
    DownloadFailed,
    DownloadPaused,
    DownloadProgress,
    DownloadRetrying,
    DownloadVerifying,
)
from assistant.models.embedder_catalog import INSTALL_RECORD, EmbedderEntry, EmbedderFile


def download_embedder(
    entry: EmbedderEntry, cancel: Cancel | None = None, **options: Any
) -> Iterator[DownloadEvent]:
    """Events as for a GGUF model, for the folder as a whole; ``options`` go to ``download``."""
    if entry.installed:
        yield DownloadDone(entry.folder)
        return
    total = entry.download_bytes
    done = 0
    for file in entry.files:
        dest = entry.staging / file.path
        if _complete(dest, file):
            done += file.size_bytes
            continue
        start = time.monotonic()
        for event in download(
            entry.base_url + file.path, dest, sha256=file.sha256, expected_size=file.size_bytes,
            cancel=cancel, gguf=False, **options,
        ):
            if isinstance(event, DownloadProgress):
                speed, now = event.bytes_per_second, done + event.bytes_done
                yield DownloadProgress(now, total, speed, (total - now) / speed if speed > 0 else None)
            elif isinstance(event, DownloadPaused):
                yield DownloadPaused(done + event.bytes_done, total)
                return
            elif isinstance(event, DownloadFailed):
                yield DownloadFailed(f"{file.path}: {event.message}", event.kind)
                return
            elif isinstance(event, DownloadRetrying):
                yield event
        if not dest.is_file():  # the generator ended without a final event
            yield DownloadPaused(done, total)
            return
        size = dest.stat().st_size
        if size != file.size_bytes:
            dest.unlink()
            yield DownloadFailed(
                f"{file.path} has {size:,} bytes instead of {file.size_bytes:,}; it was deleted. "
                "Download again; if this repeats, the catalog entry is out of date.", "checksum")
            return
        done += size
        if time.monotonic() - start > 0:
            yield DownloadProgress(done, total, 0.0, None)
    yield DownloadVerifying(entry.folder)
    problem = _check_folder(entry.staging)
    if problem:
        shutil.rmtree(entry.staging, ignore_errors=True)
        yield DownloadFailed(f"The downloaded files are not a usable sentence-transformers model "
                             f"({problem}); they were deleted.", "invalid_model")
        return
    try:
        _install(entry)
    except OSError as exc:
        yield DownloadFailed(f"Cannot move the model into place at {entry.folder}: {exc.strerror or exc}.",
                             "disk")
        return
    yield DownloadDone(entry.folder)


def _complete(dest: Path, file: EmbedderFile) -> bool:
    """Already downloaded and sound (``download`` only ever renames a checked file into place)."""
    try:
        if dest.stat().st_size != file.size_bytes:
            return False
    except OSError:
        return False
    if file.sha256 is None:
        return True
    digest = hashlib.sha256()
    with dest.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    if digest.hexdigest() == file.sha256:
        return True
    dest.unlink()
    return False


def _check_folder(folder: Path) -> str:
    """'' when the folder looks like a sentence-transformers model, else what is wrong."""
    for name in ("modules.json", "config.json"):
        try:
            data = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return f"{name} cannot be read: {exc}"
        if name == "modules.json" and not (isinstance(data, list) and data):
            return "modules.json lists no modules"
    for module in json.loads((folder / "modules.json").read_text(encoding="utf-8")):
        path = str(module.get("path", "")) if isinstance(module, dict) else ""
        if path and (".." in Path(path).parts or Path(path).is_absolute()):
            return f"modules.json names an unsafe path {path!r}"
        if path:  # e.g. 2_Normalize: a module without files still needs its folder
            (folder / path).mkdir(parents=True, exist_ok=True)
    return ""


def _install(entry: EmbedderEntry) -> None:
    by_sha = [f.path for f in entry.files if f.sha256]
    record = {
        "id": entry.id,
        "model_id": entry.model_id,
        "source": entry.base_url,
        # Verified only when every file had a published checksum and matched it.
        "verified": entry.checksummed,
        "checked_by_sha256": by_sha,
        "checked_by_size_only": [f.path for f in entry.files if not f.sha256],
        "installed_at": time.time(),
    }
    for leftover in entry.staging.rglob("*"):  # lock or .part.json of an interrupted attempt
        if leftover.is_file() and leftover.name.endswith((".lock", ".part", ".part.json")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    tmp = entry.staging / (INSTALL_RECORD + ".tmp")
    tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
    os.replace(tmp, entry.staging / INSTALL_RECORD)
    if entry.folder.exists():  # a folder without a record: an older, unusable leftover
        shutil.rmtree(entry.folder)
    os.replace(entry.staging, entry.folder)


def remove_embedder(entry: EmbedderEntry) -> None:
    """Delete a downloaded model's folder and any unfinished download of it."""
    for path in (entry.folder, entry.staging):
        shutil.rmtree(path, ignore_errors=True)
