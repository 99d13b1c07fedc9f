"""A measured check of whether the loaded local model writes Chinese, next to its metadata.

The model scores the same short passage in Chinese and in English (teacher-forced, in its own
process: ``engine/fluency.py``). A model trained on Chinese needs about as many bits for the
Chinese passage as for the English one; one that was not needs several times more, however
many Han tokens its vocabulary holds. Comparing bits per *character* would not work: a Chinese
character carries what three or four English letters do, so the two passages are compared
whole (the same content: "information parity", Tsvetkov & Kipnis 2024).

Calibration (docs/BENCHMARKS.md, issue 9): the starter SmolLM2-135M needs 2.1 times the English
bits and 7.2 bits a Chinese character: it clearly fails. No Chinese-capable GGUF is at hand
offline, so the "able" bound (1.3) is a judgement, not a measurement: a bilingual model should
need about as many bits for either passage (ratio near 1). A model that metadata calls able
keeps that verdict unless the measurement is clearly bad on both counts.

The result is kept per model file (path, size, mtime) in ``language-checks.json`` in the
profile, so it runs once per model. The check never waits for a reply: it takes the session's
gate at the lowest priority with a short timeout and gives up (metadata only, try later).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from assistant.config import user_dir
from assistant.models.languages import ChineseSupport

log = logging.getLogger(__name__)

#: The same passage in both languages (everyday words, no names or numbers to guess). Short:
#: ~100 tokens in all on the starter model (Chinese is ~1.7 tokens a character there).
PASSAGE_ZH = "今天早上下雨了，所以我坐公交车去上班。下班以后，我和朋友在车站旁边的小面馆吃了晚饭。"
PASSAGE_EN = (
    "It rained this morning, so I took the bus to work. After work, I had dinner with a friend "
    "at a small noodle shop next to the station."
)
#: Chinese bits / English bits at or below this: the model writes Chinese.
ABLE_RATIO = 1.3
#: "Clearly cannot" needs both: the ratio at or above UNABLE_RATIO and at least
#: UNABLE_BITS_PER_CHAR for the Chinese (a model that writes Chinese needs far fewer). Between
#: the bounds the measurement says nothing and the metadata decides.
UNABLE_RATIO = 1.5
UNABLE_BITS_PER_CHAR = 5.0
#: Part of each cache key: another passage or bound measures again.
CHECK_VERSION = 1
CACHE_FILE = "language-checks.json"
#: Below USER (0) and API (1): a person's turn or another program's request always goes first.
CHECK_PRIORITY = 2
GATE_WAIT_S = 3.0


@dataclass(frozen=True)
class Measured:
    zh_bits: float
    en_bits: float
    zh_tokens: int
    en_tokens: int
    seconds: float

    @property
    def ratio(self) -> float:
        return self.zh_bits / self.en_bits if self.en_bits > 0 else float("inf")

    @property
    def zh_bits_per_char(self) -> float:
        return self.zh_bits / len(PASSAGE_ZH)

    @property
    def able(self) -> bool | None:
        """True / False when the measurement is clear; None in between."""
        if self.ratio <= ABLE_RATIO:
            return True
        if self.ratio >= UNABLE_RATIO and self.zh_bits_per_char >= UNABLE_BITS_PER_CHAR:
            return False
        return None


def combine(metadata: ChineseSupport, measured: Measured | None) -> ChineseSupport:
    """Metadata says no: no. Unknown: the measurement decides. Yes, but the measurement clearly
    fails: no (a Chinese vocabulary the model cannot write with). ``reason`` names the signals."""
    verdict = measured.able if measured is not None else None
    if metadata.able is False or verdict is None:
        return metadata
    if metadata.able is None:
        return ChineseSupport(verdict, "measured")
    return ChineseSupport(verdict, f"{metadata.reason}+measured")


class Gate(Protocol):
    def acquire(self, priority: int, cancel: Any = None, timeout: float | None = None) -> bool: ...

    def release(self) -> None: ...


def file_key(path: Path) -> str:
    info = Path(path).stat()
    return f"{Path(path).resolve()}|{info.st_size}|{info.st_mtime_ns}|v{CHECK_VERSION}"


class FluencyCheck:
    """``check(path)``: the measurement for that model file, or None when it cannot be taken
    now (another model or a server answers, the gate is busy, the engine failed)."""

    def __init__(self, engine: object, gate: Gate | None, cache_path: Path | None = None) -> None:
        self.engine = engine
        self.gate = gate
        self.cache_path = cache_path or user_dir() / CACHE_FILE
        self._lock = threading.Lock()
        self._memory: dict[str, Measured] | None = None

    def cached(self, path: Path) -> Measured | None:
        try:
            return self._cache().get(file_key(path))
        except OSError:
            return None

    def pending(self, path: Path) -> bool:
        """A call would measure now (about a second, once per file): not yet measured, and the
        model that answers is this file's. Callers on a GUI thread then call from a worker."""
        loaded = getattr(self.engine, "loaded_path", None)
        if not hasattr(self.engine, "score_texts") or not loaded:
            return False
        try:
            measured = self._cache().get(file_key(path))
            return measured is None and Path(loaded).resolve() == Path(path).resolve()
        except OSError:  # no such file: nothing to measure
            return False

    def __call__(self, path: Path) -> Measured | None:
        try:
            key = file_key(path)
        except OSError:
            return None
        with self._lock:  # one measurement at a time; a second caller finds it cached
            found = self._cache().get(key)
            return found if found is not None else self._measure(Path(path), key)

    def _measure(self, path: Path, key: str) -> Measured | None:
        score: Callable[[list[str]], Any] | None = getattr(self.engine, "score_texts", None)
        loaded = getattr(self.engine, "loaded_path", None)
        if score is None or not loaded or Path(loaded).resolve() != path.resolve():
            return None
        if self.gate is not None and not self.gate.acquire(CHECK_PRIORITY, timeout=GATE_WAIT_S):
            return None
        try:
            start = time.perf_counter()
            scores = score([PASSAGE_ZH, PASSAGE_EN])
            seconds = time.perf_counter() - start
        except Exception:  # an extra: the metadata still decides
            log.exception("could not measure the model's Chinese")
            return None
        finally:
            if self.gate is not None:
                self.gate.release()
        if not scores:
            return None
        (zh_bits, zh_tokens), (en_bits, en_tokens) = scores
        measured = Measured(zh_bits, en_bits, zh_tokens, en_tokens, seconds)
        log.info("measured %s: Chinese %.0f bits, English %.0f bits (x%.2f) in %.2f s",
                 path.name, zh_bits, en_bits, measured.ratio, seconds)
        self._store(key, measured)
        return measured

    def _cache(self) -> dict[str, Measured]:
        if self._memory is None:
            self._memory = {}
            try:
                raw = json.loads(self.cache_path.read_text(encoding="utf-8"))
                for key, value in raw.items():
                    self._memory[key] = Measured(**value)
            except (OSError, ValueError, TypeError, AttributeError):
                pass  # none yet, or unreadable: measured again
        return self._memory

    def _store(self, key: str, measured: Measured) -> None:
        from assistant.store.private import write_private

        cache = self._cache()
        cache[key] = measured
        data = {k: asdict(v) for k, v in cache.items()}
        try:
            write_private(self.cache_path, json.dumps(data, indent=1).encode("utf-8"))
        except OSError:
            log.warning("could not save %s; the check runs again next time", self.cache_path)
