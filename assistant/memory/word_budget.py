"""Which rows a question's words make FTS5 rank: bounded, with the same bm25 scores.

bm25 costs ~1 µs per matching row. A question "模型生成的工具参数不合法怎么办" over 100 000
chunks about models matches ~90 000 rows through "模型" alone (140 ms on a quiet machine), yet
a word in most rows barely moves a score: its idf is near 0, and FTS5 counts a word in more
than half the rows as 0. So the words are split by how many rows hold them:

* **rare** (the rarest, while their rows fit :data:`POSTINGS_BUDGET`): a row must hold one;
* **common** (the rest): they still count in every score, but select no row by themselves;
* above the budget, words in more than half the rows are left out: bm25 gives them no weight
  (idf clamped to 1e-6), so leaving them out changes no value.

Two expressions, ``(rare) AND (common)`` and ``(rare) NOT (common)``, match the rows that hold
a rare word, each row once, and both hold every phrase of the plain OR of all words, so each
row gets the bm25 value the plain OR gives it (the idf of a phrase does not depend on the
expression) and the two lists merge by value. What is lost: a row that holds only
common words (its score is bounded by their small idfs). The common words still cost one
pass over their rows per question (FTS5 counts the rows of every phrase for its idf), which
is far cheaper than ranking those rows. On the 100 000-chunk Chinese bench the top 10 agree
with the plain OR (see docs/BENCHMARKS.md). Below the budget nothing changes.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from assistant.memory.words import match_expression
from assistant.store.db import Database

#: At most about this many rows (the sum of the rare words' row counts) are ranked per question;
#: None: no budget, the plain OR of every word (what the benchmark compares with).
POSTINGS_BUDGET: int | None = 12_000
#: Row counts are looked up in the index (fts5vocab, ~40 ns per row of the word) and kept this
#: long, or until the index has grown by ``_GROWTH``: they only choose how words are matched,
#: so a count a little out of date changes the cost, never a score.
_COUNT_TTL_S = 600.0
_GROWTH = 0.05


def word_expressions(words: list[str], counts: tuple[dict[str, int], int] | None) -> list[str]:
    """FTS5 MATCH expressions for ``search_words`` whose matches together are the rows to rank.
    ``counts``: rows holding each word and the highest item id (None: unknown, match all)."""
    budget = POSTINGS_BUDGET
    if counts is None or len(words) <= 1 or budget is None:
        return [match_expression(words)] if words else []
    rows, newest = counts
    if sum(rows[w] for w in words) <= budget:
        # Every word, as ever: in a small profile a word in most rows still finds a row.
        return [match_expression(words)]
    # More than half of all rows: bm25 weight 0 (the highest item id bounds the row count).
    words = [w for w in words if rows[w] * 2 <= newest] or [min(words, key=lambda w: rows[w])]
    if sum(rows[w] for w in words) <= budget:
        return [match_expression(words)]
    # A word not in the index as written costs nothing to match (or is stored stemmed).
    rare = {w for w in words if rows[w] == 0}
    total = 0
    for word in sorted((w for w in words if rows[w]), key=lambda w: rows[w]):
        if total and total + rows[word] > budget:
            break
        rare.add(word)
        total += rows[word]
    common = [w for w in words if w not in rare]
    chosen = match_expression([w for w in words if w in rare])
    if not common:
        return [chosen]
    others = match_expression(common)
    return [f"({chosen}) AND ({others})", f"({chosen}) NOT ({others})"]


class WordCounts:
    """How many rows of ``search_words`` hold each word, cached (see ``_COUNT_TTL_S``)."""

    def __init__(self, limit: int = 4096) -> None:
        self._lock = threading.Lock()
        self._limit = limit
        #: word -> (rows holding it, highest item id then, when counted)
        self._known: dict[str, tuple[int, int, float]] = {}

    def get(self, database: Database, words: list[str]) -> tuple[dict[str, int], int] | None:
        """Rows holding each of ``words`` (0: not in the index as written) and the highest
        item id now; None if the index cannot be asked."""
        if len(words) <= 1:
            return None  # one word is matched alone whatever it costs
        db = database.db
        newest = int(db.execute("select coalesce(max(id), 0) from search_items").fetchone()[0])
        now = time.monotonic()
        out: dict[str, int] = {}
        missing: list[str] = []
        with self._lock:
            for word in words:
                known = self._known.get(word)
                if known and now - known[2] < _COUNT_TTL_S and newest - known[1] <= _GROWTH * known[1] + 100:
                    out[word] = known[0]
                else:
                    missing.append(word)
        if missing:
            try:
                fresh = _count_rows(db.conn, missing)
            except sqlite3.Error:
                return None
            with self._lock:
                if len(self._known) + len(fresh) > self._limit:
                    self._known.clear()
                for word, count in fresh.items():
                    self._known[word] = (count, newest, now)
            out.update(fresh)
        return out, newest


def _count_rows(conn: sqlite3.Connection, words: list[str]) -> dict[str, int]:
    """Row counts from an fts5vocab table over ``search_words`` (in this connection's temp
    schema: nothing is written to the profile)."""
    sql = "select doc from temp.search_words_vocab where term = ?"
    try:
        conn.execute(sql, [""]).fetchone()
    except sqlite3.OperationalError:
        conn.execute(
            "create virtual table if not exists temp.search_words_vocab"
            " using fts5vocab(main, search_words, row)"
        )
    counts: dict[str, int] = {}
    for word in words:
        row = conn.execute(sql, [word]).fetchone()
        counts[word] = int(row[0]) if row else 0
    return counts
