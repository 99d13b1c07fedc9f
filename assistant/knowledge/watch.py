"""Keeps collections current while the app runs: a polling re-scan on a background thread.

Polling rather than inotify/watchdog: a re-scan of an unchanged 10 000-file folder costs
well under the 2 s budget (measured by ``assistant bench --only rescan``), it needs no extra
dependency, and it works where file-system events do not (network shares, trees larger
than the inotify watch limit, changes made while the app was closed).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from assistant.knowledge.events import IndexEvent
from assistant.knowledge.indexer import IndexControl, Indexer

log = logging.getLogger(__name__)


class Watcher:
    def __init__(
        self, indexer: Indexer, interval: float = 60.0, on_event: Callable[[IndexEvent], None] | None = None
    ) -> None:
        self.indexer = indexer
        self.interval = interval
        self.on_event = on_event or (lambda _e: None)
        self.control = IndexControl()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self.control = IndexControl()
        self._thread = threading.Thread(target=self._run, name="collection-watcher", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Re-scan now (a collection was added, or the user asked)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.control.cancel()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            for collection in self.indexer.collections.list():
                if self._stop.is_set():
                    break
                if collection.paused:
                    continue
                try:
                    for event in self.indexer.index(collection.id, self.control):
                        self.on_event(event)
                except Exception:  # one broken collection must not stop the others
                    log.exception("indexing %s failed", collection.root)
            self._wake.wait(self.interval)
            self._wake.clear()
