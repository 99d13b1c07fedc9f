"""``assistant models embedders [list|download ID|use ID|cancel]``: the search model.

``use`` records the new model; the window's background worker computes its vectors beside the
old ones and search changes over when they cover everything. ``use --wait`` does that work
here, with progress, and returns when the new model is active (Ctrl+C stops; running it again
carries on from there).
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING, TextIO

# Only the parser at import (every command builds it, `assistant search` too); the catalog,
# the downloads and the embedder are imported by the commands that use them.
if TYPE_CHECKING:
    from assistant.core import Core
    from assistant.memory.switch import SwitchStatus
    from assistant.models.embedder_catalog import EmbedderEntry


def add_parser(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    emb = verbs.add_parser("embedders", help="the embedding model used by search and recall")
    actions = emb.add_subparsers(dest="emb_verb", metavar="ACTION")
    actions.add_parser("list", help="the embedding models, which is active, which are downloaded")
    download = actions.add_parser("download", help="download an embedding model (resumable)")
    download.add_argument("id")
    use = actions.add_parser("use", help="switch search to a model (re-embeds everything first)")
    use.add_argument("id")
    use.add_argument("--wait", action="store_true", help="compute the new vectors now, with progress")
    actions.add_parser("cancel", help="stop a switch under way; the old model stays")


def run(core: Core, args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    from assistant.memory.embedder import EmbedderError
    from assistant.models.catalog import CatalogError
    from assistant.models.embedder_catalog import find_embedder, load_embedders

    try:
        entries = load_embedders()
        verb = args.emb_verb or "list"
        if verb == "list":
            return _list(core, entries, out)
        if verb == "cancel":
            core.memory.switch.cancel()
            out.write("No model change under way now; search keeps its current model.\n")
            return 0
        entry = find_embedder(entries, args.id)
        if verb == "download":
            return download(entry, out, err)
        if verb == "use":
            return _use(core, entry, args.wait, out, err)
    except (CatalogError, EmbedderError) as exc:
        err.write(f"assistant: {exc}\n")
        return 1
    return 2


def _list(core: Core, entries: list[EmbedderEntry], out: TextIO) -> int:
    from assistant.models.embedder_catalog import BUNDLED_ID

    settings = core.memory.settings
    active, target = settings.embedding_model or BUNDLED_ID, settings.embedding_next
    for e in entries:
        mark = "*" if e.id == active else ">" if e.id == target else " "
        if e.bundled:
            state = "bundled"
        elif e.installed:
            state = "verified" if e.install_record().get("verified") else "installed"
        else:
            partial = e.partial_bytes()
            size = f"{e.download_bytes / 1e6:.0f} MB"
            state = f"{partial / e.download_bytes:.0%} paused" if partial else size
        langs = "many languages" if e.languages == "multi" else "English"
        out.write(f"{mark} {e.id:24} {state:>10}  {e.dim}-dim  {langs:15} {e.display_name}\n")
    if active not in {e.id for e in entries}:
        out.write(f"* (folder) {active}\n")
    status = core.memory.switch.status()
    if status.state != "idle":
        extra = f": {status.error}" if status.error else ""
        out.write(f"Switching to {status.target}: {status.done:,} of {status.total:,} items embedded "
                  f"({status.state}{extra}).\n")
    return 0


def download(entry: EmbedderEntry, out: TextIO, err: TextIO, **options: object) -> int:
    from assistant.cli_download import write_progress
    from assistant.engine.base import CancelToken
    from assistant.models.download_events import DownloadDone, DownloadFailed, DownloadPaused
    from assistant.models.embedder_download import download_embedder

    if entry.installed:
        out.write(f"{entry.display_name} is ready: {entry.folder}\n")
        return 0
    cancel = CancelToken()  # Ctrl+C pauses; running the command again resumes
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.cancel())
    try:
        for event in download_embedder(entry, cancel, **options):
            if write_progress(event, err, "files"):
                continue
            if isinstance(event, DownloadPaused):
                err.write("\nPaused. Run the same command again to resume.\n")
                return 130
            elif isinstance(event, DownloadDone):
                record = entry.install_record()
                how = ("every file matched its published SHA-256" if record.get("verified") else
                       f"SHA-256 checked: {', '.join(record.get('checked_by_sha256', [])) or 'none'}; "
                       "the other files have no published checksum and were checked by size")
                out.write(f"{entry.display_name} is ready: {event.path} ({how}).\n"
                          f"Use it with: assistant models embedders use {entry.id}\n")
                return 0
            elif isinstance(event, DownloadFailed):
                err.write(f"\nassistant: {event.message}\n")
                return 1
    finally:
        signal.signal(signal.SIGINT, previous)
    return 1


def _use(core: Core, entry: EmbedderEntry, wait: bool, out: TextIO, err: TextIO) -> int:
    from assistant.engine.base import CancelToken

    status = core.memory.switch.begin(entry.id)
    if status.state == "idle":
        out.write(f"Search uses {entry.display_name}.\n")
        return 0
    if not wait:
        out.write(f"Switching to {entry.display_name}: {status.done:,} of {status.total:,} items have its "
                  "vectors. The app computes the rest in the background and changes over when they "
                  "are complete (or run this again with --wait).\n")
        return 0
    cancel = CancelToken()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.cancel())

    def show(status: SwitchStatus) -> None:
        err.write(f"\rEmbedding with the new model: {status.done:,} of {status.total:,}    ")

    try:
        final = core.memory.switch.run_here(show, lambda: cancel.cancelled)
    finally:
        signal.signal(signal.SIGINT, previous)
    if final.state == "idle":
        out.write(f"\nSearch now uses {entry.display_name}; the old vectors were removed.\n")
        return 0
    if final.error:
        err.write(f"\nassistant: {final.error}\n")
        return 1
    err.write("\nStopped. Run the same command again to carry on.\n")
    return 130
