"""What ChatSession asks of the parts Core plugs into it: the memory, the agent and the
extractive answer. Protocols, so the session needs neither package to run (tests and the
bench leave them out) and the parts need nothing from the session."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from typing import Protocol

from assistant.engine.base import CancelToken, ChatRequest
from assistant.events import AgentEvent, Event
from assistant.memory.events import CitationsUsed, MemoryEvent

#: Everything a turn yields: the chat's own events, the agent's tool cards, the memory's.
SessionEvent = Event | AgentEvent | MemoryEvent


class SessionMemory(Protocol):
    """Recall and user facts (``assistant.memory.Memory``)."""

    def on_user_message(self, conversation_id: int, message_id: int, text: str) -> Iterable[MemoryEvent]:
        """"Remember that ..." / "Forget ...": the facts saved or forgotten."""
        ...

    def prepare(self, conversation_id: int, messages: list[dict[str, str]]) -> list[dict[str, str]]:
        """The prompt's messages with what recall found attached."""
        ...

    def cited(self, conversation_id: int, reply_id: int) -> Iterable[CitationsUsed]:
        """The sources :meth:`prepare` gave the model, stored with the reply."""
        ...


class ComposedReply(Protocol):
    """An answer the app wrote from the tools' results (no model call)."""

    @property
    def composed_text(self) -> str: ...


#: The agent's turn: tool cards and confirmations, then the answer's request or a composed one.
AgentTurn = Generator[SessionEvent, None, ChatRequest | ComposedReply]


class SessionAgent(Protocol):
    """Tool steps before the answer (``assistant.agent.loop.Agent``)."""

    def run(self, conversation_id: int, request: ChatRequest, cancel: CancelToken) -> AgentTurn: ...


class Extractive(Protocol):
    """The quoted answer for a turn whose model cannot use the retrieved passages, or None."""

    def __call__(self, conversation_id: int) -> str | None: ...
