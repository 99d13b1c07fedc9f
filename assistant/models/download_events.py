"""What a download reports, for the GUI and the CLI alike (see ``download.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DownloadProgress:
    bytes_done: int
    bytes_total: int | None  # None: the server did not say
    bytes_per_second: float
    eta_seconds: float | None


@dataclass(frozen=True)
class DownloadRetrying:
    attempt: int
    max_attempts: int
    delay_seconds: float
    message: str


@dataclass(frozen=True)
class DownloadVerifying:
    path: Path


@dataclass(frozen=True)
class DownloadPaused:
    """Stopped by the cancel token; the .part is kept and the next call resumes."""

    bytes_done: int
    bytes_total: int | None


@dataclass(frozen=True)
class DownloadDone:
    path: Path


@dataclass(frozen=True)
class DownloadFailed:
    """kind: insecure_url busy no_space disk_full disk not_found forbidden server_error http
    network checksum invalid_model too_large (the server offered or sent more than the catalog's
    size)."""

    message: str
    kind: str


DownloadEvent = (
    DownloadProgress | DownloadRetrying | DownloadVerifying | DownloadPaused | DownloadDone | DownloadFailed
)
