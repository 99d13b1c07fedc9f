"""How the lists of a search are fused: weighted reciprocal rank fusion.

Three ranked lists: ``words`` (bm25 over segmented words), ``trigram`` (substrings) and
``vector`` (cosine). Each votes ``weight / (RRF_K + rank)``. What each is good for depends on
the question's language and on the embedder: the bundled all-MiniLM-L6-v2 knows English only,
so for a Chinese question its ranking is close to random and its vote must count for little.

The weights below are constants chosen on the TUNING half of the labelled retrieval set with
:func:`tune` (never the reporting half); see :data:`WEIGHTS` for the figures.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from assistant.memory.words import cjk_share

if TYPE_CHECKING:
    from assistant.memory.search import Hit, Retriever

Language = Literal["cjk", "latin"]
#: Reciprocal rank fusion constant (Cormack et al. 2009); 60 is the usual, robust choice.
RRF_K = 60
#: A question is treated as Chinese (CJK) when at least this share of its letters are CJK
#: ("LoRA和QLoRA的区别" is 0.31: a Chinese question with Latin terms in it).
CJK_QUESTION_SHARE = 0.25


@dataclass(frozen=True)
class Weights:
    words: float = 1.0
    trigram: float = 0.5
    vector: float = 1.0


#: (question language, embedder covers it) -> weights.
WEIGHTS: dict[tuple[Language, bool], Weights] = {
    ("latin", True): Weights(words=1.0, trigram=0.5, vector=1.0),
    ("latin", False): Weights(words=1.0, trigram=0.5, vector=0.25),
    ("cjk", True): Weights(words=1.0, trigram=0.25, vector=1.0),
    # An English-only embedder on a Chinese question: near-random vectors.
    ("cjk", False): Weights(words=1.0, trigram=0.25, vector=0.0),
}


def query_language(query: str) -> Language:
    return "cjk" if cjk_share(query) >= CJK_QUESTION_SHARE else "latin"


def covers(embedder_languages: str, language: Language) -> bool:
    """Whether an embedder tagged ``embedder_languages`` ("en", "zh", "multi", or a
    comma-separated list) gives meaningful vectors for questions in ``language``."""
    tags = {t.strip().lower() for t in (embedder_languages or "en").split(",")}
    if "multi" in tags:
        return True
    if language == "cjk":
        return bool(tags & {"zh", "ja", "ko", "cjk"})
    return bool(tags & {"en", "latin"})


def weights_for(
    query: str, embedder_languages: str, table: dict[tuple[Language, bool], Weights] | None = None
) -> Weights:
    language = query_language(query)
    return (table or WEIGHTS)[(language, covers(embedder_languages, language))]


def fuse(
    lists: dict[str, Sequence[int]], weights: dict[str, float]
) -> tuple[dict[int, float], dict[int, dict[str, int]]]:
    """Weighted RRF over ranked id lists: (score per id, rank per list per id)."""
    score: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for name, ranked in lists.items():
        weight = weights.get(name, 1.0)
        for rank, item_id in enumerate(ranked, 1):
            score[item_id] = score.get(item_id, 0.0) + weight / (RRF_K + rank)
            ranks.setdefault(item_id, {})[name] = rank
    return score, ranks


# measuring ---------------------------------------------------------------------------------
Question = tuple[str, Callable[["Hit"], bool]]


def evaluate(retriever: Retriever, questions: Iterable[Question], **search: object) -> dict[str, float]:
    """recall@3 and MRR@10 of ``retriever`` (with its current ``weights``) on labelled
    ``(question, is_answer)`` pairs; extra keyword arguments go to ``Retriever.search``."""
    hits3 = reciprocal = 0.0
    count = 0
    for question, is_answer in questions:
        hits = retriever.search(question, k=10, **search)  # type: ignore[arg-type]
        rank = next((i for i, hit in enumerate(hits, 1) if is_answer(hit)), None)
        hits3 += 1.0 if rank is not None and rank <= 3 else 0.0
        reciprocal += 1.0 / rank if rank is not None else 0.0
        count += 1
    return {"recall@3": hits3 / max(count, 1), "mrr@10": reciprocal / max(count, 1), "questions": count}


def tune(
    retriever: Retriever,
    tuning_questions: Sequence[Question],
    grid: Sequence[float] = (0.0, 0.1, 0.25, 0.5, 1.0),
    **search: object,
) -> dict[tuple[Language, bool], Weights]:
    """The weight table that maximises MRR@10 (then recall@3) on the TUNING questions, per
    question language, for the retriever's embedder. Never pass the reporting half."""
    table = dict(WEIGHTS)
    languages = getattr(retriever.embedder, "languages", "en")
    saved = retriever.weights
    try:
        for language in ("latin", "cjk"):
            mine = [q for q in tuning_questions if query_language(q[0]) == language]
            if not mine:
                continue
            key = (language, covers(languages, language))
            best: tuple[float, float, Weights] | None = None
            for trigram, vector in itertools.product(grid, grid):
                candidate = Weights(words=1.0, trigram=trigram, vector=vector)
                retriever.weights = {**table, key: candidate}
                got = evaluate(retriever, mine, **search)
                score = (got["mrr@10"], got["recall@3"], candidate)
                if best is None or score[:2] > best[:2]:
                    best = score
            assert best is not None
            table[key] = best[2]
    finally:
        retriever.weights = saved
    return table
