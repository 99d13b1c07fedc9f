"""The labelled retrieval set shipped in ``assistant/bench/retrieval_set/``, and its metrics.

Each question names the document that answers it and a distinctive substring of the answering
passage, so a label survives re-chunking: a result is a hit when it comes from that document
and its text contains the substring. Questions are split into a TUNING half (for choosing
fusion weights) and a REPORTING half (the figures in docs/BENCHMARKS.md) by a fixed hash of
the question id, never by hand.

Also here: recall@k and MRR@k over ranks, and the plain BM25 baseline (``rank-bm25`` over
the same chunks, segmented by the same word segmenter as the app's keyword search).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

SET_DIR = Path(__file__).resolve().parent / "retrieval_set"
DOCS_DIR = SET_DIR / "docs"
QUESTIONS_FILE = SET_DIR / "questions.jsonl"
LANGUAGES = ("zh", "en", "mixed")
SPLITS = ("tuning", "reporting")
Split = Literal["tuning", "reporting"]


def split_of(question_id: str) -> Split:
    """The half a question belongs to: the parity of the first byte of SHA-256 of its id."""
    return "tuning" if hashlib.sha256(question_id.encode()).digest()[0] % 2 == 0 else "reporting"


@dataclass(frozen=True)
class Question:
    id: str
    lang: str  # zh | en | mixed (Chinese with Latin terms)
    split: str  # tuning | reporting
    doc: str  # file name under docs/
    question: str
    passage: str  # a substring of the answering passage, found in ``doc`` only
    paraphrase: bool  # written to share no content word with the answering paragraph

    def is_answer(self, path: str | None, text: str) -> bool:
        """Whether a result (its file path and its text) answers this question."""
        return path is not None and Path(path).name == self.doc and self.passage in text


def load_questions(path: Path = QUESTIONS_FILE) -> list[Question]:
    out: list[Question] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                out.append(Question(**json.loads(line)))
    return out


def load_docs(folder: Path = DOCS_DIR) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


def tuning_pairs(questions: Iterable[Question]) -> list[tuple[str, Callable[[Any], bool]]]:
    """The TUNING half as ``(question, is_answer(hit))`` pairs, the shape
    ``assistant.memory.fusion.tune`` takes (a hit needs ``path`` and ``text``)."""
    return [(q.question, _answers(q)) for q in questions if q.split == "tuning"]


def _answers(question: Question) -> Callable[[Any], bool]:
    return lambda hit: question.is_answer(hit.path, hit.text)


# metrics ---------------------------------------------------------------------------------------
def first_rank(results: Sequence[tuple[str | None, str]], question: Question) -> int | None:
    """1-based rank of the first result ``(path, text)`` that answers ``question``, else None."""
    for rank, (path, text) in enumerate(results, 1):
        if question.is_answer(path, text):
            return rank
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose answer is among the first ``k`` results."""
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else float("nan")


def mrr_at(ranks: Sequence[int | None], k: int) -> float:
    """Mean reciprocal rank, counting only answers within the first ``k`` results."""
    return sum(1.0 / r for r in ranks if r is not None and r <= k) / len(ranks) if ranks else float("nan")


def summarise(ranks: Sequence[int | None]) -> dict[str, float]:
    return {"recall@3": recall_at(ranks, 3), "mrr@10": mrr_at(ranks, 10), "n": float(len(ranks))}


# words: the app's segmenter (assistant/memory/words.py) ------------------------------------------
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


def segmenter() -> tuple[Callable[[str], list[str]], Callable[[str], list[str]], str]:
    """(index words of a text, words of a query, name): the app's own segmentation, so the
    BM25 baseline and the keyword index see the same words."""
    from assistant.memory.words import STOP_WORDS, query_words, segment_for_index

    def index_words(text: str) -> list[str]:
        return [w for w in _WORD.findall(segment_for_index(text)) if w not in STOP_WORDS]

    return index_words, query_words, "assistant.memory.words"


class BM25Baseline:
    """Plain Okapi BM25 (``rank_bm25.BM25Okapi``, default k1=1.5, b=0.75) over ``chunks``:
    ``(path, text)`` pairs, segmented with :func:`segmenter`."""

    def __init__(self, chunks: Sequence[tuple[str | None, str]]) -> None:
        from rank_bm25 import BM25Okapi

        self.index_words, self.query_words, self.segmenter = segmenter()
        self.chunks = list(chunks)
        self.bm25 = BM25Okapi([self.index_words(text) or [""] for _, text in self.chunks])

    def search(self, query: str, k: int = 10) -> list[tuple[str | None, str]]:
        words = self.query_words(query)
        if not words:
            return []
        scores = self.bm25.get_scores(words)
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        return [self.chunks[i] for i in order[:k] if scores[i] > 0]
