"""Bounded keyword ranking (issue 10, hybrid p95 at 100 000 chunks): when a question's words
hold more rows than the budget, only rows holding a rare word are ranked, with the very bm25
values the plain OR of all words gives them. Real SQLite, real FTS5, real word index."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.memory import word_budget
from assistant.memory.keywords import KeywordSearch, filters
from assistant.memory.words import match_expression
from assistant.store.db import Database

ROWS = 60
#: word -> the rows (1-based ids) that hold it
HOLDERS = {
    "zircon": {5, 17, 40},  # rare
    "quartz": {17, 23},  # rare
    "basalt": set(range(1, 21)),  # common: a third of the rows
    "gneiss": set(range(1, 51)),  # in more than half: bm25 gives it no weight
}
QUESTION = ["gneiss", "basalt", "zircon", "quartz"]


@pytest.fixture
def database(tmp_path: Path) -> Database:
    """60 items; each holds its words of HOLDERS (some twice) among filler of varied length."""
    database = Database(tmp_path / "profile.db").open()
    rng = random.Random(3)
    with database.writing() as db:
        for item in range(1, ROWS + 1):
            words = [w for w, ids in HOLDERS.items() if item in ids for _ in range(rng.randint(1, 2))]
            words += [f"filler{rng.randint(0, 400)}" for _ in range(rng.randint(3, 40))]
            rng.shuffle(words)
            db.execute(
                "insert into search_items(id, kind, text, created_at) values (?, 'fact', ?, 0)",
                [item, " ".join(words)],
            )
    return database


def _plain_or(database: Database, words: list[str]) -> dict[int, float]:
    sql = "select rowid, bm25(search_words) from search_words where search_words match ?"
    return dict(database.db.execute(sql, [match_expression(words)]).fetchall())


def test_counts_come_from_the_word_index(database: Database) -> None:
    counts = word_budget.WordCounts().get(database, [*QUESTION, "absent"])
    assert counts == ({w: len(ids) for w, ids in HOLDERS.items()} | {"absent": 0}, ROWS)


def test_below_the_budget_the_plain_or_of_all_words_is_matched(database: Database) -> None:
    """Even a word in most rows: a row holding only it must still be found (a small profile)."""
    counts = word_budget.WordCounts().get(database, QUESTION)
    assert word_budget.word_expressions(QUESTION, counts) == [match_expression(QUESTION)]
    found = KeywordSearch(database).words(QUESTION, [], filters(("fact",), None, None))
    only_gneiss = HOLDERS["gneiss"] - HOLDERS["basalt"] - HOLDERS["zircon"] - HOLDERS["quartz"]
    assert only_gneiss & {i for i, _ in found}


def test_a_word_in_more_than_half_the_rows_changes_no_bm25_value(database: Database) -> None:
    """The FTS5 rule the budget relies on: idf <= 0 is clamped to 1e-6."""
    with_it, without = _plain_or(database, QUESTION), _plain_or(database, QUESTION[1:])
    assert set(without) < set(with_it)
    assert all(abs(with_it[i] - without[i]) < 1e-4 for i in without)


def test_above_the_budget_rare_rows_get_the_plain_or_values(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(word_budget, "POSTINGS_BUDGET", 6)
    counts = word_budget.WordCounts().get(database, QUESTION)
    rare, common = match_expression(["zircon", "quartz"]), match_expression(["basalt"])
    assert word_budget.word_expressions(QUESTION, counts) == [
        f"({rare}) AND ({common})",
        f"({rare}) NOT ({common})",
    ]
    found = KeywordSearch(database).words(QUESTION, [], filters(("fact",), None, None))

    exact = _plain_or(database, QUESTION)
    holding_rare = HOLDERS["zircon"] | HOLDERS["quartz"]
    expected = sorted(holding_rare, key=lambda i: exact[i])
    assert [i for i, _ in found] == expected
    assert all(abs(score - exact[i]) < 1e-4 for i, score in found)
    # Basalt still counts: a row with it outranks what its rare words alone would give it.
    rare_only = _plain_or(database, ["zircon", "quartz"])
    assert any(abs(rare_only[i] - exact[i]) > 0.1 for i in holding_rare & HOLDERS["basalt"])


def test_when_every_word_is_common_the_rarest_one_selects_rows(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(word_budget, "POSTINGS_BUDGET", 6)
    words = ["gneiss", "basalt"]
    counts = word_budget.WordCounts().get(database, words)
    assert word_budget.word_expressions(words, counts) == [match_expression(["basalt"])]
