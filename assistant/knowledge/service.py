"""``Knowledge``: collections + indexer + watcher, sharing the memory's embedding model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from assistant.knowledge.collections import Collection, Collections
from assistant.knowledge.events import IndexEvent
from assistant.knowledge.extract import Limits
from assistant.knowledge.indexer import IndexControl, Indexer
from assistant.knowledge.watch import Watcher
from assistant.memory.embedder import EmbedderError, TextEmbedder
from assistant.store.db import Database


class Knowledge:
    def __init__(
        self, database: Database, embedder: Callable[[], TextEmbedder | None], limits: Limits | None = None
    ) -> None:
        self.database = database
        self.collections = Collections(database)
        self.indexer = Indexer(database, None, limits)
        #: The memory's current model: vectors of documents and chats must come from one model.
        self._embedder = embedder
        self.watcher: Watcher | None = None

    def add(self, path: Path | str) -> Collection:
        collection = self.collections.add(path)
        if self.watcher:
            self.watcher.poke()
        return collection

    def remove(self, collection_id: int) -> None:
        self.collections.remove(collection_id)

    def index(
        self, collection_id: int, control: IndexControl | None = None, force: bool = False, embed: bool = True
    ) -> Iterator[IndexEvent]:
        """Index one collection; run it off the GUI thread (loads the model if ``embed``).
        With ``embed`` False (or no model), chunks are stored now and embedded later by
        the memory's background worker."""
        embedder = self._embedder() if embed else None
        if embedder is not None:
            try:
                embedder.load()
            except EmbedderError:
                embedder = None
        self.indexer.embedder = embedder
        yield from self.indexer.index(collection_id, control, force)

    def start_watching(
        self, interval: float = 60.0, on_event: Callable[[IndexEvent], None] | None = None
    ) -> Watcher:
        if self.watcher is None:
            self.indexer.embedder = self._embedder()
            self.watcher = Watcher(self.indexer, interval, on_event)
            self.watcher.start()
        return self.watcher

    def stop(self) -> None:
        if self.watcher:
            self.watcher.stop()
            self.watcher = None
