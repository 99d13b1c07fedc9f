"""Changing the embedding model without a gap in search.

The new model's vectors are written beside the old ones (an item may hold one vector per
model, migration ``embeddings_001``) by a second :class:`EmbeddingWorker`. Search keeps using
the old model and its complete vector set the whole time. When the new worker finds nothing
left to embed, :meth:`Memory._promote` swaps embedder, index and retriever in one step under
the memory lock and saves the setting; the old vectors are then deleted in the background.
The target is a setting (``memory.embedding_next``), and "what is left" a query, so a switch
carries on after a restart; cancelling deletes the partial set.

Also here: whether to suggest the multilingual model (Chinese interface or mostly CJK text).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.memory.embedder import EmbedderError, TextEmbedder
from assistant.memory.vectors import VectorIndex
from assistant.memory.worker import EmbeddingWorker, embed_pending
from assistant.models.catalog import CatalogError
from assistant.models.embedder_catalog import BUNDLED_ID, EmbedderEntry, load_embedders
from assistant.store.db import Database

if TYPE_CHECKING:
    from assistant.memory.service import Memory

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: More than this share of the letters in indexed text is CJK: "most indexed text is CJK".
CJK_MAJORITY = 0.5


@dataclass(frozen=True)
class SwitchStatus:
    #: idle (no change under way), waiting (the app's worker is not running: the CLI),
    #: running, failed (``error`` says why; the old model stays active)
    state: str
    target: str = ""  # the catalog id or folder being switched to
    done: int = 0  # items that have a vector of the new model
    total: int = 0  # items there are

    error: str = ""

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 1.0


def coverage(database: Database, model_id: str) -> tuple[int, int]:
    """(items with a vector of ``model_id``, all items)."""
    db = database.db
    done = db.execute("select count(*) from embeddings where model = ?", [model_id]).fetchone()[0]
    total = db.execute("select count(*) from search_items").fetchone()[0]
    return int(done), int(total)


class ModelSwitch:
    """The re-embedding that a change of ``memory.embedding_model`` starts (owned by Memory)."""

    def __init__(self, memory: Memory, factory: Callable[[str], TextEmbedder]) -> None:
        self.memory = memory
        self._factory = factory
        self.worker: EmbeddingWorker | None = None
        self.embedder: TextEmbedder | None = None
        self.error = ""
        self._lock = threading.Lock()

    @property
    def target(self) -> str:
        return self.memory.settings.embedding_next

    def target_model_id(self) -> str | None:
        return self.embedder.model_id if self.embedder is not None else None

    def prepare(self) -> TextEmbedder | None:
        """The target's embedder (not loaded), or None with ``error`` set."""
        if not self.target:
            return None
        if self.embedder is None:
            try:
                self.embedder = self._factory(self.target)
                self.error = ""
            except EmbedderError as exc:
                self.error = str(exc)
        return self.embedder

    def start(self) -> None:
        """Run the re-embedding in the background (Memory.start and a new target call it)."""
        with self._lock:
            if self.worker is not None and self.worker.running:
                return
            embedder = self.prepare()
            if embedder is None:
                return
            index = VectorIndex(self.memory.database, embedder.model_id)
            worker = EmbeddingWorker(self.memory.database, embedder, index)
            worker.on_caught_up = lambda: self._caught_up(worker)
            self.worker = worker
            worker.start()

    @staticmethod
    def stored(setting: str) -> str:
        """The value kept in ``embedding_model``: the bundled model is the empty default."""
        return "" if setting == BUNDLED_ID else setting

    def begin(self, setting: str) -> SwitchStatus:
        """Make ``setting``'s model (a catalog id or a folder) the active one. While the current
        model works, the new vectors are computed in the background first and search changes
        over when they cover everything. Raises EmbedderError when the model is unavailable
        (not downloaded); nothing is saved then."""
        memory = self.memory
        if self.stored(setting) == memory.settings.embedding_model:
            self.cancel()  # back to the active model: nothing to compute
            return self.status()
        new = self._factory(setting)
        self.forget()
        if memory.embedder is None or new.model_id == memory.embedder.model_id:
            # Nothing to keep searching with (or the same vectors): change over now.
            memory.save_changes(embedding_model=self.stored(setting), embedding_next="")
            memory.use_embedder(new)
            return self.status()
        memory.save_changes(embedding_next=setting)
        self.embedder = new
        if memory.worker is not None and memory.worker.running:
            memory.worker.request_prune()  # the vectors of an earlier, different target
            self.start()
        return self.status()

    def cancel(self) -> None:
        """Stop a change of model; the vectors computed so far are deleted in the background."""
        self.forget()
        if self.memory.settings.embedding_next:
            self.memory.save_changes(embedding_next="")
        if self.memory.worker is not None:
            self.memory.worker.request_prune()

    def suggestion(self, ui_language: str) -> EmbedderEntry | None:
        """The multilingual model to suggest now, or None (see should_suggest_multilingual)."""
        memory = self.memory
        if memory.settings.multilingual_suggested or self.target:
            return None
        languages = getattr(memory.embedder, "languages", "en") if memory.embedder is not None else "en"
        chinese_ui = ui_language.replace("-", "_").lower().startswith("zh")
        share = 0.0 if chinese_ui or languages == "multi" else cjk_share(memory.database)
        if not should_suggest_multilingual(ui_language, share, languages, False):
            return None
        return next((e for e in self.catalog() if e.languages == "multi"), None)

    @staticmethod
    def catalog() -> list[EmbedderEntry]:
        """The embedding models to offer ([] when the catalog is unreadable)."""
        try:
            return load_embedders()
        except CatalogError:
            return []

    def mark_suggested(self) -> None:
        """The suggestion was shown: never again, whatever the answer."""
        self.memory.save_changes(multilingual_suggested=True)

    def _caught_up(self, worker: EmbeddingWorker) -> None:
        if worker is self.worker and self.memory.promote(worker.embedder, worker.index, worker):
            worker.on_caught_up = None
            self.worker, self.embedder = None, None

    def stop(self) -> None:
        """Stop the thread; the target stays, so the next start carries on."""
        with self._lock:
            worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()

    def forget(self) -> None:
        self.stop()
        self.embedder, self.error = None, ""

    def status(self) -> SwitchStatus:
        target = self.target
        if not target:
            return SwitchStatus("idle")
        embedder = self.prepare()
        if embedder is None:
            return SwitchStatus("failed", target, error=self.error or "The new model is unavailable.")
        done, total = coverage(self.memory.database, embedder.model_id)
        worker = self.worker
        if worker is not None and worker.error:
            return SwitchStatus("failed", target, done, total, worker.error)
        state = "running" if worker is not None and worker.running else "waiting"
        return SwitchStatus(state, target, done, total)

    def run_here(self, progress: Callable[[SwitchStatus], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> SwitchStatus:
        """Re-embed on the calling thread and switch when done (the CLI's ``use --wait``)."""
        embedder = self.prepare()
        if embedder is None:
            return self.status()
        try:
            embedder.load()
        except EmbedderError as exc:
            self.error = str(exc)
            return self.status()
        index = VectorIndex(self.memory.database, embedder.model_id)
        while not (cancelled is not None and cancelled()):
            if progress is not None:
                progress(self.status())
            if embed_pending(self.memory.database, embedder, index, limit=128) == 0:
                self.memory.promote(embedder, index, None)
                self.embedder = None
                return SwitchStatus("idle")
        return self.status()


def cjk_share(database: Database, sample: int = 400) -> float:
    """Share of the letters in a random sample of indexed text that are Chinese, Japanese or
    Korean (0.0 when nothing is indexed)."""
    rows = database.db.execute(
        "select substr(text, 1, 400) from search_items where id in"
        " (select id from search_items order by random() limit ?)",
        [sample],
    ).fetchall()
    letters = cjk = 0
    for (text,) in rows:
        letters += sum(1 for ch in text if ch.isalpha())
        cjk += len(_CJK.findall(text))
    return cjk / letters if letters else 0.0


def should_suggest_multilingual(
    ui_language: str, cjk_fraction: float, active_languages: str, already_suggested: bool
) -> bool:
    """Suggest a multilingual model once: the interface is Chinese or most indexed text is CJK,
    the active model is English-only, and it has not been suggested before."""
    if already_suggested or active_languages == "multi":
        return False
    chinese_ui = ui_language.replace("-", "_").lower().startswith("zh")
    return chinese_ui or cjk_fraction > CJK_MAJORITY
