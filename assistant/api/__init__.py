"""A local OpenAI-compatible API on the window's own engine (``assistant serve``, or Settings).

The UI needs only :class:`ApiServer` and :func:`api_token` (see ``server.py``). The server's
names are imported on first use: it pulls in Starlette, uvicorn and the agent (~0.4 s), which
``assistant --help`` and the window's start should not pay for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from assistant.api.auth import api_token, regenerate_api_token, token_path
from assistant.config import DEFAULT_API_HOST as DEFAULT_HOST
from assistant.config import DEFAULT_API_PORT as DEFAULT_PORT

if TYPE_CHECKING:  # what the type checker sees; at run time __getattr__ imports them on first use
    from assistant.api.server import ApiServer, ApiServerError, is_loopback

_LAZY = {"ApiServer", "ApiServerError", "is_loopback"}
__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "ApiServer",
    "ApiServerError",
    "api_token",
    "is_loopback",
    "regenerate_api_token",
    "token_path",
]


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'assistant.api' has no attribute {name!r}")
    return getattr(importlib.import_module("assistant.api.server"), name)
