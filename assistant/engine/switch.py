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
        return (self.active or self.local).supports_tool_calls

    @property
    def template_supports_tools(self) -> bool:
        """Only the local model's template is ours to read (a server renders its own)."""
        return self.active is self.local and self.local.template_supports_tools

    def choose_option(self, request: ChatRequest, prefix: str, options: list[str]) -> int | None:
        """Only the local model process chooses this way; with a server, None."""
        from assistant.engine.local import LocalEngine

        if self.active is self.local and isinstance(self.local, LocalEngine):
            return self.local.choose_option(request, prefix, options)
        return None

    def score_texts(self, texts: list[str]) -> list[tuple[float, int]] | None:
        """Bits per text from the local model process (engine/fluency.py); with a server, None."""
        from assistant.engine.local import LocalEngine

        if self.active is self.local and isinstance(self.local, LocalEngine):
            return self.local.score_texts(texts)
        return None

    @property
    def loaded_path(self) -> str | None:
        """The local model file that answers now; None when a server does (or none is loaded)."""
        from assistant.engine.local import LocalEngine

        if self.active is self.local and isinstance(self.local, LocalEngine):
            return self.local.loaded_path
        return None

    # the local model process (tests and the bench look at it) -----------------------------
    @property
    def pid(self) -> int | None:
        from assistant.engine.local import LocalEngine

        return self.local.pid if isinstance(self.local, LocalEngine) else None

    @property
    def alive(self) -> bool:
        from assistant.engine.local import LocalEngine

        return isinstance(self.local, LocalEngine) and self.local.alive

    def reset_cache(self) -> None:
        """Drop the local model's prompt cache (the bench measures a cold first token)."""
        from assistant.engine.local import LocalEngine

        if isinstance(self.local, LocalEngine):
            self.local.reset_cache()

    def close(self) -> None:
        self.local.close()
        self.remote.close()
