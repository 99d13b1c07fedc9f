"""Read one conversation of ChatGPT's ``conversations.json`` (the "mapping" format).

A ChatGPT conversation is a tree of nodes (``mapping``: id -> {message, parent, children});
edits and regenerations are sibling branches. We keep what the user saw last: the branch from
``current_node`` up through the parents, oldest first. System, tool and hidden messages are
skipped and counted, as are content types we cannot show. A damaged tree (a loop, a missing
parent, no current node) keeps what can be reached and says so in a warning.

Tolerant, unlike our own format: a ChatGPT export is large and not ours to fix, so one odd
message must not stop a user from importing the other thousand conversations.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from assistant.store.chats import DEFAULT_TITLE
from assistant.transfer.model import (
    ROLES,
    ConversationData,
    MessageData,
    Notes,
    clean_text,
    clean_title,
    note_long_messages,
)

SKIP_SYSTEM = "system messages"
SKIP_TOOL = "tool messages"
SKIP_HIDDEN = "hidden messages"
SKIP_ROLE = "messages with an unknown role"
SKIP_TYPE = "messages of a type this app cannot show"
SKIP_EMPTY = "empty messages"
SKIP_CONVERSATION = "conversations with no messages"
#: Placeholders for attachments (their files are not in conversations.json).
ATTACHMENTS = {"image_asset_pointer": "[image]", "audio_asset_pointer": "[audio]"}


def read_conversation(item: dict[str, Any], index: int, notes: Notes) -> ConversationData | None:
    """The conversation's current branch; None when nothing in it can be shown (counted)."""
    title = clean_title(item["title"]) if isinstance(item.get("title"), str) else ""
    mapping: dict[str, Any] = item["mapping"]
    label = title[:60] or f"conversation {index + 1} of the file"
    branch = _current_branch(mapping, item.get("current_node"), label, notes)
    default_model = item.get("default_model_slug")
    messages: list[MessageData] = []
    last_time = _time(item.get("create_time")) or 0.0
    for node in branch:
        message = _message(node.get("message"), notes, default_model, last_time)
        if message is not None:
            messages.append(message)
            last_time = message.created_at
    if not messages:
        notes.skipped[SKIP_CONVERSATION] += 1
        return None
    conversation = ConversationData(
        uid=_uid(item),
        source="chatgpt",
        title=title or _title_from(messages),
        created_at=_time(item.get("create_time")) or messages[0].created_at,
        updated_at=_time(item.get("update_time")) or messages[-1].created_at,
        messages=messages,
    )
    note_long_messages(conversation, notes)
    return conversation


def _current_branch(
    mapping: dict[str, Any], current: object, title: str, notes: Notes
) -> list[dict[str, Any]]:
    if not isinstance(current, str) or not isinstance(mapping.get(current), dict):
        current = _latest_leaf(mapping)
        if current is None:
            return []
        notes.warn(f"“{title}”: no current message was recorded; the latest branch was followed.")
    chain: list[dict[str, Any]] = []
    seen: set[str] = set()
    node_id: str | None = current
    while node_id is not None:
        node = mapping.get(node_id)
        if node_id in seen:
            notes.warn(f"“{title}”: its message tree loops back on itself; it was cut at the loop.")
            break
        if not isinstance(node, dict):
            notes.warn(f"“{title}”: a message's parent is missing; the messages after the gap were kept.")
            break
        seen.add(node_id)
        chain.append(node)
        parent = node.get("parent")
        node_id = parent if isinstance(parent, str) else None
    chain.reverse()
    return chain


def _latest_leaf(mapping: dict[str, Any]) -> str | None:
    """The newest node without children: where the user most likely left off."""
    leaves = [
        (_time((node.get("message") or {}).get("create_time")) or 0.0, node_id)
        for node_id, node in mapping.items()
        if isinstance(node, dict) and not node.get("children")
    ]
    return max(leaves)[1] if leaves else None


def _message(data: object, notes: Notes, default_model: object, fallback_time: float) -> MessageData | None:
    if not isinstance(data, dict):
        return None  # the tree's root carries no message: nothing to count
    author = data.get("author")
    role = author.get("role") if isinstance(author, dict) else None
    found = data.get("metadata")
    metadata: dict[str, Any] = found if isinstance(found, dict) else {}
    reason = _skip_reason(role, data, metadata)
    if reason:
        notes.skipped[reason] += 1
        return None
    text = _text(data.get("content"), notes)
    if text is None:
        return None
    created = _time(data.get("create_time")) or fallback_time
    model = (metadata.get("model_slug") or default_model) if role == "assistant" else None
    return MessageData(
        role=str(role),
        content=text,
        status="complete",
        created_at=created,
        updated_at=_time(data.get("update_time")) or created,
        model=clean_text(model) if isinstance(model, str) else None,
    )


def _skip_reason(role: object, data: dict[str, Any], metadata: dict[str, Any]) -> str | None:
    if role == "system":
        return SKIP_SYSTEM
    if role == "tool":
        return SKIP_TOOL
    if role not in ROLES:
        return SKIP_ROLE
    if metadata.get("is_visually_hidden_from_conversation"):
        return SKIP_HIDDEN
    if role == "assistant" and data.get("recipient") not in (None, "all"):
        return SKIP_TOOL  # the assistant talking to a tool (code, browsing), not to the user
    return None


def _text(content: object, notes: Notes) -> str | None:
    if not isinstance(content, dict):
        content = {}
    kind = content.get("content_type")
    if kind in ("text", "multimodal_text") and isinstance(content.get("parts"), list):
        text = "\n".join(piece for piece in map(_part, content["parts"]) if piece)
    elif kind == "code" and isinstance(content.get("text"), str):
        named = content.get("language")
        language = named if isinstance(named, str) else ""
        text = _fenced(content["text"], "" if language == "unknown" else language)
    else:
        notes.skipped[SKIP_TYPE] += 1
        return None
    text = clean_text(text)
    if not text.strip():
        notes.skipped[SKIP_EMPTY] += 1
        return None
    return text


def _part(part: object) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, dict):
        if isinstance(part.get("text"), str):
            return str(part["text"])  # e.g. an audio transcription
        return ATTACHMENTS.get(str(part.get("content_type")), "[attachment]")
    return ""


def _fenced(code: str, language: str) -> str:
    fence = "`" * max(3, _longest_run(code, "`") + 1)
    return f"{fence}{language.split()[0] if language.strip() else ''}\n{code}\n{fence}"


def _longest_run(text: str, char: str) -> int:
    return max(map(len, re.findall(re.escape(char) + "+", text)), default=0)


def _time(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


def _uid(item: dict[str, Any]) -> str:
    for key in ("conversation_id", "id"):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return "chatgpt:" + value.strip()
    # No id (a trimmed file): the content stands in, so a second import still finds it.
    digest = hashlib.sha256(
        json.dumps(
            [item.get("title"), item.get("create_time"), sorted(item["mapping"])[:20]], default=str
        ).encode()
    )
    return "chatgpt-content:" + digest.hexdigest()[:32]


def _title_from(messages: list[MessageData]) -> str:
    first = next((m.content for m in messages if m.role == "user"), "")
    return " ".join(first.split())[:60] or DEFAULT_TITLE
