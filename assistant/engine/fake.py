"""A scripted engine for fast tests of the loop logic (no model, no process)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from assistant.engine.base import (
    CancelToken,
    ChatRequest,
    EngineConfig,
    EngineError,
    EngineEvent,
    GenerationStats,
)
from assistant.events import ModelLoaded, StatusChanged, TextDelta


class ScriptedEngine:
    """Replies with the next scripted text, one word per token; records every request."""

    def __init__(
        self,
        replies: list[str] | None = None,
        token_delay: float = 0.0,
        fail_after_tokens: int | None = None,
    ) -> None:
        self.replies = list(replies or ["Hello from the scripted engine."])
        self.token_delay = token_delay
        self.fail_after_tokens = fail_after_tokens
        self.requests: list[ChatRequest] = []
        self.loaded: EngineConfig | None = None
        self.load_count = 0

    def ensure_loaded(self, config: EngineConfig) -> Iterator[EngineEvent]:
        if self.loaded == config:
            return
        yield StatusChanged("loading", config.model_path)
        self.loaded = config
        self.load_count += 1
        yield ModelLoaded("scripted", config.model_path, config.n_ctx, config.n_threads, 0, 0.0)

    def chat(self, request: ChatRequest, cancel: CancelToken) -> Iterator[EngineEvent]:
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        words = reply.split(" ")
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
            prompt_tokens=sum(len(m["content"].split()) for m in request.messages),
            cached_tokens=0,
            first_token_seconds=0.0,
            tokens_per_second=produced / elapsed,
            keep_from=request.keep_from,
        )

    def close(self) -> None:
        self.loaded = None
