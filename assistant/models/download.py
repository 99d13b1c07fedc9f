"""Resumable, verified model downloads, as a generator of typed events.

``download()`` yields events that the CLI prints and ``ui/bridge/workers.py`` turns into signals; an
expected failure (network, disk, server) is a ``DownloadFailed`` event, never an exception.
Standard library only: one GET with Range and separate connect/read timeouts is what
http.client gives directly, so no new dependency.

Next to ``<dest>``: ``.part`` (always a correct prefix of the remote file; the next call resumes
from its size), ``.part.json`` (its URL and ETag: another URL restarts from zero, the ETag goes in
If-Range so a changed remote file comes whole instead of being spliced onto old bytes) and
``.lock`` (O_EXCL, holds the owner's pid; taken over when that process is gone; see
``download_lock.py``). The final name appears only after the SHA-256 and GGUF header checks pass,
by an atomic os.replace. A catalog size bounds the file: a larger Content-Length is refused and
a body that runs past it is stopped (``too_large``). The GET itself is in ``download_http.py``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import io
import json
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, Protocol

from assistant import __version__
from assistant.models.catalog import CatalogEntry
from assistant.models.download_events import (
    DownloadDone,
    DownloadEvent,
    DownloadFailed,
    DownloadPaused,
    DownloadProgress,
    DownloadRetrying,
    DownloadVerifying,
)
from assistant.models.download_http import Fail as _Fail
from assistant.models.download_http import check_url, content_range, open_get
from assistant.models.download_lock import LockBusy, acquire, release
from assistant.models.gguf_header import GGUFError, read_header

CHUNK = 256 * 1024
PROGRESS_EVERY_S = 0.1
SPEED_WINDOW_S = 3.0
#: Kept free on top of the download, so finishing a model never leaves the disk at 0 bytes.
RESERVE_BYTES = 64 * 1024 * 1024
#: EFBIG: over a file size limit (RLIMIT_FSIZE, FAT32's 4 GiB). EDQUOT: over a disk quota.
DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})


class Cancel(Protocol):
    """threading.Event and assistant.engine.base.CancelToken both fit."""

    def wait(self, timeout: float) -> bool: ...


#: ``download_entry``'s shape, for the windows that start downloads (and tests that stand in).
Downloader = Callable[[CatalogEntry, Cancel], Iterator[DownloadEvent]]


def download_entry(
    entry: CatalogEntry, cancel: Cancel | None = None, **options: Any
) -> Iterator[DownloadEvent]:
    """Download a catalog model into ``models_dir()``; a sound file already there is kept."""
    dest = entry.local_path
    if dest.is_file():
        with contextlib.suppress(GGUFError):
            read_header(dest)
            yield DownloadDone(dest)
            return
    yield from download(
        entry.url, dest, sha256=entry.sha256, expected_size=entry.size_bytes, cancel=cancel, **options
    )


def download(
    url: str,
    dest: Path,
    *,
    sha256: str | None = None,
    expected_size: int | None = None,
    cancel: Cancel | None = None,
    allow_insecure_localhost: bool = False,
    connect_timeout: float = 15.0,
    read_timeout: float = 30.0,
    retries: int = 3,
    backoff_seconds: float = 1.0,
    free_space: Callable[[Path], int] | None = None,
    gguf: bool = True,
) -> Iterator[DownloadEvent]:
    """Fetch ``url`` to ``dest``. Pause: set ``cancel`` (or close the generator); call again to resume.

    ``retries``: automatic new attempts after a network error, 5xx or 429, with exponential
    backoff; the count starts again whenever an attempt brought new bytes.
    ``free_space(folder) -> bytes`` defaults to shutil.disk_usage (tests pass a fake).
    ``gguf=False``: not a GGUF file (a file of an embedding model): no header check.
    """
    dest = Path(dest)
    lock = dest.with_name(dest.name + ".lock")
    try:
        check_url(url, allow_insecure_localhost)
        dest.parent.mkdir(parents=True, exist_ok=True)
        acquire(lock, dest)
    except _Fail as fail:
        yield DownloadFailed(fail.message, fail.kind)
        return
    except LockBusy as busy:
        yield DownloadFailed(str(busy), "busy")
        return
    except OSError as exc:
        yield DownloadFailed(f"Cannot write to {dest.parent}: {exc.strerror or exc}.", "disk")
        return
    job = _Job(url, dest, sha256, expected_size, cancel, allow_insecure_localhost,
               connect_timeout, read_timeout, free_space or (lambda p: shutil.disk_usage(p).free))
    job.gguf = gguf
    try:
        yield from job.run(retries, backoff_seconds)
    finally:
        release(lock)


class _Job:
    def __init__(self, url: str, dest: Path, sha256: str | None, expected_size: int | None,
                 cancel: Cancel | None, allow_local: bool, connect_timeout: float, read_timeout: float,
                 free_space: Callable[[Path], int]) -> None:
        self.url, self.dest, self.sha256, self.cancel = url, dest, sha256, cancel
        self.allow_local, self.free_space = allow_local, free_space
        self.gguf = True
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.part = dest.with_name(dest.name + ".part")
        self.meta = dest.with_name(dest.name + ".part.json")
        self.total: int | None = None
        self.expected_size = expected_size
        # The SHA-256 is computed while writing, so finishing a 5 GB model costs no second read;
        # ``hashed`` says how many bytes of the .part the hasher has seen.
        self.hasher = hashlib.sha256()
        self.hashed = 0

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.wait(0)

    def run(self, retries: int, backoff: float) -> Iterator[DownloadEvent]:
        attempt = 0
        while True:
            before = self._part_size()
            try:
                outcome = yield from self._attempt()
            except _Fail as fail:
                if self._part_size() > before:
                    attempt = 0  # progress was made: a flaky link still finishes
                if not fail.retryable or attempt >= retries:
                    yield DownloadFailed(fail.message, fail.kind)
                    return
                attempt += 1
                delay = min(30.0, backoff * 2 ** (attempt - 1))
                yield DownloadRetrying(attempt, retries, delay, fail.message)
                if self.cancel is not None and self.cancel.wait(delay):
                    outcome = "paused"
                else:
                    continue
            if outcome == "paused":
                yield DownloadPaused(self._part_size(), self.total)
                return
            break
        yield from self._finish()

    def _part_size(self) -> int:
        try:
            return self.part.stat().st_size
        except FileNotFoundError:
            return 0

    def _attempt(self) -> Generator[DownloadEvent, None, str]:
        """Yields progress; returns "complete" or "paused"."""
        start = self._resume_offset()
        if self.cancelled():
            return "paused"
        self._check_space(self.total or self.expected_size, start)
        conn, resp = self._open(start)
        try:
            offset, total = self._accept(resp, start)
            if offset is None:  # 416 with the whole file already here
                return "complete"
            self._check_offered_size(total)
            self._check_space(total, offset)  # the server's size, still before any byte is written
            self.total = total
            etag = resp.getheader("ETag")
            self._write_meta(etag if etag and not etag.startswith("W/") else None)
            return (yield from self._stream(resp, offset))
        finally:
            conn.close()

    def _resume_offset(self) -> int:
        start = self._part_size()
        if start and self._read_meta().get("url") != self.url:
            start = self._truncate(0)  # a .part from another URL (or of unknown origin)
        if self.total is not None and start > self.total:
            start = self._truncate(0)
        if self.expected_size is not None and start > self.expected_size:
            start = self._truncate(0)  # cannot be a prefix of the expected file
        return start

    def _check_offered_size(self, total: int | None) -> None:
        """Refuse, before any byte is written, a file larger than the catalog says."""
        if self.expected_size is None or total is None or total <= self.expected_size:
            return
        self._discard()  # a .part resumed against this server is no more trustworthy
        raise _Fail(f"The server offers {total:,} bytes but the model should be {self.expected_size:,} "
                    "bytes; nothing was downloaded. If this repeats, the catalog entry is out of date.",
                    "too_large")

    def _over_expected(self, done: int) -> bool:
        return self.expected_size is not None and done > self.expected_size

    def _too_much(self) -> _Fail:
        self._discard()
        return _Fail(f"The server sent more than the expected {self.expected_size:,} bytes; the download "
                     "was stopped and the partial file deleted. If this repeats, the catalog entry is "
                     "out of date.", "too_large")

    def _check_space(self, total: int | None, offset: int) -> None:
        if total is None:
            return
        need, free = max(0, total - offset), self.free_space(self.dest.parent)
        if free < need + RESERVE_BYTES:
            raise _Fail(
                f"Not enough disk space in {self.dest.parent}: the model needs {_mb(need)} more "
                f"(plus {_mb(RESERVE_BYTES)} to spare) and only {_mb(free)} is free. Free some space "
                "and try again.",
                "no_space",
            )

    def _open(self, start: int) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        headers = {"User-Agent": f"offline-assistant/{__version__}", "Accept-Encoding": "identity"}
        if start:
            headers["Range"] = f"bytes={start}-"
            etag = self._read_meta().get("etag")
            if isinstance(etag, str) and etag:
                headers["If-Range"] = etag
        try:
            return open_get(self.url, headers, self.allow_local, self.connect_timeout, self.read_timeout)
        except (OSError, http.client.HTTPException) as exc:
            raise _network(exc, self) from exc

    def _accept(self, resp: http.client.HTTPResponse, start: int) -> tuple[int | None, int | None]:
        """(offset the body starts at, total size) or raise a failure that says why."""
        length = resp.getheader("Content-Length")
        if resp.status == 200:
            return 0, int(length) if length and length.isdigit() else None  # Range ignored: from zero
        if resp.status == 206:
            first, _, total = content_range(resp.getheader("Content-Range"))
            if first != start:
                self._truncate(0)
                raise _Fail("The server sent the wrong part of the file; starting over.", "network", True)
            return start, total
        if resp.status == 416:
            total = content_range(resp.getheader("Content-Range"))[2]
            if total is not None and total == start:
                self.total = total
                return None, total
            self._truncate(0)
            raise _Fail("The partial file did not match the server's file; starting over.", "network", True)
        reason = f"HTTP {resp.status} {resp.reason}".strip()
        if resp.status in (404, 410):
            raise _Fail(f"The model file was not found on the server ({reason}): {self.url}. "
                        "The catalog entry may be out of date.", "not_found")
        if resp.status in (401, 403):
            raise _Fail(f"The server refused the download ({reason}); the model may need a login "
                        "or licence acceptance on its website.", "forbidden")
        if resp.status == 429 or resp.status >= 500:
            raise _Fail(f"The server had a problem ({reason}). Try again later.", "server_error", True)
        raise _Fail(f"The server answered {reason} for {self.url}.", "http")

    def _stream(self, resp: http.client.HTTPResponse, offset: int) -> Generator[DownloadEvent, None, str]:
        if offset == 0:
            self.hasher, self.hashed = hashlib.sha256(), 0
        elif self.hashed != offset:
            self._rehash()
        done, total = offset, self.total
        samples: deque[tuple[float, int]] = deque([(time.monotonic(), done)])
        last_emit, oversize = 0.0, False
        try:
            # Unbuffered: a write error (disk full) shows up at the write that caused it, and
            # ``done`` is then exactly what is on disk.
            fh = open(self.part, "ab" if offset else "wb", buffering=0)
        except OSError as exc:
            raise _Fail(f"Cannot write {self.part}: {exc.strerror or exc}.", "disk") from exc
        with fh:
            yield DownloadProgress(done, total, 0.0, None)
            while True:
                if self.cancelled():
                    return "paused"
                try:
                    chunk = resp.read1(CHUNK)
                except (OSError, http.client.HTTPException) as exc:
                    raise _network(exc, self, done) from exc
                if not chunk:
                    break
                # Checked before writing: without a Content-Length (or with a lying one on a
                # 206) only the count of bytes received can stop an endless body.
                if self._over_expected(done + len(chunk)):
                    oversize = True
                    break
                self._write(fh, chunk, done)
                self.hasher.update(chunk)
                done += len(chunk)
                self.hashed = done
                now = time.monotonic()
                samples.append((now, done))
                while len(samples) > 2 and now - samples[0][0] > SPEED_WINDOW_S:
                    samples.popleft()
                if now - last_emit >= PROGRESS_EVERY_S:  # throttled: a GUI needs ~10 updates/s
                    last_emit = now
                    yield _progress(samples, done, total)
            if not oversize:
                os.fsync(fh.fileno())  # the bytes are on disk before the rename makes them "the model"
        if oversize:
            raise self._too_much()  # the file is closed first, so it can be deleted on Windows too
        yield _progress(samples, done, total)
        if total is not None and done < total:
            raise _Fail(f"The connection dropped after {_mb(done)} of {_mb(total)}. The partial file is "
                        "kept; downloading again resumes from there.", "network", True)
        self.total = done
        return "complete"

    def _write(self, fh: io.FileIO, chunk: bytes, done: int) -> None:
        view = memoryview(chunk)
        try:
            while view:
                written = fh.write(view)
                view = view[written:]
        except OSError as exc:
            # Cut back to the last whole chunk, so the .part stays a clean prefix that matches
            # the hasher; it is kept, so after freeing space the download resumes, not restarts.
            with contextlib.suppress(OSError):
                fh.truncate(done)
            if exc.errno in DISK_FULL:
                raise _Fail(f"The disk is full after {_mb(done)} of the model. The partial file is kept: "
                            "free some space and download again to resume.", "disk_full") from exc
            raise _Fail(f"Cannot write {self.part}: {exc.strerror or exc}.", "disk") from exc

    def _finish(self) -> Iterator[DownloadEvent]:
        yield DownloadVerifying(self.dest)
        if self.hashed != self._part_size():
            self._rehash()
        digest = self.hasher.hexdigest()
        if self.sha256 and digest != self.sha256.lower():
            self._discard()
            yield DownloadFailed(
                f"The downloaded file is not the expected one (SHA-256 {digest[:12]}… instead of "
                f"{self.sha256[:12]}…); it was deleted. Download it again; if this repeats, the "
                "catalog entry is out of date.", "checksum")
            return
        try:
            if self.gguf:
                read_header(self.part)
        except GGUFError as exc:
            self._discard()
            yield DownloadFailed(f"The downloaded file is not a usable GGUF model ({exc}); it was deleted.",
                                 "invalid_model")
            return
        try:
            os.replace(self.part, self.dest)
        except OSError as exc:
            yield DownloadFailed(f"Cannot move the model into place at {self.dest}: {exc.strerror}.", "disk")
            return
        with contextlib.suppress(OSError):
            self.meta.unlink()
        yield DownloadDone(self.dest)

    def _rehash(self) -> None:
        self.hasher, self.hashed = hashlib.sha256(), 0
        with contextlib.suppress(FileNotFoundError), self.part.open("rb") as fh:
            while block := fh.read(1 << 20):
                self.hasher.update(block)
                self.hashed += len(block)

    def _truncate(self, size: int) -> int:
        with contextlib.suppress(FileNotFoundError), self.part.open("r+b") as fh:
            fh.truncate(size)
        self.hasher, self.hashed = hashlib.sha256(), 0
        return size

    def _discard(self) -> None:
        for path in (self.part, self.meta):
            with contextlib.suppress(OSError):
                path.unlink()

    def _read_meta(self) -> dict[str, object]:
        try:
            data = json.loads(self.meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_meta(self, etag: str | None) -> None:
        tmp = self.meta.with_name(self.meta.name + ".tmp")
        try:
            tmp.write_text(json.dumps({"url": self.url, "etag": etag}), encoding="utf-8")
            os.replace(tmp, self.meta)
        except OSError as exc:
            raise _Fail(f"Cannot write {self.meta}: {exc.strerror or exc}.", "disk") from exc


def _network(exc: BaseException, job: _Job, done: int | None = None) -> _Fail:
    if isinstance(exc, TimeoutError):
        what = f"The server did not answer in time (limits: {job.connect_timeout:g} s to connect, "
        what += f"{job.read_timeout:g} s between data)"
    else:
        what = f"The connection failed ({exc.__class__.__name__}: {exc})"
    kept = f" after {_mb(done)}; the partial file is kept and the download resumes from there" if done else ""
    return _Fail(f"{what}{kept}.", "network", True)


def _progress(samples: deque[tuple[float, int]], done: int, total: int | None) -> DownloadProgress:
    (t0, d0), (t1, d1) = samples[0], samples[-1]
    speed = (d1 - d0) / (t1 - t0) if t1 - t0 > 0.05 else 0.0
    eta = (total - done) / speed if total is not None and speed > 0 else None
    return DownloadProgress(done, total, speed, eta)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.1f} MB"
