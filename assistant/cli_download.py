"""``assistant models download [NAME]``: the catalog on the terminal."""

from __future__ import annotations

import signal
import sys
from typing import TextIO

from assistant.engine.base import CancelToken
from assistant.models.catalog import CatalogError, find_entry, load_catalog
from assistant.models.download import download_entry
from assistant.models.download_events import (
    DownloadDone,
    DownloadFailed,
    DownloadPaused,
    DownloadProgress,
    DownloadRetrying,
    DownloadVerifying,
)


def download(name: str | None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    try:
        entries = load_catalog()
        if name is None:
            for e in entries:
                mark = "installed" if e.installed else f"{e.size_bytes / 1e9:.2f} GB"
                tools = "tools" if e.tool_calling else "     "
                out.write(f"{e.id:14} {mark:>10}  {e.ram_gb:>4.1f} GB RAM  {tools}  {e.display_name}\n")
            return 0
        entry = find_entry(entries, name)
    except CatalogError as exc:
        err.write(f"assistant: {exc}\n")
        return 1
    cancel = CancelToken()  # Ctrl+C pauses; running the command again resumes
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.cancel())
    try:
        for event in download_entry(entry, cancel):
            if write_progress(event, err, "file"):
                continue
            if isinstance(event, DownloadPaused):
                err.write("\nPaused. Run the same command again to resume.\n")
                return 130
            elif isinstance(event, DownloadDone):
                out.write(f"{entry.display_name} is ready: {event.path}\n")
                return 0
            elif isinstance(event, DownloadFailed):
                err.write(f"\nassistant: {event.message}\n")
                return 1
    finally:
        signal.signal(signal.SIGINT, previous)
    return 1


def write_progress(event: object, err: TextIO, what: str) -> bool:
    """Progress, retry and checking lines of a download on the terminal; False for any other
    event (``what``: "file" or "files", for the checking line)."""
    if isinstance(event, DownloadProgress) and event.bytes_total:
        eta = f", {event.eta_seconds:.0f} s left" if event.eta_seconds is not None else ""
        err.write(f"\r{event.bytes_done / event.bytes_total:6.1%} "
                  f"{event.bytes_per_second / 1e6:6.1f} MB/s{eta}    ")
    elif isinstance(event, DownloadRetrying):
        err.write(f"\n{event.message} Retrying in {event.delay_seconds:.0f} s.\n")
    elif isinstance(event, DownloadVerifying):
        err.write(f"\nChecking the {what}...\n")
    else:
        return isinstance(event, DownloadProgress)
    return True
