"""Export and import of chats (Qt-free; the window and ``assistant export|import`` use it).

Public API (``target`` is a ``Core`` or a ``Database``)::

    export_conversations(target, ids: list[int] | None, fmt: "json" | "markdown", out: Path)
        -> ExportSummary(path, conversations, messages)
        ids=None exports every conversation not in the trash. JSON is lossless and re-importable
        (messages with superseded branches, system prompt, model, citations, tool calls, a
        format version); Markdown is for reading. The file appears whole or not at all.

    preview_import(path: Path, target=None) -> ImportPreview
        Reads the whole file as a stream and writes nothing. ``preview.error`` is a sentence
        when the file cannot be imported (damaged, not JSON, not an export we know);
        otherwise: format ("ours" | "chatgpt"), conversations and messages that are new,
        already_imported (with a target), first_at/last_at (epoch seconds), skipped
        ({reason: count}), warnings, and describe() for a plain-English summary.

    run_import(target, path: Path, progress=None, cancel=None) -> ImportSummary
        One transaction per file: everything or nothing. ``progress(ImportProgress)`` is called
        at most every 0.1 s (bytes_read/bytes_total, conversations, messages); ``cancel()``
        returning True stops it with nothing written. Raises TransferError (ImportCancelled)
        or StorageError. Run it off the GUI thread: it holds the write lock while it runs.
        Imported messages are searchable by words at once and get their vectors from the
        background embedder (``embedding_backlog(core)`` counts what is left, for a progress bar).

Accepted files: our JSON export, ChatGPT's ``conversations.json`` or its export ``.zip``.
Conversations keep a stable uid (our export) or ``chatgpt:<id>``, so importing the same file
again adds nothing and says how many were already there.
"""

from __future__ import annotations

from assistant.transfer.export import ExportSummary, export_conversations
from assistant.transfer.importer import preview_import, run_import
from assistant.transfer.model import (
    ImportCancelled,
    ImportPreview,
    ImportProgress,
    ImportSummary,
    TransferError,
)


def embedding_backlog(core: object) -> int:
    """How many items (imported messages among them) still wait for a vector; 0 when the
    embedding model is unavailable (words search still works)."""
    from assistant.memory.worker import pending_count

    memory = getattr(core, "memory", None)
    embedder = getattr(memory, "embedder", None)
    if memory is None or embedder is None:
        return 0
    return pending_count(memory.database, embedder.model_id)


__all__ = [
    "ExportSummary",
    "ImportCancelled",
    "ImportPreview",
    "ImportProgress",
    "ImportSummary",
    "TransferError",
    "embedding_backlog",
    "export_conversations",
    "preview_import",
    "run_import",
]
