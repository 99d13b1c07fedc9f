"""A local OpenAI-compatible API on the window's own engine (``assistant serve``, or Settings).

The UI needs only :class:`ApiServer` and :func:`api_token` (see ``server.py``). The names are
imported on first use: the server pulls in Starlette, uvicorn and the agent (~0.4 s), which
``assistant --help`` and the window's start should not pay for.
"""

from __future__ import annotations

import importlib
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

_EXPORTS = {
    "ApiServer": "assistant.api.server",
    "ApiServerError": "assistant.api.server",
    "is_loopback": "assistant.api.server",
    "api_token": "assistant.api.auth",
    "regenerate_api_token": "assistant.api.auth",
    "token_path": "assistant.api.auth",
}
__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'assistant.api' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
