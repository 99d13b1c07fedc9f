"""Typed events of the memory: citations given to a reply, facts saved or forgotten.

They travel in the same stream as :mod:`assistant.events` (``ChatSession.send`` yields
them); kept here so the core's event module stays the chat's own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Citation:
    """Reference ``[n]`` in the prompt; enough for the UI to link to its source."""

    n: int
    kind: str  # message | fact | chunk
    label: str  # human-readable source ("notes.pdf, page 4, “Budget”")
    snippet: str
    conversation_id: int | None = None
    message_id: int | None = None
    fact_id: int | None = None
    collection_id: int | None = None
    chunk_id: int | None = None
    path: str | None = None
    heading: str | None = None
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        values: dict[str, Any] = {k: data.get(k) for k in cls.__dataclass_fields__}
        return cls(**values)


@dataclass(frozen=True)
class CitationsUsed:
    """The reference material given to the model for reply ``message_id``, numbered as in
    the prompt. The reply may cite them as [n]."""

    conversation_id: int
    message_id: int
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class FactSaved:
    """A fact was stored: ``status`` approved (the user asked) or proposed (needs approval)."""

    fact_id: int
    text: str
    status: str


@dataclass(frozen=True)
class FactsForgotten:
    fact_ids: tuple[int, ...]
    texts: tuple[str, ...]
    #: What the user asked to forget (shown when nothing matched).
    request: str = ""


MemoryEvent = CitationsUsed | FactSaved | FactsForgotten
