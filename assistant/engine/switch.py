"""Routes to the local model process or a remote server, whichever the settings choose."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.engine.base import CancelToken, ChatRequest, Engine, EngineConfig, EngineError, EngineEvent


class EngineSwitch:
    """Keeps both engines; switching to remote leaves the local model process loaded, so
    switching back is instant."""

    def __init__(self, local: Engine, remote: Engine) -> None:
        self.local = local
        self.remote = remote
        self.active: Engine | None = None

    def ensure_loaded(self, config: EngineConfig) -> Iterator[EngineEvent]:
        engine = self.remote if config.remote is not None else self.local
        yield from engine.ensure_loaded(config)
        self.active = engine

    def chat(self, request: ChatRequest, cancel: CancelToken) -> Iterator[EngineEvent]:
        if self.active is None:
            raise EngineError("The model is not loaded.", "not_loaded")
        yield from self.active.chat(request, cancel)

    @property
    def supports_tool_calls(self) -> bool:
        return bool(getattr(self.active or self.local, "supports_tool_calls", False))

    @property
    def template_supports_tools(self) -> bool:
        return self.active is self.local and bool(getattr(self.local, "template_supports_tools", False))

    def close(self) -> None:
        self.local.close()
        self.remote.close()

    def __getattr__(self, name: str) -> object:
        # pid, hardware, reset_cache ... belong to the local engine (tests and the bench use them).
        return getattr(self.local, name)
