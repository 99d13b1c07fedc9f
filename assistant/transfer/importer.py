"""Preview and run an import: one streamed pass over the file each, one transaction per file."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from assistant.changes import ConversationChanged
from assistant.store.db import Database
from assistant.transfer import import_chatgpt, import_ours
from assistant.transfer.model import (
    ConversationData,
    ImportCancelled,
    ImportPreview,
    ImportProgress,
    ImportSummary,
    Notes,
    TransferError,
)
from assistant.transfer.reader import Source, open_source
from assistant.transfer.writer import Writer

SKIP_DUPLICATE = "conversations that appear twice in the file"
#: The progress callback is called at most this often (a file may hold 100 000 chats).
PROGRESS_SECONDS = 0.1


class HasDatabase(Protocol):
    database: Database


Target = HasDatabase | Database


def database_of(target: Target) -> Database:
    return target if isinstance(target, Database) else target.database


def _known(database: Database | None) -> Callable[[str], bool]:
    """Whether this profile already has the conversation (in the trash counts: restorable)."""
    if database is None:
        return lambda _uid: False

    def known(uid: str) -> bool:
        row = database.db.execute(
            "select 1 from conversation_uids u join conversations c on c.id = u.conversation_id"
            " where u.uid = ?",
            [uid],
        ).fetchone()
        return row is not None

    return known


def _conversations(source: Source, notes: Notes) -> Iterator[ConversationData]:
    for index, item in enumerate(source.conversations()):
        if source.format == "chatgpt":
            found = import_chatgpt.read_conversation(item, index, notes)
            if found is not None:
                yield found
        else:
            yield import_ours.read_conversation(item, index, notes)


def _plan(
    source: Source, notes: Notes, known: Callable[[str], bool]
) -> Iterator[tuple[ConversationData, bool]]:
    """Each conversation with whether it is new to the profile."""
    seen: set[str] = set()  # one short uid per conversation: small even for a huge file
    for conversation in _conversations(source, notes):
        if conversation.uid in seen:
            notes.skipped[SKIP_DUPLICATE] += 1
            continue
        seen.add(conversation.uid)
        yield conversation, not known(conversation.uid)


def preview_import(path: Path, target: Target | None = None) -> ImportPreview:
    """Read the whole file (streamed) and say what an import would do. Writes nothing.

    With ``target`` (a Core or a Database) conversations the profile already has are counted
    as ``already_imported``. Never raises for a bad file: ``preview.error`` says what is wrong.
    """
    preview = ImportPreview(path=Path(path))
    notes = Notes()
    try:
        with open_source(Path(path)) as source:
            for conversation, new in _plan(source, notes, _known(database_of(target) if target else None)):
                preview.format = source.format
                if not new:
                    preview.already_imported += 1
                    continue
                preview.conversations += 1
                preview.messages += len(conversation.messages)
                _widen(preview, conversation)
            preview.format = source.format
    except TransferError as exc:
        preview.error = str(exc)
    except OSError as exc:
        preview.error = f"Cannot read the file: {exc.strerror or exc}."
    preview.skipped = dict(notes.skipped)
    preview.warnings = notes.all_warnings()
    return preview


def _widen(preview: ImportPreview, conversation: ConversationData) -> None:
    times = [m.created_at for m in conversation.messages if m.created_at > 0]
    if not times:
        return
    first, last = min(times), max(times)
    preview.first_at = first if preview.first_at is None else min(preview.first_at, first)
    preview.last_at = last if preview.last_at is None else max(preview.last_at, last)


def run_import(
    target: Target,
    path: Path,
    progress: Callable[[ImportProgress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Import the file in one transaction: everything or, on any problem, nothing.

    Raises :class:`TransferError` (bad file; :class:`ImportCancelled` when ``cancel()`` turned
    true) or ``StorageError`` (disk full...); either way nothing was written. Conversations the
    profile already has are skipped and counted. Holds the database's write lock while it
    runs, so call it off the GUI thread. Embedding happens afterwards in the background.
    """
    database = database_of(target)
    started = time.monotonic()
    notes = Notes()
    try:
        with open_source(Path(path)) as source, database.writing() as db:
            writer = Writer(db, time.time())
            summary = ImportSummary(path=Path(path), format="ours")
            reporter = _Reporter(source, summary, progress)
            for conversation, new in _plan(source, notes, _known(database)):
                if cancel is not None and cancel():
                    raise ImportCancelled()
                if new:
                    conversation_id = writer.write(conversation)
                    summary.conversation_ids.append(conversation_id)
                    # Told once the whole import commits (never for a cancelled one).
                    database.changed(ConversationChanged(conversation_id, "created", conversation.title))
                    summary.messages += len(conversation.messages)
                else:
                    summary.already_imported += 1
                reporter.tick()
            if cancel is not None and cancel():
                raise ImportCancelled()
            writer.finish()
            summary.format = source.format or "ours"
            reporter.tick(final=True)
    except OSError as exc:
        raise TransferError(f"Cannot read the file: {exc.strerror or exc}.") from exc
    summary.skipped = dict(notes.skipped)
    summary.warnings = notes.all_warnings()
    summary.seconds = time.monotonic() - started
    _wake_embedder(target)
    return summary


class _Reporter:
    def __init__(
        self, source: Source, summary: ImportSummary, callback: Callable[[ImportProgress], None] | None
    ) -> None:
        self.source, self.summary, self.callback = source, summary, callback
        self.last = 0.0

    def tick(self, final: bool = False) -> None:
        now = time.monotonic()
        if self.callback is None or (not final and now - self.last < PROGRESS_SECONDS):
            return
        self.last = now
        read = self.source.bytes_total if final else self.source.bytes_read
        self.callback(ImportProgress(read, self.source.bytes_total, self.summary.conversations,
                                     self.summary.messages))


def _wake_embedder(target: Target) -> None:
    """The worker would find the new messages on its next poll anyway; this saves the wait."""
    memory = getattr(target, "memory", None)
    notify = getattr(memory, "notify", None)
    if callable(notify):
        notify()
