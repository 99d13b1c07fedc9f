"""``assistant models remote list|add|remove``: OpenAI-compatible servers from the command line.

The API key is never an argument (it would show in ``ps`` and the shell history): ``--with-key``
asks for it without echo, or reads one line from standard input when that is not a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

# Only the parser at import (every command builds it, `assistant search` too).
if TYPE_CHECKING:
    from assistant.core import Core


def add_parser(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    remote = verbs.add_parser("remote", help="remote OpenAI-compatible servers (vLLM, llama.cpp, Ollama)")
    actions = remote.add_subparsers(dest="remote_verb", metavar="ACTION", required=True)
    actions.add_parser("list", help="the connections (keys are never shown)")
    add = actions.add_parser("add", help="add a server")
    add.add_argument("url", help="e.g. https://gpu.example.org/v1 or localhost:8000")
    add.add_argument("model", help="the model name the server should use")
    add.add_argument("--name", default="", help="a name to show (default: the model)")
    add.add_argument("--n-ctx", type=int, default=8192, help="context length in tokens")
    add.add_argument("--with-key", action="store_true",
                     help="the server needs an API key: asked for without echo, or read from stdin")
    add.add_argument("--allow-insecure-http", action="store_true",
                     help="send the API key over plain http to another machine (unencrypted)")
    remove = actions.add_parser("remove", help="remove a connection and its stored key")
    remove.add_argument("id", type=int)


def run(core: Core, args: argparse.Namespace) -> int:
    from assistant.models.connections import ConnectionError_
    from assistant.store.db import StorageError

    try:
        if args.remote_verb == "list":
            return _list(core)
        if args.remote_verb == "add":
            return _add(core, args)
        if args.remote_verb == "remove":
            if core.connections.get(args.id) is None:
                print(f"assistant: no connection {args.id}; see `assistant models remote list`",
                      file=sys.stderr)
                return 1
            core.connections.remove(args.id)
            print(f"Removed connection {args.id} and its API key.")
            return 0
    except (ConnectionError_, StorageError) as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return 1
    return 2


def _list(core: Core) -> int:
    active = core.settings.active_connection
    for c in core.connections.list():
        notes = ["key" if c.has_key else "", "http allowed" if c.allow_insecure_http else ""]
        extra = ", ".join(n for n in notes if n)
        print(f"{'*' if c.id == active else ' '} {c.id:3d}  {c.name} — {c.model} @ {c.base_url}"
              + (f"  [{extra}]" if extra else ""))
    return 0


def _add(core: Core, args: argparse.Namespace) -> int:
    from assistant.engine.openai_http import key_in_clear
    from assistant.models.connections import key_file_message
    from assistant.store.secrets import IN_FILE

    key = _read_key() if args.with_key else ""
    if args.with_key and not key:
        print("assistant: no API key was given.", file=sys.stderr)
        return 1
    new_id = core.connections.add(args.name, args.url, args.model, key, args.n_ctx,
                                  allow_insecure_http=args.allow_insecure_http)
    added = core.connections.get(new_id)
    assert added is not None
    print(f"Added connection {new_id}: {added.name} — {added.model} @ {added.base_url}")
    if key and core.connections.last_key_place == IN_FILE:
        print(f"Note: {key_file_message(core.connections.key_file)}", file=sys.stderr)
    elif key:
        print("The API key is kept in the system keyring.")
    if key_in_clear(added.base_url, bool(key), allowed=False):  # allowed by the flag, still said
        print("Warning: the API key will be sent unencrypted over plain http, as you chose.",
              file=sys.stderr)
    return 0


def _read_key() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("API key (not shown): ").strip()
    return sys.stdin.readline().strip()
