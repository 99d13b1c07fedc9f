"""``assistant export`` and ``assistant import``: chats to and from files (see assistant.transfer)."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from assistant.core import Core
    from assistant.transfer import ImportProgress

COMMANDS = ("export", "import")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser(
        "export", help="export conversations as JSON (complete, re-importable) or Markdown (to read)"
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--id", dest="ids", type=int, nargs="+", action="extend", metavar="N",
        help="these conversations (ids as `assistant conversations` lists them)",
    )
    which.add_argument("--all", action="store_true", help="every conversation")
    export.add_argument("--format", choices=("json", "md", "markdown"), default="json", help="default: json")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    imp = sub.add_parser(
        "import", help="import chats from our JSON export or ChatGPT's conversations.json (or its .zip)"
    )
    imp.add_argument("file", type=Path, help="the .json file (or the ChatGPT export .zip)")
    imp.add_argument("--yes", action="store_true", help="import without asking (required without a terminal)")


def run(args: argparse.Namespace) -> int:
    from assistant.core import Core
    from assistant.engine.fake import ScriptedEngine
    from assistant.store.db import StorageError
    from assistant.transfer import TransferError

    try:
        core = Core.open(engine=ScriptedEngine())  # no model process is needed here
    except StorageError as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return 1
    try:
        if args.command == "export":
            return _export(core, args, sys.stdout)
        return _import(core, args, sys.stdin, sys.stdout, sys.stderr)
    except (TransferError, StorageError) as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return 1
    finally:
        core.close()


def _export(core: Core, args: argparse.Namespace, out: TextIO) -> int:
    from assistant.transfer import export_conversations

    done = export_conversations(
        core, None if args.all else args.ids, "json" if args.format == "json" else "markdown", args.output
    )
    counts = f"{_n(done.conversations, 'conversation')} ({_n(done.messages, 'message')})"
    print(f"Exported {counts} to {done.path}.", file=out)
    return 0


def _import(core: Core, args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO) -> int:
    from assistant.transfer import embedding_backlog, preview_import, run_import

    preview = preview_import(args.file, core)
    if not preview.ok:
        print(f"assistant: {preview.describe()}", file=err)
        return 1
    print(preview.describe(), file=out)
    if preview.conversations == 0:
        print("Nothing new to import.", file=out)
        return 0
    if not args.yes:
        if not stdin.isatty():
            print("assistant: not importing without a terminal to confirm on; add --yes.", file=err)
            return 1
        out.write(f"Import {_n(preview.conversations, 'conversation')}? [y/N] ")
        out.flush()
        if stdin.readline().strip().casefold() not in ("y", "yes"):
            print("Nothing imported.", file=out)
            return 1
    stop = [False]
    previous = signal.signal(signal.SIGINT, lambda *_: stop.__setitem__(0, True))
    try:
        summary = run_import(core, args.file, _progress_printer(err), cancel=lambda: stop[0])
    finally:
        signal.signal(signal.SIGINT, previous)
        if err.isatty():
            err.write("\n")
    print(summary.describe(), file=out)
    waiting = embedding_backlog(core)
    print(
        "They can be searched by words now; the window embeds them for recall in the background"
        + (f" ({waiting:,} items waiting)." if waiting else "."),
        file=out,
    )
    return 0


def _progress_printer(err: TextIO) -> Callable[[ImportProgress], None] | None:
    if not err.isatty():
        return None

    def show(progress: ImportProgress) -> None:
        err.write(f"\rImporting... {progress.fraction:4.0%} ({progress.conversations:,} conversations)")
        err.flush()

    return show


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
