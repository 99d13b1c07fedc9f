"""Whether the active model writes its own answers (Core builds the agent itself)."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings

#: A model this large writes its own answer from tool results; smaller ones get a composed one.
CAPABLE_PARAMETERS = 3_000_000_000
_SIZES: dict[str, int] = {}


def writes_answers(settings: Settings) -> bool:
    """Whether the active model is capable of writing the answer after tools: a remote server
    (a user runs one for a larger model) or a local GGUF of at least CAPABLE_PARAMETERS."""
    if settings.active_connection:
        return True
    found = settings.effective_model_path()
    if not found:
        return False
    path = str(found)
    if path not in _SIZES:
        from assistant.models.gguf_header import read_header

        try:
            _SIZES[path] = read_header(Path(path)).n_params
        except Exception:  # not a GGUF, unreadable: treat as small
            _SIZES[path] = 0
    return _SIZES[path] >= CAPABLE_PARAMETERS
