"""The ``assistant`` command. With no arguments it opens the window."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from assistant import __version__, cli_agent, cli_knowledge, cli_models, cli_serve, cli_transfer
from assistant.cli_confirm import TerminalConfirmer, interface_language
from assistant.config import MODEL_ENV
from assistant.engine.base import CancelToken
from assistant.events import (
    ConfirmationNeeded,
    ContextTrimmed,
    Done,
    Failed,
    ModelLoaded,
    ReplyRevised,
    StatusChanged,
    TextDelta,
    ToolResult,
)
from assistant.logs import quiet_third_party_progress, setup_logging

if TYPE_CHECKING:
    from assistant.chat.hooks import SessionEvent
    from assistant.cli_language import TerminalLanguageNote
    from assistant.core import Core


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="An offline assistant that chats with a local GGUF model. "
        "Run without a command to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--model", metavar="FILE.gguf", help="use this model file for this run")
    parser.add_argument(
        "--self-test", action="store_true",
        help="check the installation: load the starter model, answer once, use the database, exit",
    )
    parser.add_argument("--minimized", action="store_true", help="start in the tray (used at login)")
    parser.add_argument(
        "--new-chat", action="store_true", help="open a new chat (in the running window if there is one)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help="open the window (the default)")
    chat = sub.add_parser("chat", help="chat on the terminal (interactive without TEXT)")
    chat.add_argument("text", nargs="*", help="the question; omit for an interactive session")
    chat.add_argument("--model", dest="chat_model", metavar="FILE.gguf", help=argparse.SUPPRESS)
    where = chat.add_mutually_exclusive_group()
    where.add_argument("-c", "--conversation", type=int, metavar="ID", help="continue conversation ID")
    where.add_argument(
        "--continue", dest="cont", action="store_true", help="continue the most recent conversation"
    )
    chat.add_argument("--temperature", type=float, help="sampling temperature (0 = greedy)")
    chat.add_argument("--max-tokens", type=int, help="longest reply, in tokens")
    chat.add_argument(
        "-y", "--yes", action="store_true",
        help="allow actions with side effects (saving a reminder ...) without asking",
    )
    sub.add_parser("conversations", help="list conversations, most recent first")
    cli_models.add_parser(sub)
    cli_knowledge.add_parsers(sub)
    cli_agent.add_parsers(sub)
    cli_transfer.add_parsers(sub)
    cli_serve.add_parsers(sub)
    bench = sub.add_parser("bench", help="measure performance side by side with baselines")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke test)")
    bench.add_argument("--out", type=Path, help="write the figures as JSON here")
    bench.add_argument("--only", action="append", help="run only this measurement (repeatable)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet_third_party_progress()
    setup_logging()
    model = getattr(args, "chat_model", None) or args.model
    if model:
        os.environ[MODEL_ENV] = str(Path(model).expanduser().resolve())
    if args.self_test:
        from assistant.selftest import run_self_test

        status = run_self_test()
        if status == 0:
            from ui.app.selftest import run_window_check

            status = run_window_check()
        return status
    if args.command in (None, "gui"):
        from ui.app.main import main as gui_main

        flags = [flag for flag, on in (("--minimized", args.minimized), ("--new-chat", args.new_chat)) if on]
        return gui_main(flags)
    if args.command == "chat":
        return _chat(args)
    if args.command == "conversations":
        return _list_conversations()
    if args.command == "models":
        return cli_models.run(args)
    if args.command in ("index", "search", "facts"):
        return cli_knowledge.run(args)
    if args.command in cli_agent.COMMANDS:
        return cli_agent.run(args)
    if args.command in cli_transfer.COMMANDS:
        return cli_transfer.run(args)
    if args.command in cli_serve.COMMANDS:
        return cli_serve.run(args, open_core=_open_core)
    if args.command == "bench":
        from assistant.bench.runner import run_bench

        return run_bench(quick=args.quick, out=args.out, only=args.only)
    return 2


def _open_core() -> Core | None:
    from assistant.core import Core
    from assistant.store.db import StorageError

    try:
        return Core.open()
    except StorageError as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return None


def _list_conversations() -> int:
    core = _open_core()
    if core is None:
        return 1
    for conversation in core.chats.list_conversations():
        print(f"{conversation.id:6d}  {conversation.title}")
    core.close()
    return 0


def _chat(args: argparse.Namespace) -> int:
    core = _open_core()
    if core is None:
        return 1
    settings = core.settings
    if args.temperature is not None:
        settings.temperature = args.temperature
    if args.max_tokens is not None:
        settings.max_reply_tokens = args.max_tokens
    from assistant.store.db import StorageError

    confirm = TerminalConfirmer(
        sys.stdin, sys.stderr, bool(args.yes), interface_language(settings.language)
    )
    from assistant.cli_language import TerminalLanguageNote
    from assistant.models.language_advice import core_advisor

    note = TerminalLanguageNote(core_advisor(core), interface_language(settings.language), sys.stdout)
    try:
        conversation_id = _pick_conversation(core, args)
        if args.text:
            return _turn(core, conversation_id, " ".join(args.text), confirm, note)
        return _interactive(core, conversation_id, confirm, note)
    except StorageError as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return 1
    finally:
        core.close()


def _pick_conversation(core: Core, args: argparse.Namespace) -> int:
    if args.conversation is not None:
        if core.chats.conversation(args.conversation) is None:
            raise SystemExit(f"assistant: there is no conversation {args.conversation}")
        return int(args.conversation)
    if args.cont:
        recent = core.chats.list_conversations()
        if recent:
            return recent[0].id
    return core.chats.create_conversation()


def _turn(
    core: Core,
    conversation_id: int,
    text: str,
    confirm: TerminalConfirmer,
    note: TerminalLanguageNote | None = None,
) -> int:
    cancel = CancelToken()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.cancel())
    try:
        events = core.session.send(conversation_id, text, cancel)
        if note is not None:
            events = note.watch(events, text)
        return print_events(events, sys.stdout, sys.stderr, confirm)
    finally:
        signal.signal(signal.SIGINT, previous)


def _interactive(
    core: Core, conversation_id: int, confirm: TerminalConfirmer, note: TerminalLanguageNote | None = None
) -> int:
    print("Chatting offline. Ctrl+C stops a reply, Ctrl+D (or /quit) leaves.", file=sys.stderr)
    status = 0
    while True:
        try:
            text = input("> ")
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            return status
        if text.strip() in ("/quit", "/exit"):
            return status
        if text.strip():
            status = _turn(core, conversation_id, text, confirm, note)


def print_events(
    events: Iterable[SessionEvent], out: TextIO, err: TextIO, confirm: TerminalConfirmer | None = None
) -> int:
    """Stream a turn to the terminal. Returns the process exit status. Confirmations are
    answered before the turn resumes (refused when nobody can be asked: never a silent wait)."""
    status = 0
    for event in events:
        if isinstance(event, ConfirmationNeeded):
            confirm = confirm or TerminalConfirmer(sys.stdin, err, language=interface_language())
            confirm.answer(event)
            if confirm.refused_without_terminal:
                status = 1
        elif isinstance(event, ToolResult):
            err.write(f"[{event.tool}: {event.summary}]\n")
        elif isinstance(event, ReplyRevised):  # what streamed was cut where the loop began
            out.write(f"\n\n{event.note}")
        elif isinstance(event, TextDelta):
            out.write(event.text)
            out.flush()
        elif isinstance(event, StatusChanged) and event.state == "loading":
            err.write(f"[loading {event.detail}]\n")
        elif isinstance(event, ModelLoaded):
            err.write(f"[ready: {event.name}, {event.load_seconds:.1f} s]\n")
        elif isinstance(event, ContextTrimmed):
            err.write(
                f"[{event.dropped_messages} older messages left out of the model's view; "
                "they are still saved]\n"
            )
        elif isinstance(event, Done):
            out.write("\n")
            if event.status == "stopped":
                err.write("[stopped]\n")
        elif isinstance(event, Failed):
            err.write(f"assistant: {event.message}\n")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
