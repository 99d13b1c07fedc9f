"""Embedders for the memory tests: the real model once per session, and a fast fake.

``real_embedder`` is registered for every test in tests/conftest.py.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import numpy as np
import pytest

DIM = 64


class HashEmbedder:
    """Bag-of-words hashed into 64 dimensions: texts sharing words are similar. For fast
    logic tests only; relevance tests use the real model."""

    ready = True
    dim = DIM

    def __init__(self, model_id: str = "test-hash-64") -> None:
        self.model_id = model_id
        self.calls = 0

    def load(self) -> None:
        return None

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.casefold()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


@pytest.fixture(scope="session")
def real_embedder() -> Iterator[object]:
    """all-MiniLM-L6-v2 from the bundled package, loaded once for the whole session."""
    from assistant.memory.embedder import Embedder, EmbedderError

    try:
        embedder = Embedder()
        embedder.load()
    except EmbedderError as exc:
        pytest.skip(f"embedding model unavailable: {exc}")
    yield embedder
