"""Hybrid retrieval: FTS5 (trigram) and vector similarity, fused by reciprocal rank.

One API for every kind of memory: chat messages, facts and document chunks. The agent's
search tools, the search box, the CLI and the recall before each reply all call
:meth:`Retriever.search`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from assistant.memory.embedder import TextEmbedder
from assistant.memory.vectors import VectorIndex
from assistant.store.db import Database

ALL_KINDS: tuple[str, ...] = ("message", "fact", "chunk")
#: Reciprocal rank fusion constant (Cormack et al. 2009); 60 is the usual, robust choice.
RRF_K = 60
#: Candidates taken from each side before fusing.
CANDIDATES = 50
#: Words that match nearly everything by trigram and say nothing about the topic.
_STOP = frozenset(
    "the and for are but not you your with this that what when where which who how why was were "
    "have has had can could would should will about from into than then them they their there "
    "our out its it's i'm i've did does doing been being also just very more most some any all "
    "please tell know did say said get got make made like one two now new use used way may see "
    "want need much many well good thing things something anything".split()
)
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


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


def query_terms(query: str) -> list[str]:
    """Words worth matching, casefolded, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(unicodedata.normalize("NFKC", query).casefold()):
        if word not in _STOP:
            seen.setdefault(word, None)
    return list(seen)


def fts_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression: any term, each as a quoted string (so no operator injection).

    trigram matches substrings of 3+ characters; for runs of CJK (no spaces between words)
    every 3-character window is a term, so a question need not repeat the text verbatim.
    """
    parts: list[str] = []
    for term in terms:
        if len(term) < 3:
            continue
        if _is_cjk(term) and len(term) > 3:
            parts.extend(term[i : i + 3] for i in range(min(len(term) - 2, 16)))
        else:
            parts.append(term)
    unique = list(dict.fromkeys(parts))[:32]
    return " OR ".join('"' + p.replace('"', '""') + '"' for p in unique)


def _is_cjk(text: str) -> bool:
    return any(
        "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff" for ch in text
    )


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

    def search(
        self,
        query: str,
        kinds: Iterable[str] = ALL_KINDS,
        k: int = 10,
        collection_ids: list[int] | None = None,
        exclude_conversation: int | None = None,
        use_vectors: bool | None = None,
        *,
        sides: Literal["both", "keyword", "vector"] = "both",
    ) -> list[Hit]:
        """Best ``k`` hits for ``query``. ``collection_ids`` limits document chunks (None:
        every collection); ``use_vectors`` None means "if the embedding model is loaded"
        (the search never waits ~6 s for it to load). ``sides`` measures one side alone:
        "keyword" (words and trigram) or "vector"; "both" fuses them."""
        kinds = tuple(kd for kd in kinds if kd in ALL_KINDS)
        if not query.strip() or not kinds or k <= 0:
            return []
        if collection_ids is not None and not collection_ids:
            kinds = tuple(kd for kd in kinds if kd != "chunk")
            if not kinds:
                return []
        terms = query_terms(query)
        query_vector = None if sides == "keyword" else self._query_vector(query, use_vectors)
        vector_job = None
        if query_vector is not None:
            self.index.sync()
            # The scan (numpy) and the FTS query (SQLite) both release the GIL: run them side
            # by side, so a search costs the slower of the two rather than their sum.
            vector_job = _pool().submit(
                self.index.search, query_vector, CANDIDATES, kinds, collection_ids, exclude_conversation
            )
        text_ranked = (
            [] if sides == "vector" else self._text_search(terms, kinds, collection_ids, exclude_conversation)
        )
        vector_ranked: list[tuple[int, float]] = vector_job.result() if vector_job else []
        fused: dict[int, float] = {}
        ranks: dict[int, dict[str, int]] = {}
        for name, ranked in (
            ("text", [i for i, _ in text_ranked]),
            ("vector", [i for i, _ in vector_ranked]),
        ):
            for rank, item_id in enumerate(ranked, 1):
                fused[item_id] = fused.get(item_id, 0.0) + 1.0 / (RRF_K + rank)
                ranks.setdefault(item_id, {})[name] = rank
        order = sorted(fused, key=lambda i: -fused[i])
        similarity = dict(vector_ranked)
        if query_vector is not None:
            missing = [i for i in order[: k * 2] if i not in similarity]
            similarity.update(self.index.similarity(query_vector, missing))
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

    def _filters(
        self, kinds: tuple[str, ...], collection_ids: list[int] | None, exclude_conversation: int | None
    ) -> tuple[str, list[Any]]:
        sql = (
            # "+": keep the planner on the id lookup; the kind index would scan every item.
            f" and +si.kind in ({','.join('?' * len(kinds))})"
            " and (si.kind != 'message' or si.conversation_id in"
            " (select id from conversations where deleted_at is null))"
        )
        params: list[Any] = list(kinds)
        if collection_ids is not None:
            sql += f" and (si.kind != 'chunk' or si.collection_id in ({','.join('?' * len(collection_ids))}))"
            params.extend(collection_ids)
        if exclude_conversation is not None:
            sql += " and (si.kind != 'message' or si.conversation_id != ?)"
            params.append(exclude_conversation)
        return sql, params

    def _text_search(
        self,
        terms: list[str],
        kinds: tuple[str, ...],
        collection_ids: list[int] | None,
        exclude_conversation: int | None,
    ) -> list[tuple[int, float]]:
        where, params = self._filters(kinds, collection_ids, exclude_conversation)
        expression = fts_expression(terms)
        db = self.database.db
        if expression:
            # Rank inside FTS alone (a join per match costs more than the ranking), then apply
            # the filters to the best few hundred.
            found = db.execute(
                "select rowid, bm25(search_fts) as r from search_fts"
                " where search_fts match ? order by r limit ?",
                [expression, CANDIDATES * 4],
            ).fetchall()
            if not found:
                return []
            score = dict(found)
            marks = ",".join("?" * len(score))
            kept = {
                r[0]
                for r in db.execute(
                    f"select si.id from search_items si where si.id in ({marks}) {where}", [*score, *params]
                )
            }
            found = [(i, s) for i, s in found if i in kept]
            return found[:CANDIDATES]
        short = [t for t in terms if t][:4]
        if not short:
            return []
        # trigram cannot index 1-2 character words ("Go", "AI", "猫"); LIKE scans instead,
        # newest first. instr() on casefold() is exact for any script, unlike LIKE's ASCII folding.
        likes = " and ".join("instr(casefold(si.text), ?) > 0" for _ in short)
        return [
            (r[0], 0.0)
            for r in db.execute(
                f"select si.id from search_items si where {likes} {where} order by si.id desc limit ?",
                [*short, *params, CANDIDATES],
            )
        ]

    def _rows(self, item_ids: list[int]) -> dict[int, dict[str, Any]]:
        if not item_ids:
            return {}
        marks = ",".join("?" * len(item_ids))
        sql = (
            "select si.id, si.kind, si.text, si.conversation_id, si.message_id, si.fact_id,"
            " si.collection_id, si.chunk_id, si.created_at, c.title as conversation_title, m.role,"
            " dc.heading, dc.page, df.path"
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
        )
