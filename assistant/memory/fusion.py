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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypedDict, Unpack

from assistant.memory.words import cjk_share

if TYPE_CHECKING:
    from assistant.memory.search import Hit, Retriever, Sides

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
    #: The RRF constant for this row: smaller makes the top of each list count for more.
    rrf_k: float = RRF_K


#: (question language, embedder covers it) -> weights. Measured with :func:`tune` on the
#: TUNING half of assistant/bench/retrieval_set (55 questions: 21 English, 34 Chinese or
#: mixed), bundled all-MiniLM-L6-v2, real indexer, 2026-12-03, grid trigram x vector x RRF
#: constant (5, 10, 20, 30, 60):
#: - English: keyword alone MRR@10 0.60, recall@3 0.67. At k 60: words:vector 1:1 0.73,
#:   1:3 0.76, 1:10 0.77 (recall@3 0.81). At k 5: 1:5 0.82 (recall@3 0.86), the best; k 10 with
#:   1:10 is next (0.82 / 0.86). A small k lets each list's top count: with k 60 a passage
#:   anywhere in the keyword list (a single shared word) outranked the embedder's first answer
#:   to a paraphrased question. Trigram added nothing (0 best). Chosen: vector 5, k 5.
#: - Chinese with the English-only embedder: keyword alone MRR@10 0.82, recall@3 0.85; any
#:   vector weight lowers both (0.1: 0.64 / 0.68). Chosen: vector 0 (the scan is skipped),
#:   trigram 0; with one list left the constant changes nothing.
#: The two rows an English-only embedder cannot measure (a multilingual model on Chinese, an
#: embedder without English) keep even weights and k 60 until ``tune`` is run with such a model.
WEIGHTS: dict[tuple[Language, bool], Weights] = {
    ("latin", True): Weights(words=1.0, trigram=0.0, vector=5.0, rrf_k=5),
    ("latin", False): Weights(words=1.0, trigram=0.25, vector=0.25),
    ("cjk", True): Weights(words=1.0, trigram=0.0, vector=1.0),
    ("cjk", False): Weights(words=1.0, trigram=0.0, vector=0.0),
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
    lists: Mapping[str, Sequence[int]], weights: dict[str, float], rrf_k: float = RRF_K
) -> tuple[dict[int, float], dict[int, dict[str, int]]]:
    """Weighted RRF over ranked id lists: (score per id, rank per list per id)."""
    score: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for name, ranked in lists.items():
        weight = weights.get(name, 1.0)
        for rank, item_id in enumerate(ranked, 1):
            score[item_id] = score.get(item_id, 0.0) + weight / (rrf_k + rank)
            ranks.setdefault(item_id, {})[name] = rank
    return score, ranks


# measuring ---------------------------------------------------------------------------------
Question = tuple[str, Callable[["Hit"], bool]]


class SearchOptions(TypedDict, total=False):
    """What :func:`evaluate` and :func:`tune` pass on to ``Retriever.search``."""

    kinds: Iterable[str]
    collection_ids: list[int] | None
    exclude_conversation: int | None
    use_vectors: bool | None
    sides: Sides


def evaluate(
    retriever: Retriever, questions: Iterable[Question], **search: Unpack[SearchOptions]
) -> dict[str, float]:
    """recall@3 and MRR@10 of ``retriever`` (with its current ``weights``) on labelled
    ``(question, is_answer)`` pairs; extra keyword arguments go to ``Retriever.search``."""
    hits3 = reciprocal = 0.0
    count = 0
    for question, is_answer in questions:
        hits = retriever.search(question, k=10, **search)
        rank = next((i for i, hit in enumerate(hits, 1) if is_answer(hit)), None)
        hits3 += 1.0 if rank is not None and rank <= 3 else 0.0
        reciprocal += 1.0 / rank if rank is not None else 0.0
        count += 1
    return {"recall@3": hits3 / max(count, 1), "mrr@10": reciprocal / max(count, 1), "questions": count}


def tune(
    retriever: Retriever,
    tuning_questions: Sequence[Question],
    trigram_grid: Sequence[float] = (0.0, 0.1, 0.25, 0.5, 1.0),
    vector_grid: Sequence[float] = (0.0, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0),
    rrf_k_grid: Sequence[float] = (RRF_K,),
    **search: Unpack[SearchOptions],
) -> dict[tuple[Language, bool], Weights]:
    """The weight table that maximises MRR@10 (then recall@3) on the TUNING questions, per
    question language, for the retriever's embedder (words keep weight 1; the others are
    relative to it; ``rrf_k_grid`` the RRF constants to try). Never pass the reporting half."""
    table = dict(WEIGHTS)
    languages = getattr(retriever.embedder, "languages", "en")
    saved = retriever.weights
    try:
        languages_tuned: tuple[Language, ...] = ("latin", "cjk")
        for language in languages_tuned:
            mine = [q for q in tuning_questions if query_language(q[0]) == language]
            if not mine:
                continue
            key = (language, covers(languages, language))
            best: tuple[float, float, Weights] | None = None
            for trigram, vector, rrf_k in itertools.product(trigram_grid, vector_grid, rrf_k_grid):
                candidate = Weights(words=1.0, trigram=trigram, vector=vector, rrf_k=rrf_k)
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
