"""Weighted reciprocal rank fusion (issue 10, item 2): the arithmetic, the per-row RRF constant,
the row chosen per question language and embedder, and what ``tune`` chooses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from assistant.memory import fusion
from assistant.memory.fusion import Weights


def test_each_list_votes_weight_over_k_plus_rank() -> None:
    score, ranks = fusion.fuse({"text": [1, 2], "vector": [2, 3]}, {"text": 1.0, "vector": 3.0}, rrf_k=60)
    assert score[1] == pytest.approx(1 / 61)
    assert score[2] == pytest.approx(1 / 62 + 3 / 61)
    assert score[3] == pytest.approx(3 / 62)
    assert ranks == {1: {"text": 1}, 2: {"text": 2, "vector": 1}, 3: {"vector": 2}}


def test_a_smaller_constant_lets_the_top_of_a_list_count_for_more() -> None:
    lists = {"text": [1, 2, 3, 4], "vector": [4]}
    weights = {"text": 1.0, "vector": 1.0}
    # Item 4: last by words, first by vectors; item 1: first by words only.
    at_60, _ = fusion.fuse(lists, weights, rrf_k=60)
    at_5, _ = fusion.fuse(lists, weights, rrf_k=5)
    assert at_60[4] > at_60[1]  # 1/64 + 1/61 > 1/61: being in two lists wins
    assert at_5[4] > at_5[1]
    assert at_5[1] / at_5[2] > at_60[1] / at_60[2]  # rank 1 over rank 2 weighs more at k=5


def test_the_row_follows_the_question_language_and_the_embedder() -> None:
    table = {
        ("latin", True): Weights(vector=5.0, rrf_k=5),
        ("latin", False): Weights(vector=0.25),
        ("cjk", True): Weights(vector=1.0),
        ("cjk", False): Weights(vector=0.0),
    }
    assert fusion.weights_for("How do I rotate the API key?", "en", table) == Weights(vector=5.0, rrf_k=5)
    assert fusion.weights_for("LoRA和QLoRA有什么区别？", "en", table).vector == 0.0
    assert fusion.weights_for("LoRA和QLoRA有什么区别？", "multi", table).vector == 1.0
    assert fusion.weights_for("How do I rotate the API key?", "zh", table).vector == 0.25


@dataclass
class _Hit:
    answer: bool


@dataclass
class _StubRetriever:
    """Finds the answer first only with one row: vector 5 at k 5 for English questions."""

    embedder: Any = field(default_factory=lambda: type("E", (), {"languages": "en"})())
    weights: dict[tuple[fusion.Language, bool], Weights] = field(default_factory=lambda: dict(fusion.WEIGHTS))

    def search(self, query: str, k: int = 10, **_: object) -> list[_Hit]:
        row = fusion.weights_for(query, "en", self.weights)
        good = row.vector == 5.0 and row.rrf_k == 5 and row.trigram == 0.0
        return [_Hit(good), _Hit(not good)]


def test_tune_keeps_the_best_row_and_leaves_the_retriever_as_it_was() -> None:
    retriever = _StubRetriever()
    saved = retriever.weights
    questions = [("How do I rotate the API key?", lambda hit: hit.answer)]
    table = fusion.tune(retriever, questions, rrf_k_grid=(60, 5))  # type: ignore[arg-type]
    assert table[("latin", True)] == Weights(words=1.0, trigram=0.0, vector=5.0, rrf_k=5)
    assert table[("cjk", False)] == fusion.WEIGHTS[("cjk", False)]  # no Chinese question: untouched
    assert retriever.weights is saved
