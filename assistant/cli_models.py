"""``assistant models list|info|add|remove|download|remote|embedders``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Only the parsers at import (every command builds them); the rest inside the commands.
from assistant import cli_embedders, cli_remote

if TYPE_CHECKING:
    from assistant.core import Core
    from assistant.models.library import ModelInfo


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = sub.add_parser("models", help="list, inspect, add, download or remove models; remote servers")
    verbs = models.add_subparsers(dest="verb", metavar="VERB", required=True)
    verbs.add_parser("list", help="installed models (read from their GGUF headers)")
    info = verbs.add_parser("info", help="what a .gguf file's header says")
    info.add_argument("file", type=Path)
    add = verbs.add_parser("add", help="add a .gguf file to the library (it is not copied)")
    add.add_argument("file", type=Path)
    remove = verbs.add_parser("remove", help="remove a model from the library")
    remove.add_argument("name", help="file name, display name or path")
    download = verbs.add_parser("download", help="download a model from the catalog")
    download.add_argument("name", nargs="?", help="catalog name; omit to list the catalog")
    cli_remote.add_parser(verbs)
    cli_embedders.add_parser(verbs)


def run(args: argparse.Namespace) -> int:
    from assistant.core import Core
    from assistant.engine.fake import ScriptedEngine
    from assistant.models.library import ModelLibraryError, describe

    if args.verb == "info":
        return _print_info(describe(Path(args.file).expanduser(), "file"))
    # No model process is needed to manage the library.
    core = Core.open(engine=ScriptedEngine())
    try:
        if args.verb == "list":
            return _list(core)
        if args.verb == "remote":
            return cli_remote.run(core, args)
        if args.verb == "embedders":
            return cli_embedders.run(core, args)
        if args.verb == "add":
            info = core.models.add(args.file)
            print(f"Added {info.name} ({info.path}).")
            return 0
        if args.verb == "remove":
            found = core.models.find(args.name)
            if found is None:
                print(
                    f"assistant: no model called {args.name!r}; see `assistant models list`", file=sys.stderr
                )
                return 1
            print(core.models.remove(found.path))
            return 0
        if args.verb == "download":
            from assistant.cli_download import download

            return download(args.name)
    except ModelLibraryError as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return 1
    finally:
        core.close()
    return 2


def _list(core: Core) -> int:
    current = core.settings.effective_model_path()
    for info in core.models.list():
        mark = "*" if current and info.path == current else " "
        if info.error:
            print(f"{mark} {info.path.name:45s} DAMAGED: {info.error}")
            continue
        print(
            f"{mark} {info.path.name:45s} {info.architecture:10s} {info.parameters_label:>6s} "
            f"{info.quantization:8s} {info.file_size / 1e6:8.0f} MB  ctx {info.context_length:<6d} "
            f"{'tools' if info.supports_tools else ''} [{info.source}]"
        )
    return 0


def _print_info(info: ModelInfo) -> int:
    if info.error:
        print(f"assistant: {info.error}", file=sys.stderr)
        return 1
    rows = [
        ("file", str(info.path)),
        ("name", info.name),
        ("architecture", info.architecture),
        ("parameters", f"{info.parameters:,} ({info.parameters_label})"),
        ("quantisation", info.quantization or "unknown"),
        ("file size", f"{info.file_size:,} bytes"),
        ("trained context", f"{info.context_length:,} tokens"),
        ("chat template", "yes" if info.has_chat_template else "no (ChatML is used)"),
        ("tool calling", "yes" if info.supports_tools else "no"),
    ]
    for key, value in rows:
        print(f"{key:16s} {value}")
    return 0
