"""The records and results of export and import (plain data, no I/O)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

#: Our JSON export: ``format`` names it, ``version`` changes when a reader must change.
FORMAT = "offline-assistant-chats"
VERSION = 1

Format = Literal["ours", "chatgpt"]
#: The message statuses the chat stores (assistant/store/migrations.py, 001).
STATUSES = frozenset({"complete", "streaming", "stopped", "interrupted", "failed"})
ROLES = frozenset({"user", "assistant"})
#: The composer's limit (Settings.max_input_chars). Imported messages longer than this are
#: kept whole, since they are the user's data; the summary says how many there were.
COMPOSER_LIMIT = 100_000
#: How many warnings a preview or summary keeps word for word (the rest are counted).
MAX_WARNINGS = 20


class TransferError(Exception):
    """The file cannot be imported (or the export cannot be written): a sentence for the user.
    Nothing was written to the profile."""


class ImportCancelled(TransferError):
    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was imported.")


@dataclass
class MessageData:
    role: str
    content: str
    status: str
    created_at: float
    updated_at: float
    superseded_at: float | None = None
    model: str | None = None
    n_tokens: int | None = None
    #: The reply's citations as stored (JSON objects); None: no citations row.
    citations: list[dict[str, Any]] | None = None
    #: The message's id in the file (our export), so citations pointing at it follow it.
    source_id: int | None = None


@dataclass
class ToolCallData:
    call_id: str
    tool: str
    arguments: Any
    status: str
    started_at: float
    summary: str | None = None
    result: str | None = None
    duration: float | None = None
    #: Index in the conversation's message list of the message the card follows.
    after_message: int | None = None


@dataclass
class ConversationData:
    uid: str
    source: Format
    title: str
    created_at: float
    updated_at: float
    system_prompt: str | None = None
    messages: list[MessageData] = field(default_factory=list)
    tool_calls: list[ToolCallData] = field(default_factory=list)


@dataclass
class Notes:
    """What a reader skipped or had to repair, gathered over a whole file."""

    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    more_warnings: int = 0

    def warn(self, text: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(text)
        else:
            self.more_warnings += 1

    def all_warnings(self) -> list[str]:
        extra = [f"... and {self.more_warnings} more."] if self.more_warnings else []
        return [*self.warnings, *extra]


@dataclass
class ImportPreview:
    """What :func:`run_import` would do with a file; nothing has been written.

    ``error`` set: the file cannot be imported at all (the counts are what was read before
    the problem). ``conversations``/``messages`` count only what is new to this profile.
    """

    path: Path
    format: Format | None = None
    conversations: int = 0
    messages: int = 0
    already_imported: int = 0
    first_at: float | None = None
    last_at: float | None = None
    #: Messages (or conversations) left out, by reason: "system messages", "tool messages"...
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def describe(self) -> str:
        """A few English lines for the CLI (the window words its own dialog)."""
        if self.error:
            return f"Cannot import {self.path.name}. {self.error}"
        kind = {"ours": "an export of this app", "chatgpt": "a ChatGPT export"}.get(self.format or "", "?")
        lines = [f"{self.path.name}: {kind}."]
        lines.append(
            f"New: {_n(self.conversations, 'conversation')}, {_n(self.messages, 'message')}"
            + (f", from {_day(self.first_at)} to {_day(self.last_at)}." if self.first_at else ".")
        )
        return "\n".join(lines + _details(self.already_imported, self.skipped, self.warnings))


@dataclass
class ImportSummary:
    path: Path
    format: Format
    conversation_ids: list[int] = field(default_factory=list)
    messages: int = 0
    already_imported: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def conversations(self) -> int:
        return len(self.conversation_ids)

    def describe(self) -> str:
        lines = [f"Imported {_n(self.conversations, 'conversation')}, {_n(self.messages, 'message')}."]
        return "\n".join(lines + _details(self.already_imported, self.skipped, self.warnings))


@dataclass(frozen=True)
class ImportProgress:
    bytes_read: int
    bytes_total: int
    conversations: int
    messages: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.bytes_read / self.bytes_total) if self.bytes_total else 1.0


ProgressCallback = Callable[[ImportProgress], None]
CancelCheck = Callable[[], bool]


def _details(already: int, skipped: dict[str, int], warnings: list[str]) -> list[str]:
    lines = [f"{_n(already, 'conversation')} already imported (left as they are)."] if already else []
    if skipped:
        lines.append("Not imported: " + ", ".join(f"{r}: {c:,}" for r, c in sorted(skipped.items())) + ".")
    return lines + [f"Note: {w}" for w in warnings]


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _day(timestamp: float | None) -> str:
    if timestamp is None:
        return "?"
    return datetime.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d")


def clean_text(text: str) -> str:
    """As the composer does: NUL bytes dropped, lone surrogates (broken escapes) made U+FFFD,
    since SQLite stores UTF-8 and neither survives it."""
    return text.replace("\x00", "").encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def clean_title(title: str) -> str:
    """One line, as rename_conversation stores titles. HTML stays text (the UI shows it as text)."""
    return " ".join(clean_text(title).split())[:200]


def note_long_messages(conversation: ConversationData, notes: Notes) -> None:
    for message in conversation.messages:
        if len(message.content) > COMPOSER_LIMIT:
            notes.warn(
                f"“{conversation.title[:60]}” has a message of {len(message.content):,} characters "
                f"(more than the composer's {COMPOSER_LIMIT:,}); it was kept whole."
            )
