"""Inference backends behind one :class:`Engine` protocol."""

from assistant.engine.base import (
    CancelToken,
    ChatRequest,
    Engine,
    EngineConfig,
    EngineError,
    GenerationStats,
    RemoteConfig,
)

__all__ = [
    "CancelToken",
    "ChatRequest",
    "Engine",
    "EngineConfig",
    "EngineError",
    "GenerationStats",
    "RemoteConfig",
]
