"""Read one conversation of our own JSON export (see :mod:`assistant.transfer.export`).

Strict: the file is ours, so anything unexpected means it was damaged or hand-edited, and the
whole file is refused with a sentence naming the conversation and the message (nothing is
written). Keys this version does not know are ignored (a newer minor writer may add some).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from assistant.transfer.model import (
    ROLES,
    STATUSES,
    ConversationData,
    MessageData,
    Notes,
    ToolCallData,
    TransferError,
    clean_text,
    clean_title,
    note_long_messages,
)


class _Where:
    """Names the place of a problem: "Conversation 3 (“Trip”), message 5: ..."."""

    def __init__(self, index: int, title: object) -> None:
        shown = f" (“{clean_title(title)[:60]}”)" if isinstance(title, str) else ""
        self.conversation = f"Conversation {index + 1}{shown}"

    def fail(self, problem: str, part: str = "") -> TransferError:
        return TransferError(f"{self.conversation}{', ' + part if part else ''}: {problem}.")


def _number(data: dict[str, Any], key: str, where: _Where, part: str = "", optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.fail(f"“{key}” must be a number", part)
    return float(value)


def _text(data: dict[str, Any], key: str, where: _Where, part: str = "", optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise where.fail(f"“{key}” must be text", part)
    return clean_text(value)


def read_conversation(item: object, index: int, notes: Notes) -> ConversationData:
    """One conversation of the file, checked; raises :class:`TransferError`."""
    if not isinstance(item, dict):
        raise TransferError(f"Conversation {index + 1} of the file is not an object.")
    where = _Where(index, item.get("title"))
    raw_messages = item.get("messages")
    if not isinstance(raw_messages, list):
        raise where.fail("“messages” must be a list")
    messages = [_message(m, where, n) for n, m in enumerate(raw_messages)]
    raw_calls = item.get("tool_calls") or []
    if not isinstance(raw_calls, list):
        raise where.fail("“tool_calls” must be a list")
    calls = [_tool_call(c, where, n, len(messages)) for n, c in enumerate(raw_calls)]
    uid = item.get("uid")
    if uid is not None and (not isinstance(uid, str) or not uid.strip()):
        raise where.fail("“uid” must be text")
    conversation = ConversationData(
        uid=uid or _content_uid(item),
        source="ours",
        title=clean_title(_text(item, "title", where)),
        created_at=_number(item, "created_at", where),
        updated_at=_number(item, "updated_at", where),
        system_prompt=_text(item, "system_prompt", where, optional=True),
        messages=messages,
        tool_calls=calls,
    )
    note_long_messages(conversation, notes)
    return conversation


def _message(data: object, where: _Where, n: int) -> MessageData:
    part = f"message {n + 1}"
    if not isinstance(data, dict):
        raise where.fail("not an object", part)
    role = data.get("role")
    if role not in ROLES:
        raise where.fail(f"unknown role {str(role)[:40]!r} (expected user or assistant)", part)
    status = data.get("status", "complete")
    if status not in STATUSES:
        raise where.fail(f"unknown status {str(status)[:40]!r}", part)
    created = _number(data, "created_at", where, part)
    updated = _number(data, "updated_at", where, part, optional=True)
    citations = data.get("citations")
    if citations is not None and not (
        isinstance(citations, list) and all(isinstance(c, dict) for c in citations)
    ):
        raise where.fail("“citations” must be a list of objects", part)
    n_tokens = data.get("n_tokens")
    if n_tokens is not None and (isinstance(n_tokens, bool) or not isinstance(n_tokens, int)):
        raise where.fail("“n_tokens” must be a whole number", part)
    source_id = data.get("id")
    return MessageData(
        role=role,
        content=_text(data, "content", where, part),
        # Nothing streams into an imported reply: the app would mark it interrupted at start.
        status="interrupted" if status == "streaming" else status,
        created_at=created,
        updated_at=created if updated is None else updated,
        superseded_at=_number(data, "superseded_at", where, part, optional=True),
        model=_text(data, "model", where, part, optional=True),
        n_tokens=n_tokens,
        citations=citations,
        source_id=source_id if isinstance(source_id, int) and not isinstance(source_id, bool) else None,
    )


def _tool_call(data: object, where: _Where, n: int, n_messages: int) -> ToolCallData:
    part = f"tool call {n + 1}"
    if not isinstance(data, dict):
        raise where.fail("not an object", part)
    after = data.get("after_message")
    if after is not None and (
        isinstance(after, bool) or not isinstance(after, int) or not 0 <= after < n_messages
    ):
        raise where.fail("“after_message” must be the index of one of its messages", part)
    return ToolCallData(
        call_id=_text(data, "call_id", where, part),
        tool=_text(data, "tool", where, part),
        arguments=data.get("arguments"),
        status=_text(data, "status", where, part),
        started_at=_number(data, "started_at", where, part),
        summary=_text(data, "summary", where, part, optional=True),
        result=_text(data, "result", where, part, optional=True),
        duration=_number(data, "duration", where, part, optional=True),
        after_message=after,
    )


def _content_uid(item: dict[str, Any]) -> str:
    """A file written by hand may lack uids: one from the content still stops a second import
    of the same file from duplicating it."""
    digest = hashlib.sha256(
        json.dumps([item.get("title"), item.get("created_at"), item.get("messages")], default=str).encode()
    )
    return "content:" + digest.hexdigest()[:32]
