"""The Engine protocol and the plain data that crosses it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from assistant.events import ContextTrimmed, ModelLoaded, StatusChanged, TextDelta


class CancelToken:
    """Set from any thread; the engine checks it between tokens."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        return self._event.wait(timeout)


class EngineError(Exception):
    """A failure explained for the user. ``kind`` lets code and tests tell them apart."""

    def __init__(self, message: str, kind: str = "engine") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class RemoteConfig:
    """An OpenAI-compatible server (vLLM, llama.cpp server, Ollama, LM Studio)."""

    base_url: str  # e.g. http://127.0.0.1:8000/v1
    model: str
    api_key: str = ""
    #: The user's explicit choice to send the key over plain http to another machine.
    allow_insecure_http: bool = False
    connect_timeout: float = 5.0
    #: Longest silence while streaming before we give up on the server.
    read_timeout: float = 60.0


@dataclass(frozen=True)
class EngineConfig:
    model_path: str
    n_ctx: int = 4096
    n_threads: int = 1
    n_gpu_layers: int = 0  # -1: choose automatically from the GPU's free memory
    #: Use at most this much GPU memory (0: no cap beyond what is free).
    gpu_memory_limit: int = 0
    #: Set for a remote engine; model_path is then only a display name.
    remote: RemoteConfig | None = None


@dataclass(frozen=True)
class ChatRequest:
    """Messages are ``{"role": ..., "content": ...}``; the first may be the system prompt.

    Agent turns may add OpenAI-shaped messages: an assistant message with ``tool_calls`` and
    ``{"role": "tool", "tool_call_id": ..., "name": ..., "content": ...}`` results.
    """

    messages: list[dict[str, Any]]
    temperature: float = 0.7
    max_tokens: int = 1024
    seed: int = -1
    #: Index of the first history message the previous turn kept (see ``context.fit``).
    keep_from: int = 0
    #: Keep generating past end-of-turn tokens (benchmarks need an exact token count).
    ignore_eos: bool = False
    #: OpenAI-shaped tool specs (``{"type": "function", "function": {...}}``). The remote
    #: engine sends them as the ``tools`` field; the local engine passes them to a chat
    #: template that knows tools (``native_tools``) and otherwise ignores them.
    tools: list[dict[str, Any]] | None = None
    #: "auto" | "none" | "required" | a tool name (OpenAI semantics); None: not sent.
    tool_choice: str | None = None
    #: Constrain the reply to JSON valid against this schema (llama.cpp grammar locally,
    #: ``response_format`` remotely). Used by the agent's tool choice and argument stages.
    json_schema: dict[str, Any] | None = None
    #: A raw GBNF grammar (local engine only); ``json_schema`` wins when both are set.
    grammar: str | None = None
    #: Render ``tools`` into the model's own chat template (models trained for tool calls).
    native_tools: bool = False
    #: Sampling values over the model's defaults (``assistant.engine.sampling``): the user's
    #: repeat penalty, or a benchmark's fixed settings. None: the model's defaults.
    sampling: dict[str, Any] | None = None


@dataclass(frozen=True)
class GenerationStats:
    stopped: bool
    n_tokens: int
    prompt_tokens: int
    cached_tokens: int
    first_token_seconds: float
    tokens_per_second: float
    keep_from: int = 0
    finish_reason: str = "stop"
    extra: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ToolCallRequest:
    """A tool call the engine parsed itself (OpenAI ``tool_calls`` from a remote server, or a
    scripted one in tests). Grammar-constrained calls arrive as JSON text instead."""

    name: str
    arguments: dict[str, Any]
    call_id: str = ""


EngineEvent = StatusChanged | ModelLoaded | ContextTrimmed | TextDelta | GenerationStats | ToolCallRequest


class EngineCapabilities(Protocol):
    """What the agent and the local API ask an engine before they send it tools."""

    @property
    def supports_tool_calls(self) -> bool:
        """The engine parses tool calls itself (OpenAI ``tools`` in, ``tool_calls`` out)."""
        ...

    @property
    def template_supports_tools(self) -> bool:
        """The loaded model's own chat template renders tool definitions."""
        ...


@runtime_checkable
class OptionChooser(Protocol):
    """An engine that picks one of a few known continuations of ``prefix`` as greedy
    constrained decoding would, without a grammar (engine/scoring.py); None: not now."""

    def choose_option(self, request: ChatRequest, prefix: str, options: list[str]) -> int | None: ...


class Engine(EngineCapabilities, Protocol):
    def ensure_loaded(self, config: EngineConfig) -> Iterator[EngineEvent]:
        """Load ``config`` unless it is already loaded; raise :class:`EngineError` on failure."""
        ...

    def chat(self, request: ChatRequest, cancel: CancelToken) -> Iterator[EngineEvent]:
        """Stream a reply. The last event is a :class:`GenerationStats`."""
        ...

    def close(self) -> None: ...
