"""The keyword side of search: bm25 over words, and trigram for substrings and other scripts.

``search_words`` (see :mod:`assistant.store.migrations_words`) holds each item's text as
segmented words, so a Chinese question matches words, not 3-character windows, and bm25 lets
the rare word decide. ``search_fts`` (trigram) still finds parts of words ("GPT" in
"ChatGPT"), Japanese and Korean text, and the older items the background job has not
segmented yet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from typing import Any

from assistant.memory import words as words_mod
from assistant.memory.word_budget import WordCounts, word_expressions
from assistant.memory.words_index import backlog
from assistant.store.db import Database

#: Candidates taken from each list before fusing.
CANDIDATES = 50
#: Words that match nearly everything by trigram and say nothing about the topic.
_STOP = words_mod.STOP_EN
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


def query_terms(query: str) -> list[str]:
    """Trigram terms: runs of word characters, casefolded, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(unicodedata.normalize("NFKC", query[:40_000]).casefold()):
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
        if words_mod.has_cjk(term) and len(term) > 3:
            parts.extend(term[i : i + 3] for i in range(min(len(term) - 2, 16)))
        else:
            parts.append(term)
    unique = list(dict.fromkeys(parts))[:32]
    return " OR ".join('"' + p.replace('"', '""') + '"' for p in unique)


def filters(
    kinds: tuple[str, ...],
    collection_ids: list[int] | None,
    exclude_conversation: int | None,
    exclude_items: Collection[int] = (),
) -> tuple[str, list[Any]]:
    """SQL conditions on ``search_items si`` for the kinds, collections, chat and items to leave out."""
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
    if exclude_items:
        sql += f" and si.id not in ({','.join('?' * len(exclude_items))})"
        params.extend(exclude_items)
    return sql, params


class KeywordSearch:
    """Ranked item ids from the word index and the trigram index, filtered."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._counts = WordCounts()

    def words(
        self, words: list[str], terms: list[str], where: tuple[str, list[Any]]
    ) -> list[tuple[int, float]]:
        """bm25 over segmented ``words``; the backlog of unsegmented items through trigram
        over the ``terms`` of :func:`query_terms`."""
        expressions = word_expressions(words, self._counts.get(self.database, words))
        if not expressions:
            return []
        found = self._ranked("search_words", expressions, where)
        done, upto = backlog(self.database)
        if done < upto:
            late = self._ranked("search_fts", [fts_expression(terms)], where, (done, upto))
            found = _interleave(found, late)
        return found

    def trigram(self, terms: list[str], where: tuple[str, list[Any]]) -> list[tuple[int, float]]:
        expression = fts_expression(terms)
        if expression:
            return self._ranked("search_fts", [expression], where)
        return self._scan([t for t in terms if t][:4], where)

    def _ranked(
        self,
        table: str,
        expressions: list[str],
        where: tuple[str, list[Any]],
        ids: tuple[int, int] | None = None,
    ) -> list[tuple[int, float]]:
        """The best rows of ``table`` for ``expressions`` (bm25, best first; several
        expressions match other rows, scored alike: see :mod:`assistant.memory.word_budget`),
        filtered by ``where``."""
        db = self.database.db
        between = " and rowid > ? and rowid <= ?" if ids else ""
        # Rank inside FTS alone (a join per match costs more than the ranking), then apply
        # the filters to the best few hundred. Table names are constants, never input.
        sql = f"select rowid, bm25({table}) as r from {table} where {table} match ?{between}"
        sql += " order by r limit ?"
        scores: dict[int, float] = {}
        for expression in expressions:
            for rowid, score in db.execute(sql, [expression, *(ids or ()), CANDIDATES * 4]):
                scores.setdefault(rowid, score)
        found = sorted(scores.items(), key=lambda row: row[1])[: CANDIDATES * 4]
        if not found:
            return []
        marks = ",".join("?" * len(found))
        sql, params = where
        kept = {
            r[0]
            for r in db.execute(
                f"select si.id from search_items si where si.id in ({marks}) {sql}",
                [*(i for i, _ in found), *params],
            )
        }
        return [(i, s) for i, s in found if i in kept][:CANDIDATES]

    def _scan(self, short: list[str], where: tuple[str, list[Any]]) -> list[tuple[int, float]]:
        """trigram cannot index 1-2 character words ("Go", "AI", "猫"); scan instead, newest
        first. instr() on casefold() is exact for any script, unlike LIKE's ASCII folding."""
        if not short:
            return []
        sql, params = where
        likes = " and ".join("instr(casefold(si.text), ?) > 0" for _ in short)
        return [
            (r[0], 0.0)
            for r in self.database.db.execute(
                f"select si.id from search_items si where {likes} {sql} order by si.id desc limit ?",
                [*short, *params, CANDIDATES],
            )
        ]


def _interleave(first: list[tuple[int, float]], second: list[tuple[int, float]]) -> list[tuple[int, float]]:
    out: dict[int, float] = {}
    for pair in zip(first, second, strict=False):
        for item_id, score in pair:
            out.setdefault(item_id, score)
    for item_id, score in first[len(second) :] + second[len(first) :]:
        out.setdefault(item_id, score)
    return list(out.items())[:CANDIDATES]
