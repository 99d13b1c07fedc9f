"""The labelled retrieval set (assistant/bench/retrieval_set) and the bench's metric functions."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.bench.labelled import (
    DOCS_DIR,
    BM25Baseline,
    Question,
    first_rank,
    load_docs,
    load_questions,
    mrr_at,
    recall_at,
    split_of,
    summarise,
)

QUESTIONS = load_questions()
DOCS = load_docs()
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def test_every_label_is_in_exactly_its_document_once() -> None:
    for q in QUESTIONS:
        assert q.doc in DOCS, q.id
        assert DOCS[q.doc].count(q.passage) == 1, (q.id, q.passage)
        others = [name for name, text in DOCS.items() if name != q.doc and q.passage in text]
        assert not others, (q.id, others)


def test_labels_survive_the_chunker() -> None:
    """Each label sits inside one chunk of the real extractor + chunker (no label spans a
    paragraph or a chunk boundary), so a hit can be recognised from one result's text."""
    from assistant.knowledge.chunk import chunk_blocks
    from assistant.knowledge.extract import Limits, extract

    chunks = {name: [c.text for c in chunk_blocks(extract(str(DOCS_DIR / name), Limits()))] for name in DOCS}
    for q in QUESTIONS:
        assert "\n" not in q.passage and "  " not in q.passage, q.id
        assert any(q.passage in text for text in chunks[q.doc]), (q.id, q.passage)
    assert sum(len(c) > 1 for c in chunks.values()) >= 5  # several documents are several chunks


def test_counts_meet_the_issue_minimums() -> None:
    langs = Counter(q.lang for q in QUESTIONS)
    assert len(QUESTIONS) >= 80
    assert langs["zh"] >= 40 and langs["en"] >= 30 and langs["mixed"] >= 8, langs
    assert set(langs) == {"zh", "en", "mixed"}
    assert sum(q.paraphrase for q in QUESTIONS) >= 20
    assert {q.lang for q in QUESTIONS if q.paraphrase} >= {"zh", "en"}
    assert len(DOCS) >= 20


def test_language_labels_match_the_script() -> None:
    for q in QUESTIONS:
        han, latin = bool(_HAN.search(q.question)), bool(_LATIN.search(q.question))
        expected = "mixed" if han and latin else "zh" if han else "en"
        assert q.lang == expected, (q.id, q.question)


def test_split_is_the_fixed_hash_and_about_half() -> None:
    assert all(q.split == split_of(q.id) for q in QUESTIONS)
    assert split_of("zh-01") == split_of("zh-01")  # no salt, no randomness
    reporting = sum(q.split == "reporting" for q in QUESTIONS)
    assert 0.4 <= reporting / len(QUESTIONS) <= 0.6, reporting
    for lang in ("zh", "en", "mixed"):
        assert {q.split for q in QUESTIONS if q.lang == lang} == {"tuning", "reporting"}


def test_no_duplicates() -> None:
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    normalised = [re.sub(r"\W+", "", q.question.casefold()) for q in QUESTIONS]
    assert len(set(normalised)) == len(normalised)


def _paragraph(doc: str, passage: str) -> str:
    return next(p for p in DOCS[doc].split("\n\n") if passage in p)


#: English function words the app's stop list keeps (they carry no topic).
_FUNCTION = frozenset("after before over down off still when while".split())


def _content_words(text: str) -> set[str]:
    words = pytest.importorskip("assistant.memory.words")
    found = words.query_words(text, limit=10_000)
    # Multi-character words only (a shared single Han character is not a keyword match);
    # a crude plural fold for English.
    return {w.rstrip("s") if w.isascii() else w for w in found if len(w) >= 2 and w not in _FUNCTION}


def test_paraphrased_questions_share_no_keyword_with_the_answer() -> None:
    for q in QUESTIONS:
        if q.paraphrase:
            shared = _content_words(q.question) & _content_words(_paragraph(q.doc, q.passage))
            assert not shared, (q.id, shared)


# metrics -------------------------------------------------------------------------------------
def _q(doc: str = "a.md", passage: str = "needle") -> Question:
    return Question("t-1", "en", "reporting", doc, "where is the needle?", passage, False)


def test_first_rank_needs_document_and_passage() -> None:
    q = _q()
    results = [
        ("/x/b.md", "a needle in the wrong file"),
        ("/x/a.md", "the right file, no answer"),
        ("/x/a.md", "the needle is here"),
    ]
    assert first_rank(results, q) == 3
    assert first_rank(results[:2], q) is None
    assert first_rank([(None, "needle")], q) is None


def test_recall_and_mrr_on_a_hand_example() -> None:
    ranks = [1, 2, 4, None, 11]
    assert recall_at(ranks, 3) == pytest.approx(2 / 5)
    assert recall_at(ranks, 1) == pytest.approx(1 / 5)
    # 1 + 1/2 + 1/4; rank 11 is past the cut and a miss scores 0.
    assert mrr_at(ranks, 10) == pytest.approx((1 + 0.5 + 0.25) / 5)
    assert mrr_at(ranks, 20) == pytest.approx((1 + 0.5 + 0.25 + 1 / 11) / 5)
    assert summarise([3, None]) == {"recall@3": 0.5, "mrr@10": pytest.approx(1 / 6), "n": 2.0}
    assert summarise([])["n"] == 0.0


def test_bm25_baseline_prefers_the_rare_word(tmp_path: Path) -> None:
    pytest.importorskip("rank_bm25")
    pytest.importorskip("assistant.memory.words")
    chunks: list[tuple[str | None, str]] = [
        ("a.md", "大模型的推理部署和大模型的量化"),
        ("b.md", "大模型微调：LoRA 和 QLoRA 的区别"),
        ("c.md", "大模型评测与大模型幻觉"),
    ]
    top = BM25Baseline(chunks).search("LoRA 和 QLoRA 的区别", 3)
    assert top[0][0] == "b.md"
    assert BM25Baseline(chunks).search("？？", 3) == []


def test_bench_tables_per_split_language_and_side() -> None:
    from assistant.bench.retrieval_quality import beats, format_matrix, table
    from assistant.bench.runner import MEASUREMENTS

    assert "retrieval-quality" in MEASUREMENTS
    questions = [
        Question("a", "zh", "reporting", "d.md", "问", "答", False),
        Question("b", "en", "reporting", "d.md", "q", "a", False),
        Question("c", "en", "tuning", "d.md", "q2", "a", False),
    ]
    ranks: dict[str, dict[str, int | None]] = {
        "keyword": {"a": 1, "b": None, "c": 2},
        "vector": {"a": 5, "b": 2, "c": None},
        "both": {"a": 1, "b": 3, "c": 1},
        "bm25": {"a": 2, "b": None, "c": 4},
    }
    figures = table(ranks, questions)
    assert figures["reporting"]["zh"]["both"] == {"recall@3": 1.0, "mrr@10": 1.0, "n": 1.0}
    assert figures["reporting"]["en"]["vector"]["mrr@10"] == 0.5
    assert figures["reporting"]["all"]["bm25"] == {"recall@3": 0.5, "mrr@10": 0.25, "n": 2.0}
    assert figures["tuning"]["en"]["keyword"]["n"] == 1.0  # the tuning half is kept apart
    assert "reporting half" in format_matrix("fake", figures)
    assert beats(0.9, 0.8) and beats(1.0, 1.0) and not beats(0.8, 0.8)
