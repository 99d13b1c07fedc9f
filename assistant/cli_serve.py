"""``assistant serve``: the local OpenAI-compatible API without the window.

The window has the same server behind a switch in Settings, sharing its already-loaded model;
use that while the window is open, or this command and the window load the model twice.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from assistant.core import Core

COMMANDS = ("serve",)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from assistant.api import DEFAULT_HOST, DEFAULT_PORT

    serve = sub.add_parser(
        "serve", help="serve an OpenAI-compatible API (/v1/chat/completions, /v1/embeddings) on this machine"
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--show-token", action="store_true", help="print the API token (made on first use)")
    serve.add_argument(
        "--allow-remote", action="store_true",
        help="allow an address other machines can reach (plain http: anyone on the network sees the token)",
    )


def run(
    args: argparse.Namespace,
    out: TextIO | None = None,
    err: TextIO | None = None,
    *,
    open_core: Callable[[], Core | None],
) -> int:
    # Looked up per call, not bound at import, so redirected streams (tests, pipes) are honoured.
    out, err = out or sys.stdout, err or sys.stderr
    from assistant.api import ApiServer, ApiServerError, api_token, is_loopback, token_path

    if not is_loopback(args.host) and not args.allow_remote:
        err.write(f"assistant: {args.host} is reachable from other machines; the API serves 127.0.0.1 only. "
                  "Add --allow-remote to serve it anyway.\n")
        return 2
    if not is_loopback(args.host):
        err.write(f"warning: serving on {args.host}: other machines can reach the API, over plain http "
                  "(the token and every chat travel unencrypted).\n")
    core = open_core()
    if core is None:
        return 1
    try:
        token = api_token()
        server = ApiServer(core, args.host, args.port, token, allow_remote=args.allow_remote)
        server.start()
    except ApiServerError as exc:
        err.write(f"assistant: {exc}\n")
        core.close()
        return 1
    try:
        _preload(core, err)
        out.write(f"OpenAI-compatible API on {server.url}\n")
        shown = token if args.show_token else f"in {token_path()} (--show-token prints it)"
        out.write(f"token: {shown}\n")
        out.write("Ctrl+C stops.\n")
        out.flush()
        _wait_for_signal()
    finally:
        server.stop()
        core.close()
    return 0


def _preload(core: Core, err: TextIO) -> None:
    """Load the model now so the first request does not wait for it; a failure is reported but
    does not stop the server (embeddings still work, and the model is retried per request)."""
    from assistant.events import Failed, ModelLoaded

    for event in core.session.preload():
        if isinstance(event, ModelLoaded):
            err.write(f"[ready: {event.name}, {event.load_seconds:.1f} s]\n")
        elif isinstance(event, Failed):
            err.write(f"assistant: the model is not loaded: {event.message}\n")


def _wait_for_signal() -> None:
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
