"""A scripted engine for fast tests of the loop logic (no model, no process)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from assistant.engine.base import (
    CancelToken,
    ChatRequest,
    EngineConfig,
    EngineError,
    EngineEvent,
    GenerationStats,
    ToolCallRequest,
)
from assistant.events import ModelLoaded, StatusChanged, TextDelta


class ScriptedEngine:
    """Replies with the next scripted text, one word per token; records every request.

    A reply may also be a dict ``{"tool_call": {"name": ..., "arguments": {...}}}``: the engine
    then yields a :class:`ToolCallRequest`, as a remote engine does for OpenAI ``tool_calls``.
    A callable reply is called with the request and returns the text (or such a dict).
    """

    def __init__(
        self,
        replies: list[Any] | None = None,
        token_delay: float = 0.0,
        fail_after_tokens: int | None = None,
        constrained: list[Any] | None = None,
    ) -> None:
        self.replies = list(replies or ["Hello from the scripted engine."])
        #: Replies to requests with a ``json_schema`` (the agent's tool stages), in order. When
        #: none are left the engine declines: ``{"tool": "none"}``, so plain chats are unaffected.
        self.constrained = list(constrained or [])
        self.token_delay = token_delay
        self.fail_after_tokens = fail_after_tokens
        self.requests: list[ChatRequest] = []
        self.loaded: EngineConfig | None = None
        self.load_count = 0
        #: Tests set these to play a server that parses tool calls / a template that knows tools.
        self.supports_tool_calls = False
        self.template_supports_tools = False

    def ensure_loaded(self, config: EngineConfig) -> Iterator[EngineEvent]:
        if self.loaded == config:
            return
        yield StatusChanged("loading", config.model_path)
        self.loaded = config
        self.load_count += 1
        yield ModelLoaded("scripted", config.model_path, config.n_ctx, config.n_threads, 0, 0.0)

    def chat(self, request: ChatRequest, cancel: CancelToken) -> Iterator[EngineEvent]:
        self.requests.append(request)
        if request.json_schema is not None:
            reply = self.constrained.pop(0) if self.constrained else '{"tool": "none"}'
        else:
            reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if callable(reply):
            reply = reply(request)
        if isinstance(reply, dict):
            call = reply["tool_call"]
            yield ToolCallRequest(call["name"], dict(call.get("arguments") or {}), call.get("id", ""))
            reply = ""
        words = reply.split(" ") if reply else []
        start = time.perf_counter()
        produced = 0
        for index, word in enumerate(words):
            if cancel.cancelled:
                break
            if self.fail_after_tokens is not None and produced >= self.fail_after_tokens:
                self.loaded = None
                raise EngineError("The model process stopped unexpectedly.", "crashed")
            if self.token_delay:
                time.sleep(self.token_delay)
            produced += 1
            yield TextDelta(word if index == 0 else " " + word)
        elapsed = max(time.perf_counter() - start, 1e-9)
        yield GenerationStats(
            stopped=cancel.cancelled,
            n_tokens=produced,
            prompt_tokens=sum(len(str(m.get("content") or "").split()) for m in request.messages),
            cached_tokens=0,
            first_token_seconds=0.0,
            tokens_per_second=produced / elapsed,
            keep_from=request.keep_from,
        )

    def close(self) -> None:
        self.loaded = None
