"""Export conversations as JSON (lossless, re-importable) or Markdown (for reading).

The JSON file::

    {"format": "offline-assistant-chats", "version": 1, "app_version": "...",
     "exported_at": <epoch seconds>, "conversations": [
        {"uid": "...", "id": 12, "title": "...", "system_prompt": null,
         "created_at": ..., "updated_at": ...,
         "messages": [{"id": 40, "role": "user"|"assistant", "content": "...", "status": "complete",
                       "created_at": ..., "updated_at": ..., "superseded_at": null, "model": "...",
                       "n_tokens": null, "citations": [...]  (only where the reply had some)}],
         "tool_calls": [{"call_id": "...", "tool": "...", "arguments": {...}, "status": "ok",
                         "summary": "...", "result": "...", "started_at": ..., "duration": ...,
                         "after_message": <index in messages or null>}]}]}

Every message is there, superseded ones (older branches of an edit or regenerate) included,
in their original order. ``id`` values are this profile's and informational: an import gives
new ones; ``uid`` is what identifies a conversation across profiles. Times are Unix epoch
seconds (floats, exactly as stored). Facts and documents are not part of a chat export.
"""

from __future__ import annotations

import contextlib
import json
import os
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from assistant import __version__
from assistant.store.db import Database
from assistant.transfer.importer import Target, database_of
from assistant.transfer.markdown import render_document
from assistant.transfer.model import FORMAT, VERSION, TransferError

ExportFormat = Literal["json", "markdown", "md"]
MESSAGE_FIELDS = (
    "id", "role", "content", "status", "created_at", "updated_at", "superseded_at", "model", "n_tokens"
)
TOOL_FIELDS = ("call_id", "tool", "arguments", "status", "summary", "result", "started_at", "duration")


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    conversations: int
    messages: int


def export_conversations(
    target: Target, ids: list[int] | None, fmt: ExportFormat, out: Path
) -> ExportSummary:
    """Write the conversations ``ids`` (None: every conversation not in the trash) to ``out``.

    The file appears whole or not at all (written beside it, then renamed) and is readable by
    its owner only, like the profile it comes from. Raises :class:`TransferError` for an
    unknown id or a place that cannot be written.
    """
    if fmt not in ("json", "markdown", "md"):
        raise TransferError(f"Unknown export format {fmt!r}: use json or markdown.")
    database = database_of(target)
    chosen = _chosen_ids(database, ids)
    counts = [0, 0]

    def records() -> Iterator[dict[str, Any]]:
        for conversation_id in chosen:
            record = conversation_record(database, conversation_id)
            if record is not None:  # deleted meanwhile
                counts[0] += 1
                counts[1] += len(record["messages"])
                yield record

    exported_at = time.time()
    with _atomic_file(Path(out)) as fh:
        if fmt == "json":
            _write_json(fh, records(), exported_at)
        else:
            for chunk in render_document(records(), exported_at):
                fh.write(chunk)
    return ExportSummary(Path(out), counts[0], counts[1])


def _chosen_ids(database: Database, ids: list[int] | None) -> list[int]:
    if ids is None:
        rows = database.db.execute("select id from conversations where deleted_at is null order by id")
        return [int(r[0]) for r in rows]
    chosen = list(dict.fromkeys(ids))  # once each, in the order asked
    for conversation_id in chosen:
        row = database.db.execute(
            "select 1 from conversations where id = ? and deleted_at is null", [conversation_id]
        ).fetchone()
        if row is None:
            raise TransferError(f"There is no conversation {conversation_id}.")
    return chosen


def conversation_record(database: Database, conversation_id: int) -> dict[str, Any] | None:
    """One conversation as it goes into the JSON export (also what Markdown is rendered from)."""
    db = database.db
    row = db.execute(
        "select c.id, u.uid, c.title, c.system_prompt, c.created_at, c.updated_at from conversations c"
        " left join conversation_uids u on u.conversation_id = c.id where c.id = ?",
        [conversation_id],
    ).fetchone()
    if row is None:
        return None
    messages = _messages(database, conversation_id)
    index = {m["id"]: n for n, m in enumerate(messages)}
    return {
        "uid": row[1] or f"local:{conversation_id}",
        "id": row[0],
        "title": row[2],
        "system_prompt": row[3],
        "created_at": row[4],
        "updated_at": row[5],
        "messages": messages,
        "tool_calls": _tool_calls(database, conversation_id, index),
    }


def _messages(database: Database, conversation_id: int) -> list[dict[str, Any]]:
    columns = ", ".join(f"m.{name}" for name in MESSAGE_FIELDS)
    rows = database.db.execute(
        f"select {columns}, rc.citations from messages m"
        " left join reply_citations rc on rc.message_id = m.id where m.conversation_id = ? order by m.id",
        [conversation_id],
    )
    out = []
    for row in rows:
        message = dict(zip(MESSAGE_FIELDS, row[: len(MESSAGE_FIELDS)], strict=True))
        if row[-1] is not None:
            message["citations"] = _loads(row[-1], [])
        out.append(message)
    return out


def _tool_calls(database: Database, conversation_id: int, index: dict[int, int]) -> list[dict[str, Any]]:
    columns = ", ".join(TOOL_FIELDS)
    rows = database.db.execute(
        f"select {columns}, after_message_id from tool_calls where conversation_id = ? order by id",
        [conversation_id],
    )
    out = []
    for row in rows:
        call = dict(zip(TOOL_FIELDS, row[: len(TOOL_FIELDS)], strict=True))
        call["arguments"] = _loads(call["arguments"], call["arguments"])
        call["after_message"] = index.get(row[-1]) if row[-1] is not None else None
        out.append(call)
    return out


def _loads(text: str, fallback: Any) -> Any:
    """Stored JSON, or ``fallback`` when a damaged value cannot be parsed (never a crash)."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return fallback


def _write_json(fh: IO[str], records: Iterator[dict[str, Any]], exported_at: float) -> None:
    """Streamed one conversation at a time; the header first, so a reader knows at once."""
    header = {"format": FORMAT, "version": VERSION, "app_version": __version__, "exported_at": exported_at}
    fh.write("{\n")
    for key, value in header.items():
        fh.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    fh.write('  "conversations": [')
    separator = "\n"
    for record in records:
        fh.write(separator)
        fh.write(textwrap.indent(json.dumps(record, ensure_ascii=False, indent=2), "    "))
        separator = ",\n"
    fh.write("\n  ]\n}\n")


@contextlib.contextmanager
def _atomic_file(path: Path) -> Iterator[IO[str]]:
    if path.is_dir():
        raise TransferError(f"{path} is a folder; give a file name.")
    partial = path.with_name(f".{path.name}.part")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except FileNotFoundError:
        raise TransferError(f"The folder {path.parent} does not exist.") from None
    except OSError as exc:
        raise TransferError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise TransferError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
