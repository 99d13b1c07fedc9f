"""retrieval-quality: recall@3 and MRR@10 on the labelled retrieval set, per language and side.

The shipped corpus (``assistant/bench/retrieval_set/docs``) is indexed into a fresh temporary
profile through the real document indexer and the real embedder; each question is then asked
of the app's retriever three ways (``sides="keyword"``, ``"vector"``, ``"both"``) and of a plain
BM25 baseline (``rank-bm25``) over the same chunks, segmented with the same word segmenter, in
the same run. Figures are for the REPORTING half; the TUNING half (the one fusion weights were
chosen on) is measured too and labelled as such in the JSON details.

Every embedder is reported: the bundled all-MiniLM-L6-v2, and each other catalog model that is
installed on this machine (or a sentence-transformers folder named by ASSISTANT_BENCH_EMBEDDER).
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from assistant.bench.labelled import (
    DOCS_DIR,
    LANGUAGES,
    SPLITS,
    BM25Baseline,
    Question,
    first_rank,
    load_questions,
    summarise,
)
from assistant.bench.stats import Figure

SIDES = ("keyword", "vector", "both")
#: Issue 10's targets for recall@3 of the fused result, per language.
TARGET_RECALL = {"en": 0.90, "multi": 0.95}
NOT_AVAILABLE = "not available on this machine"
Results = list[tuple[str | None, str]]


def other_embedders() -> list[tuple[str, str]]:
    """(label, setting) of each non-bundled embedding model usable here."""
    found: list[tuple[str, str]] = []
    folder = os.environ.get("ASSISTANT_BENCH_EMBEDDER", "")
    if folder:
        found.append((Path(folder).name, folder))
    try:
        from assistant.models.embedder_catalog import load_embedders

        found += [(e.id, e.id) for e in load_embedders() if not e.bundled and e.installed]
    except Exception as exc:  # no catalog: the bundled model is still measured
        print(f"retrieval-quality: embedder catalog unreadable ({exc})", file=sys.stderr)
    return found


def _index(home: Path, label: str, setting: str) -> tuple[Any, Any, Any, float, int]:
    """A fresh profile with the corpus indexed by ``setting``'s model: (database, memory,
    embedder, seconds to index, chunks)."""
    from assistant.knowledge.indexer import Indexer
    from assistant.memory.embedder import Embedder
    from assistant.memory.service import Memory
    from assistant.store.db import Database

    root = home / f"retrieval-quality-{label}"
    shutil.rmtree(root, ignore_errors=True)
    docs = root / "docs"
    shutil.copytree(DOCS_DIR, docs)
    database = Database(root / "assistant.db").open()
    embedder = Embedder(setting)
    embedder.load()
    indexer = Indexer(database, embedder)
    collection = indexer.collections.add(docs)
    start = time.perf_counter()
    chunks = 0
    for event in indexer.index(collection.id):
        chunks = getattr(event, "chunks", chunks)
    seconds = time.perf_counter() - start
    memory = Memory(database, embedder_factory=lambda _setting: embedder)
    return database, memory, embedder, seconds, chunks


def _chunks(database: Any) -> Results:
    """Every indexed chunk as (path, searchable text): what the BM25 baseline ranks."""
    rows = database.db.execute(
        "select df.path, si.text from search_items si join doc_chunks dc on dc.id = si.chunk_id"
        " join doc_files df on df.id = dc.file_id where si.kind = 'chunk' order by si.id"
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def rank_all(
    retriever: Any, bm25: BM25Baseline, questions: list[Question]
) -> dict[str, dict[str, int | None]]:
    """side -> question id -> rank of the first answering result (None: not in the top 10)."""
    ranks: dict[str, dict[str, int | None]] = {side: {} for side in (*SIDES, "bm25")}
    for q in questions:
        for side in SIDES:
            hits = retriever.search(q.question, kinds=("chunk",), k=10, use_vectors=True, sides=side)
            ranks[side][q.id] = first_rank([(h.path, h.text) for h in hits], q)
        ranks["bm25"][q.id] = first_rank(bm25.search(q.question, 10), q)
    return ranks


def table(ranks: dict[str, dict[str, int | None]], questions: list[Question]) -> dict[str, Any]:
    """split -> language (and "all", "paraphrase") -> side -> {recall@3, mrr@10, n}."""
    out: dict[str, Any] = {}
    for split in SPLITS:
        out[split] = {}
        for lang in (*LANGUAGES, "all", "paraphrase"):
            # "paraphrase": the questions sharing no keyword with their answer, all languages.
            chosen = [
                q
                for q in questions
                if q.split == split and (lang in (q.lang, "all") or (lang == "paraphrase" and q.paraphrase))
            ]
            out[split][lang] = {side: summarise([ranks[side][q.id] for q in chosen]) for side in ranks}
    return out


def _misses(ranks: dict[str, dict[str, int | None]], questions: list[Question]) -> list[str]:
    return [q.id for q in questions if q.split == "reporting" and (ranks["both"][q.id] or 99) > 3]


def format_matrix(label: str, figures: dict[str, Any], split: str = "reporting") -> str:
    lines = [f"retrieval-quality [{label}] {split} half: recall@3 / MRR@10"]
    lines.append(f"  {'lang':10} {'n':>3}  " + "  ".join(f"{s:>13}" for s in (*SIDES, "bm25")))
    for lang, sides in figures[split].items():
        n = int(sides["both"]["n"])
        cells = "  ".join(f"{sides[s]['recall@3']:.2f} / {sides[s]['mrr@10']:.2f}" for s in (*SIDES, "bm25"))
        lines.append(f"  {lang:10} {n:>3}  {cells}")
    return "\n".join(lines)


def measure(home: Path, label: str, setting: str, questions: list[Question]) -> tuple[dict[str, Any], str]:
    database, memory, embedder, seconds, chunks = _index(home, label, setting)
    try:
        bm25 = BM25Baseline(_chunks(database))
        start = time.perf_counter()
        ranks = rank_all(memory.retriever, bm25, questions)
        asked = time.perf_counter() - start
        figures = table(ranks, questions)
        details = {
            "embedder": embedder.model_id,
            "embedder_languages": getattr(embedder, "languages", "en"),
            "chunks": chunks,
            "documents": len(list(DOCS_DIR.iterdir())),
            "index_s": seconds,
            "search_s_per_question_all_sides": asked / max(len(questions), 1),
            "segmenter": bm25.segmenter,
            "reported_split": "reporting",
            "tuning_split_note": "fusion weights were chosen on the 'tuning' half only",
            "figures": figures,
            "reporting_misses_fused_top3": _misses(ranks, questions),
            "ranks": ranks,
        }
        return details, getattr(embedder, "languages", "en")
    finally:
        database.close()


def beats(value: float, baseline: float) -> bool:
    """The issue's "beats the BM25 baseline": strictly better, or both perfect."""
    return value > baseline or value == baseline == 1.0


def _figures(label: str, details: dict[str, Any], languages: str) -> list[Figure]:
    target = TARGET_RECALL["multi" if "multi" in languages else "en"]
    out: list[Figure] = []
    for lang in LANGUAGES:
        row = details["figures"]["reporting"][lang]
        fused, bm25 = row["both"], row["bm25"]
        out.append(
            Figure(
                f"retrieval_quality_{label}_{lang}_recall3",
                fused["recall@3"],
                "",
                bm25["recall@3"],
                f">= {target:.2f} and > BM25 (reporting half, n={int(fused['n'])})",
                fused["recall@3"] >= target and beats(fused["recall@3"], bm25["recall@3"]),
                details if not out else {side: row[side] for side in row},
            )
        )
        out.append(
            Figure(
                f"retrieval_quality_{label}_{lang}_mrr10",
                fused["mrr@10"],
                "",
                bm25["mrr@10"],
                "> BM25 (reporting half; = 1.0 counts)",
                beats(fused["mrr@10"], bm25["mrr@10"]),
                {side: row[side] for side in row},
            )
        )
    return out


def retrieval_quality(home: Path, quick: bool) -> list[Figure]:
    """The bench entry: every available embedder; one that fails is reported, not fatal."""
    questions = load_questions()
    models = [("bundled", ""), *other_embedders()]
    figures: list[Figure] = []
    for label, setting in models:
        print(f"retrieval-quality: indexing with {label} ...", file=sys.stderr, flush=True)
        try:
            details, languages = measure(home, label, setting, questions)
        except Exception as exc:
            figures.append(
                Figure(f"retrieval_quality_{label}", math.nan, "", None, f"failed: {exc}", False, {})
            )
            continue
        print(format_matrix(label, details["figures"]), flush=True)
        print(format_matrix(label, details["figures"], "tuning") + "  (weights chosen here)", flush=True)
        figures += _figures(label, details, languages)
    if len(models) == 1:
        print(f"retrieval-quality [multilingual]: {NOT_AVAILABLE}", flush=True)
        figures.append(
            Figure(
                "retrieval_quality_multilingual",
                math.nan,
                "",
                None,
                NOT_AVAILABLE,
                None,
                {"status": NOT_AVAILABLE, "how": "assistant models embedders download multilingual-e5-small"},
            )
        )
    return figures
