"""User facts: what the user asked the assistant to remember, with where and when.

"Remember that ..." is deterministic (stored approved at once). Statements about oneself
("I'm vegetarian", "my name is ...") become *proposals* that need one click to approve,
because privacy comes first. Only approved facts are searchable or reach a prompt.
"""

from __future__ import annotations

import builtins
import re
import time
from dataclasses import dataclass
from typing import Any

from assistant.changes import FactsChanged
from assistant.memory.search import query_terms
from assistant.store.db import Database

MAX_FACT_CHARS = 500

_REMEMBER = re.compile(
    r"^\s*(?:(?:please|pls|can you|could you|would you)\s+)?(?:remember|note|keep in mind|don'?t forget)"
    r"\s*(?:that|:|,)?\s+(?P<fact>.+?)\s*[.!]?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_REMEMBER_AFTER = re.compile(
    r"^\s*(?P<fact>.+?)[\s,.;:-]+(?:please\s+)?remember (?:that|this|it)\s*[.!]?\s*$",
    re.IGNORECASE | re.DOTALL,
)
#: 记住/记下/记一下 … (请/帮我/你 before it); a question is never a fact.
_REMEMBER_ZH = re.compile(
    r"^\s*(?:请|麻烦)?你?(?:帮我)?(?:记住|记下|记一下|记着)(?:一下)?[：:，,]?\s*(?P<fact>[^？?]+?)\s*[。！!.]?\s*$"
)
_FORGET_ZH = re.compile(r"^\s*(?:请|麻烦)?你?(?:帮我)?忘掉(?:关于)?\s*(?P<what>.+?)\s*[。！!.]?\s*$")
_FORGET = re.compile(
    r"^\s*(?:(?:please|pls|can you|could you)\s+)?forget\s+(?:about\s+|that\s+)?(?P<what>.+?)\s*[.!]?\s*$",
    re.IGNORECASE | re.DOTALL,
)
#: Lasting statements about oneself, worth proposing (never storing unasked).
_SELF = re.compile(
    r"^\s*(?:i'?m|i am|i'?ve been|i have been)\s+(?:a\s+|an\s+)?"
    r"(?:vegetarian|vegan|pescatarian|allergic|lactose|gluten|diabetic|left-handed|right-handed|married|"
    r"single|divorced|retired|based in|living in|from)\b"
    r"|^\s*my\s+(?:name|birthday|wife|husband|partner|son|daughter|sister|brother|mother|father|mom|dad|"
    r"dog|cat|pet|job|email|address|favou?rite)\b[^?]*\b(?:is|are|was)\b[^?]*$"
    r"|^\s*i\s+(?:live|work|don'?t eat|never eat|can'?t eat|prefer)\b[^?]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Fact:
    id: int
    text: str
    status: str  # proposed | approved
    source: str  # user | assistant
    conversation_id: int | None
    message_id: int | None
    created_at: float
    updated_at: float

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Fact:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Intent:
    action: str  # remember | forget | propose
    text: str


def parse_intent(message: str) -> Intent | None:
    """What a user message asks of the memory, if anything. Questions are never facts."""
    text = " ".join(message.split())
    if not text or len(text) > MAX_FACT_CHARS:
        return None
    if match := _FORGET.match(text) or _FORGET_ZH.match(text):
        return Intent("forget", match["what"])
    for pattern in (_REMEMBER, _REMEMBER_AFTER, _REMEMBER_ZH):
        if (match := pattern.match(text)) and not match["fact"].endswith("?"):
            return Intent("remember", _tidy(match["fact"]))
    if not text.endswith("?") and _SELF.match(text):
        return Intent("propose", _tidy(text))
    return None


def _tidy(fact: str) -> str:
    fact = fact.strip().rstrip(".!").strip()
    return fact[:1].upper() + fact[1:]


def _stem(word: str) -> str:
    word = re.sub(r"['’]s$", "", word)
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


class FactStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def add(
        self,
        text: str,
        status: str = "approved",
        source: str = "user",
        conversation_id: int | None = None,
        message_id: int | None = None,
    ) -> int:
        text = " ".join(text.split())[:MAX_FACT_CHARS]
        if not text:
            raise ValueError("A fact cannot be empty.")
        now = time.time()
        with self.database.writing() as db:
            existing = db.execute(
                "select id from facts where casefold(text) = ? and status = ?", [text.casefold(), status]
            ).fetchone()
            if existing:
                return int(existing[0])
            cursor = db.execute(
                "insert into facts(text, status, source, conversation_id, message_id, created_at, updated_at)"
                " values (?, ?, ?, ?, ?, ?, ?)",
                [text, status, source, conversation_id, message_id, now, now],
            )
            fact_id = int(cursor.lastrowid or 0)
            if status == "approved":
                self._index(db, fact_id, text, now)
            self.database.changed(FactsChanged())
        return fact_id

    def propose(
        self,
        text: str,
        conversation_id: int | None = None,
        message_id: int | None = None,
        source: str = "assistant",
    ) -> int:
        return self.add(text, "proposed", source, conversation_id, message_id)

    def approve(self, fact_id: int) -> None:
        with self.database.writing() as db:
            row = db.execute(
                "select text from facts where id = ? and status = 'proposed'", [fact_id]
            ).fetchone()
            if row is None:
                return
            now = time.time()
            db.execute("update facts set status = 'approved', updated_at = ? where id = ?", [now, fact_id])
            self._index(db, fact_id, row[0], now)
            self.database.changed(FactsChanged())

    def edit(self, fact_id: int, text: str) -> None:
        text = " ".join(text.split())[:MAX_FACT_CHARS]
        if not text:
            raise ValueError("A fact cannot be empty; delete it instead.")
        with self.database.writing() as db:
            db.execute("update facts set text = ?, updated_at = ? where id = ?", [text, time.time(), fact_id])
            # Replace the search row: the cascade drops the old vector, the worker embeds anew.
            db.execute("delete from search_items where fact_id = ?", [fact_id])
            row = db.execute("select status from facts where id = ?", [fact_id]).fetchone()
            if row and row[0] == "approved":
                self._index(db, fact_id, text, time.time())
            if row:
                self.database.changed(FactsChanged())

    def delete(self, fact_ids: list[int]) -> int:
        """Deletes the facts, their FTS rows and their vectors (cascade), in one transaction."""
        with self.database.writing() as db:
            count = 0
            for fact_id in fact_ids:
                count += db.execute("delete from facts where id = ?", [fact_id]).rowcount
            if count:
                self.database.changed(FactsChanged())
        return count

    def get(self, fact_id: int) -> Fact | None:
        rows = list(self.database.db.query("select * from facts where id = ?", [fact_id]))
        return Fact.from_row(rows[0]) if rows else None

    def list(self, status: str | None = None) -> list[Fact]:
        sql = "select * from facts" + (" where status = ?" if status else "") + " order by created_at, id"
        return [Fact.from_row(r) for r in self.database.db.query(sql, [status] if status else [])]

    def matching(self, description: str) -> builtins.list[Fact]:
        """Facts that contain every meaningful word of ``description`` ("Forget my sister's
        birthday" matches "My sister's birthday is 3 May"), so forgetting is predictable."""
        words = {_stem(w) for w in query_terms(description) if w not in ("my", "me", "i")}
        if not words:
            return []
        found = []
        for fact in self.list():
            fact_words = {_stem(w) for w in query_terms(fact.text)}
            if words <= fact_words or description.casefold().strip() in fact.text.casefold():
                found.append(fact)
        return found

    @staticmethod
    def _index(db: Any, fact_id: int, text: str, now: float) -> None:
        db.execute(
            "insert into search_items(kind, fact_id, text, created_at) values ('fact', ?, ?, ?)",
            [fact_id, text, now],
        )
