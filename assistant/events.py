"""Typed events the core yields while it works.

The UI (through ``ui/bridge/workers.py``) and the CLI consume these; nothing in the core knows
who is listening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

State = Literal["loading", "ready", "generating", "error", "idle"]
ReplyStatus = Literal["complete", "stopped", "interrupted", "streaming", "failed"]


@dataclass(frozen=True)
class StatusChanged:
    state: State
    detail: str = ""


@dataclass(frozen=True)
class ModelLoaded:
    name: str
    path: str
    n_ctx: int
    n_threads: int
    n_gpu_layers: int
    load_seconds: float
    #: Why these settings (GPU layers chosen, a fallback after running out of memory, ...).
    detail: str = ""
    backend: str = "CPU"


@dataclass(frozen=True)
class MessageStored:
    """A message was written to the database (the user's, before generation starts)."""

    conversation_id: int
    message_id: int
    role: str
    content: str


@dataclass(frozen=True)
class ReplyStarted:
    conversation_id: int
    message_id: int


@dataclass(frozen=True)
class ContextTrimmed:
    """Older turns were left out of the prompt (they stay in storage)."""

    dropped_messages: int
    kept_messages: int


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class Done:
    conversation_id: int
    message_id: int
    status: ReplyStatus
    n_tokens: int = 0
    tokens_per_second: float = 0.0
    first_token_seconds: float = 0.0
    prompt_tokens: int = 0
    cached_tokens: int = 0


@dataclass(frozen=True)
class ReplyRevised:
    """The reply was cut short and rewritten (it had fallen into a loop): ``text`` replaces
    what streamed so far, as stored; ``note`` is the short explanation ``text`` ends with."""

    conversation_id: int
    message_id: int
    text: str
    note: str
    reason: str = "loop"


@dataclass(frozen=True)
class Failed:
    """Something went wrong; ``message`` is written for the user, ``kind`` for code."""

    message: str
    kind: str = "error"
    conversation_id: int | None = None
    message_id: int | None = None
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MessagesSuperseded:
    """Regenerate or an edit hid these stored messages (oldest first): they are no longer part
    of the conversation's visible history. Yielded before the new reply starts."""

    conversation_id: int
    message_ids: tuple[int, ...]


@dataclass(frozen=True)
class ConversationCreated:
    """A send created this conversation (it was given none); ``title`` as stored."""

    conversation_id: int
    title: str


@dataclass(frozen=True)
class ConversationRenamed:
    """The conversation's title changed (a "New chat" is titled after its first message)."""

    conversation_id: int
    title: str


Event = (
    StatusChanged
    | ModelLoaded
    | MessageStored
    | ReplyStarted
    | ContextTrimmed
    | TextDelta
    | ReplyRevised
    | Done
    | Failed
    | MessagesSuperseded
    | ConversationCreated
    | ConversationRenamed
)


# The agent's events (tool cards in the chat view) ---------------------------------------
@dataclass(frozen=True)
class ToolCallStarted:
    """A tool is about to run (after any confirmation). The UI opens a compact card."""

    conversation_id: int
    call_id: str
    tool: str
    arguments: dict[str, object]
    #: The exact action in words, with parsed times ("Remind 'call mum' on Thu 15 Jan 09:00").
    action: str = ""
    side_effects: bool = False
    online: bool = False


class ConfirmationTicket(Protocol):
    """What a confirmation is answered through (``assistant.agent.confirm.Ticket``)."""

    def take(self) -> None:
        """Someone will answer (an unread ticket is refused quickly instead of waited on)."""
        ...

    def answer(self, allow: bool, always: bool = False) -> None: ...


@dataclass(frozen=True)
class ConfirmationNeeded:
    """The agent waits until ``ticket.answer(...)`` is called (from any thread) or the turn is
    cancelled. Show ``action``; offer Allow / Deny and "always allow this tool"."""

    conversation_id: int
    call_id: str
    tool: str
    arguments: dict[str, object]
    action: str
    online: bool
    handle: ConfirmationTicket  # read it as ``ticket``
    #: False for online tools, bulk actions and turns that read untrusted text: offer no
    #: "always allow" (the agent would not honour it there anyway).
    can_always_allow: bool = True

    @property
    def ticket(self) -> ConfirmationTicket:
        """The ticket to answer. Reading it says someone will: an event that nobody reads (a
        program that ignores confirmations) is refused at once instead of waited on."""
        self.handle.take()
        return self.handle


@dataclass(frozen=True)
class ToolResult:
    """A tool finished (or was refused). ``status``: ok | error | denied | timeout."""

    conversation_id: int
    call_id: str
    tool: str
    status: str
    summary: str  # one line for the card's header
    content: str  # the full result (the card's expanded body)
    duration_seconds: float = 0.0


AgentEvent = ToolCallStarted | ConfirmationNeeded | ToolResult
