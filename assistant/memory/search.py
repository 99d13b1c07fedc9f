"""Hybrid retrieval: FTS5 (trigram) and vector similarity, fused by reciprocal rank.

One API for every kind of memory: chat messages, facts and document chunks. The agent's
search tools, the search box, the CLI and the recall before each reply all call
:meth:`Retriever.search`.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from assistant.memory import fusion
from assistant.memory.embedder import TextEmbedder
from assistant.memory.keywords import CANDIDATES, KeywordSearch, filters, fts_expression, query_terms
from assistant.memory.vectors import VectorIndex
from assistant.memory.words import query_words
from assistant.store.db import Database

__all__ = ["ALL_KINDS", "CANDIDATES", "Hit", "Retriever", "fts_expression", "make_snippet", "query_terms"]

ALL_KINDS: tuple[str, ...] = ("message", "fact", "chunk")
RRF_K = fusion.RRF_K
Sides = Literal["both", "keyword", "vector"]


@dataclass(frozen=True)
class Hit:
    """One search result, with what an answer needs to cite it."""

    item_id: int
    kind: str  # message | fact | chunk
    text: str
    snippet: str
    #: (start, end) character offsets of matched words inside ``snippet``, for highlighting.
    highlights: tuple[tuple[int, int], ...]
    score: float  # fused RRF score
    similarity: float | None  # cosine with the query, when both have vectors
    conversation_id: int | None = None
    conversation_title: str | None = None
    message_id: int | None = None
    role: str | None = None
    fact_id: int | None = None
    collection_id: int | None = None
    chunk_id: int | None = None
    path: str | None = None
    heading: str | None = None
    page: int | None = None
    created_at: float | None = None
    ranks: dict[str, int] = field(default_factory=dict)
    #: A fact: the user message it was taken from ("Remember that …"), if any.
    said_in: int | None = None

    def source_label(self) -> str:
        if self.kind == "message":
            return f"chat “{self.conversation_title or '?'}” ({self.role} message {self.message_id})"
        if self.kind == "fact":
            return f"saved fact #{self.fact_id}"
        parts = [self.path or "?"]
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.heading:
            parts.append(f"“{self.heading}”")
        return ", ".join(parts)


def make_snippet(text: str, terms: list[str], width: int = 240) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of ``text`` around the first matched term, and where the terms are in it."""
    folded = text.casefold()
    positions = [p for p in (folded.find(t) for t in terms if t) if p >= 0]
    start = 0
    if positions and min(positions) > width // 3:
        start = min(positions) - width // 3
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space > start - 20 else start
    piece = text[start : start + width]
    snippet = ("…" if start else "") + piece.strip() + ("…" if start + width < len(text) else "")
    folded_snippet = snippet.casefold()
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        at = folded_snippet.find(term)
        while at >= 0 and len(spans) < 32:
            spans.append((at, at + len(term)))
            at = folded_snippet.find(term, at + len(term))
    return snippet, tuple(sorted(spans))


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vector-search")
    return _POOL


class Retriever:
    """Hybrid search over ``search_items``. Thread-safe for concurrent readers."""

    def __init__(self, database: Database, index: VectorIndex, embedder: TextEmbedder | None) -> None:
        self.database = database
        self.index = index
        self.embedder = embedder
        self.keywords = KeywordSearch(database)
        #: The fusion weights (module constants; a benchmark may set another table).
        self.weights = fusion.WEIGHTS

    def search(
        self,
        query: str,
        kinds: Iterable[str] = ALL_KINDS,
        k: int = 10,
        collection_ids: list[int] | None = None,
        exclude_conversation: int | None = None,
        use_vectors: bool | None = None,
        *,
        sides: Sides = "both",
        before_message: int | None = None,
    ) -> list[Hit]:
        """Best ``k`` hits for ``query``. ``collection_ids`` limits document chunks (None:
        every collection); ``use_vectors`` None means "if the embedding model is loaded"
        (the search never waits ~6 s for it to load). ``sides`` measures one side alone:
        "keyword" (words and trigram) or "vector"; "both" fuses them. ``before_message``: only
        what was said before that message (a tool answering it must not find the question
        itself, nor anything saved since). A question with no word worth matching
        (punctuation, stop words only) finds nothing."""
        kinds = tuple(kd for kd in kinds if kd in ALL_KINDS)
        if collection_ids is not None and not collection_ids:
            kinds = tuple(kd for kd in kinds if kd != "chunk")
        terms, words = query_terms(query), query_words(query)
        if not kinds or k <= 0 or not (terms or words):
            return []
        since = self._said_since(before_message) if before_message is not None else []
        weights = fusion.weights_for(query, getattr(self.embedder, "languages", "en"), self.weights)
        query_vector = None
        if sides != "keyword" and (weights.vector > 0 or sides == "vector"):
            query_vector = self._query_vector(query, use_vectors)
        vector_job = None
        if query_vector is not None:
            self.index.sync()
            # The scan (numpy) and the FTS queries (SQLite) both release the GIL: run them side
            # by side, so a search costs the slower of the two rather than their sum.
            vector_job = _pool().submit(
                self.index.search, query_vector, CANDIDATES, kinds, collection_ids, exclude_conversation,
                since,
            )
        where = filters(kinds, collection_ids, exclude_conversation, since)
        text_ranked = [] if sides == "vector" else self._keyword_ranked(terms, words, where, weights)
        vector_ranked: list[tuple[int, float]] = vector_job.result() if vector_job else []
        fused, ranks = fusion.fuse(
            {"text": text_ranked, "vector": [i for i, _ in vector_ranked]},
            {"text": 1.0, "vector": weights.vector if sides == "both" else 1.0},
            weights.rrf_k,
        )
        order = sorted(fused, key=lambda i: -fused[i])
        similarity = dict(vector_ranked)
        if query_vector is not None:
            missing = [i for i in order[: k * 2] if i not in similarity]
            similarity.update(self.index.similarity(query_vector, missing))
        return self._hits(order, k, [*words, *terms], fused, similarity, ranks)

    def _said_since(self, message_id: int) -> list[int]:
        """Items of that message and of every later one, and of the facts taken from them."""
        rows = self.database.db.execute(
            "select id from search_items where message_id >= ?"
            " union select si.id from facts f join search_items si on si.fact_id = f.id"
            " where f.message_id >= ?",
            [message_id, message_id],
        )
        return [row[0] for row in rows]

    def _keyword_ranked(
        self, terms: list[str], words: list[str], where: tuple[str, list[Any]], weights: fusion.Weights
    ) -> list[int]:
        """One keyword ranking: words (bm25) and trigram fused with their weights."""
        lists = {"words": [i for i, _ in self.keywords.words(words, terms, where)]}
        if weights.trigram > 0 or not lists["words"]:
            lists["trigram"] = [i for i, _ in self.keywords.trigram(terms, where)]
        fused, _ = fusion.fuse(
            lists, {"words": weights.words, "trigram": weights.trigram or 0.01}, weights.rrf_k
        )
        return sorted(fused, key=lambda i: -fused[i])[:CANDIDATES]

    def _hits(
        self,
        order: list[int],
        k: int,
        terms: list[str],
        fused: dict[int, float],
        similarity: dict[int, float],
        ranks: dict[int, dict[str, int]],
    ) -> list[Hit]:
        rows = self._rows(order[: k * 2])
        hits: list[Hit] = []
        for item_id in order:
            row = rows.get(item_id)
            if row is None:  # deleted or hidden since it was indexed
                continue
            hits.append(self._hit(row, terms, fused[item_id], similarity.get(item_id), ranks[item_id]))
            if len(hits) == k:
                break
        return hits

    def _query_vector(self, query: str, use_vectors: bool | None) -> np.ndarray | None:
        if self.embedder is None or use_vectors is False:
            return None
        if use_vectors is None and not self.embedder.ready:
            return None
        try:
            return self.embedder.encode_query(query)
        except Exception:  # a broken model degrades search to words, it does not break it
            return None

    def _rows(self, item_ids: list[int]) -> dict[int, dict[str, Any]]:
        if not item_ids:
            return {}
        marks = ",".join("?" * len(item_ids))
        sql = (
            "select si.id, si.kind, si.text, si.conversation_id, si.message_id, si.fact_id,"
            " si.collection_id, si.chunk_id, si.created_at, c.title as conversation_title, m.role,"
            " dc.heading, dc.page, df.path, f.message_id as said_in"
            " from search_items si"
            " left join conversations c on c.id = si.conversation_id"
            " left join messages m on m.id = si.message_id"
            " left join facts f on f.id = si.fact_id"
            " left join doc_chunks dc on dc.id = si.chunk_id"
            " left join doc_files df on df.id = dc.file_id"
            f" where si.id in ({marks})"
            " and (si.kind != 'message' or (c.deleted_at is null and m.superseded_at is null))"
            " and (si.kind != 'fact' or f.status = 'approved')"
        )
        cursor = self.database.db.execute(sql, item_ids)
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor}

    @staticmethod
    def _hit(
        row: dict[str, Any], terms: list[str], score: float, similarity: float | None, ranks: dict[str, int]
    ) -> Hit:
        snippet, spans = make_snippet(row["text"], terms)
        return Hit(
            item_id=row["id"],
            kind=row["kind"],
            text=row["text"],
            snippet=snippet,
            highlights=spans,
            score=score,
            similarity=similarity,
            conversation_id=row["conversation_id"],
            conversation_title=row["conversation_title"],
            message_id=row["message_id"],
            role=row["role"],
            fact_id=row["fact_id"],
            collection_id=row["collection_id"],
            chunk_id=row["chunk_id"],
            path=row["path"],
            heading=row["heading"],
            page=row["page"],
            created_at=row["created_at"],
            ranks=ranks,
            said_in=row["said_in"],
        )
