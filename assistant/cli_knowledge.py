"""``assistant index PATH``, ``assistant search "query"``, ``assistant facts list|add|forget``."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from assistant.core import Core
    from assistant.knowledge.events import IndexEvent, IndexFinished
    from assistant.memory.service import Memory

# Imports of the knowledge package, the models and the embedder stay inside the commands that
# use them: `assistant search` must answer in well under a second (see cli.py).

KINDS = {"chats": "message", "facts": "fact", "documents": "chunk"}


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    index = sub.add_parser("index", help="index a folder or file of documents (.txt .md .pdf .docx .html)")
    index.add_argument("path", type=Path)
    index.add_argument("--force", action="store_true", help="re-index every file, changed or not")
    index.add_argument("--remove", action="store_true", help="remove this collection and its index instead")
    search = sub.add_parser("search", help="search chats, facts and documents by meaning and by words")
    search.add_argument("query", nargs="+")
    search.add_argument("-k", type=int, default=10, help="how many hits (default 10)")
    search.add_argument(
        "--in",
        dest="kinds",
        action="append",
        choices=sorted(KINDS),
        help="only these kinds (repeatable; default: all)",
    )
    search.add_argument(
        "--wait",
        action="store_true",
        help="load the embedding model (a few seconds) and include matches by meaning",
    )
    search.add_argument("--words-only", action="store_true", help=argparse.SUPPRESS)  # the default now
    facts = sub.add_parser("facts", help="list, add or forget what the assistant remembers about you")
    verbs = facts.add_subparsers(dest="verb", metavar="VERB", required=True)
    verbs.add_parser("list", help="every fact, proposed ones marked")
    add = verbs.add_parser("add", help="remember a fact")
    add.add_argument("text", nargs="+")
    forget = verbs.add_parser("forget", help="forget facts by id, or every fact matching the words")
    forget.add_argument("what", nargs="+")
    approve = verbs.add_parser("approve", help="approve a proposed fact")
    approve.add_argument("id", type=int)


def _core() -> Core:
    from assistant.core import Core
    from assistant.engine.fake import ScriptedEngine

    return Core.open(engine=ScriptedEngine())  # no model process is needed here


def run(args: argparse.Namespace) -> int:
    if args.command == "search":
        return _search_only(args)
    from assistant.knowledge.collections import CollectionError
    from assistant.store.db import StorageError

    try:
        core = _core()
    except StorageError as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return 1
    try:
        if args.command == "index":
            return _index(core, args, sys.stdout, sys.stderr)
        return _facts(core, args, sys.stdout)
    except (CollectionError, StorageError, ValueError) as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return 1
    finally:
        core.close()


def _index(core: Core, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assistant.knowledge.events import IndexFinished

    if args.remove:
        found = core.knowledge.collections.find(args.path)
        if found is None:
            print(f"assistant: {args.path} is not a collection", file=err)
            return 1
        core.knowledge.remove(found.id)
        print(f"Removed {found.root} and its index.", file=out)
        return 0
    collection = core.knowledge.add(args.path)
    print(f"indexing {collection.root} (loading the embedding model) ...", file=err, flush=True)
    finished: IndexFinished | None = None
    for event in core.knowledge.index(collection.id, force=args.force):
        _progress(event, err)
        if isinstance(event, IndexFinished):
            finished = event
    err.write("\n")
    status = core.knowledge.collections.status(collection.id)
    if finished and status:
        print(
            f"{status.files} files: {finished.indexed} indexed, {finished.unchanged} unchanged, "
            f"{finished.skipped} skipped, {finished.removed} removed; {status.chunks} passages in "
            f"{finished.seconds:.1f} s.",
            file=out,
        )
        for path, reason in status.skipped:
            print(f"  skipped {path}: {reason}", file=out)
    return 0


def _progress(event: IndexEvent, err: TextIO) -> None:
    from assistant.knowledge.events import FileSkipped, IndexProgress, IndexStarted

    if isinstance(event, IndexStarted):
        err.write(
            f"{event.files_total} files to index, {event.unchanged} unchanged, {event.removed} removed\n"
        )
    elif isinstance(event, FileSkipped):
        err.write(f"\nskipped {event.path}: {event.reason}\n")
    elif isinstance(event, IndexProgress):
        eta = "" if event.eta_seconds is None else f", about {event.eta_seconds:.0f} s left"
        name = Path(event.current_file).name[:40]
        err.write(f"\r[{event.files_done}/{event.files_total}] {event.chunks_done} passages{eta}  {name:40s}")
    err.flush()


def _search_only(args: argparse.Namespace) -> int:
    """``assistant search`` opens the database and the memory only: no agent, no engine, no
    collection watcher (Core.open costs ~0.5 s of imports a search does not need)."""
    from assistant.memory.service import Memory
    from assistant.store.db import StorageError, open_database

    try:
        # No integrity check (seconds on a large profile) for a search that only reads.
        database = open_database(check=False)
    except StorageError as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return 1
    memory = Memory(database)
    try:
        return _search(memory, args, sys.stdout)
    except (StorageError, ValueError) as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:  # damage the skipped integrity check would have named
        print(
            f"assistant: the database {database.path} cannot be read ({exc}). "
            "Open the app: it checks the file and offers to restore a backup.",
            file=sys.stderr,
        )
        return 1
    finally:
        memory.stop()
        database.close()


def _search(memory: Memory, args: argparse.Namespace, out: TextIO) -> int:
    """Keyword results at once; ``--wait`` loads the embedding model to add vectors."""
    kinds = [KINDS[k] for k in args.kinds] if args.kinds else list(KINDS.values())
    start = time.perf_counter()
    wait = args.wait and not args.words_only
    hits = memory.search(" ".join(args.query), kinds, args.k, wait_for_model=wait)
    if not hits:
        print("Nothing found.", file=out)
        return 1
    for rank, hit in enumerate(hits, 1):
        where = hit.source_label()
        link = ""
        if hit.kind == "message":
            link = f"  (conversation {hit.conversation_id}, message {hit.message_id})"
        elif hit.kind == "chunk":
            link = f"  (chunk {hit.chunk_id})"
        print(f"{rank:2d}. [{hit.kind}] {where}{link}", file=out)
        print(f"    {' '.join(hit.snippet.split())}", file=out)
    out.flush()
    how = "" if wait else " by words; --wait adds matches by meaning"
    print(f"({len(hits)} hits in {time.perf_counter() - start:.2f} s{how})", file=sys.stderr)
    return 0


def _facts(core: Core, args: argparse.Namespace, out: TextIO) -> int:
    facts = core.memory.facts
    if args.verb == "list":
        for fact in facts.list():
            mark = "?" if fact.status == "proposed" else " "
            learned = time.strftime("%Y-%m-%d", time.localtime(fact.created_at))
            where = f", conversation {fact.conversation_id}" if fact.conversation_id else ""
            print(f"{mark}{fact.id:5d}  {fact.text}   [{learned}{where}]", file=out)
        return 0
    if args.verb == "add":
        fact_id = facts.add(" ".join(args.text))
        print(f"Remembered (fact {fact_id}).", file=out)
        return 0
    if args.verb == "approve":
        facts.approve(args.id)
        print(f"Approved fact {args.id}.", file=out)
        return 0
    what = " ".join(args.what)
    ids = (
        [int(w) for w in args.what if w.isdigit()]
        if all(w.isdigit() for w in args.what)
        else [f.id for f in facts.matching(what)]
    )
    count = facts.delete(ids)
    print(f"Forgot {count} fact{'s' if count != 1 else ''}.", file=out)
    return 0 if count else 1
