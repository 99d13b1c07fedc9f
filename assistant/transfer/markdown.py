"""Render exported conversations as Markdown for people to read (not for re-import).

Only the visible history is shown (superseded branches are in the JSON export, and a line says
how many there were). Message text is Markdown already and goes in as written; what is plain
text in the app (titles, tool names and results, citation labels) is escaped, so a title such
as ``<script>`` reads as text in any Markdown viewer, as it does in the app.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

ROLE_NAMES = {"user": "You", "assistant": "Assistant"}
STATUS_NOTES = {
    "stopped": "stopped before the end",
    "interrupted": "interrupted",
    "failed": "failed",
    "streaming": "still being written",
}
#: Tool results can be whole web pages: the card shows the start, as the window does.
RESULT_CHARS = 600
#: Characters that start Markdown or HTML anywhere in a line, and what starts a heading, list
#: or quote at its beginning. Escaped in plain text only (message text is Markdown).
_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
_LEADING = re.compile(r"^(\s*)(\d*)([#>+\-=]|(?<=\d)[.)])")


def render_document(records: Iterable[dict[str, Any]], exported_at: float) -> Iterator[str]:
    yield f"# Chats\n\nExported from Offline Assistant on {_when(exported_at)}.\n"
    for record in records:
        yield "\n---\n\n"
        yield from render_conversation(record)


def render_conversation(record: dict[str, Any]) -> Iterator[str]:
    yield f"## {plain(record['title']) or 'Untitled'}\n\n"
    yield f"*Started {_when(record['created_at'])}, last active {_when(record['updated_at'])}.*\n\n"
    if record.get("system_prompt"):
        prompt = "\n".join(plain(line) for line in str(record["system_prompt"]).splitlines())
        yield _quote(f"**System prompt:**\n{prompt}")
    messages = record["messages"]
    cards: dict[int | None, list[dict[str, Any]]] = {}
    for call in record.get("tool_calls", []):
        cards.setdefault(call.get("after_message"), []).append(call)
    for call in cards.get(None, []):
        yield _tool_card(call)
    hidden = 0
    for index, message in enumerate(messages):
        if message.get("superseded_at") is not None:
            hidden += 1
            continue
        yield _message(message)
        for call in cards.get(index, []):
            yield _tool_card(call)
    if hidden:
        versions = f"{hidden} earlier version{'s' if hidden > 1 else ''}"
        yield f"*{versions} of edited or regenerated messages not shown (kept in the JSON export).*\n\n"


def _message(message: dict[str, Any]) -> str:
    who = ROLE_NAMES.get(message["role"], plain(message["role"]))
    about = [_when(message["created_at"])]
    if message["role"] == "assistant" and message.get("model"):
        about.append(plain(message["model"]))
    parts = [f"### {who} · {' · '.join(about)}\n\n", message["content"].rstrip(), "\n\n"]
    note = STATUS_NOTES.get(message.get("status", ""))
    if note:
        parts.append(f"*({note})*\n\n")
    citations = message.get("citations") or []
    if citations:
        parts.append("**Sources**\n\n")
        parts.extend(_citation(c, n) for n, c in enumerate(citations, 1))
        parts.append("\n")
    return "".join(parts)


def _citation(citation: dict[str, Any], position: int) -> str:
    n = citation.get("n") or position
    label = plain(str(citation.get("label") or citation.get("kind") or "source"))
    snippet = " ".join(str(citation.get("snippet") or "").split())
    quoted = f" — “{plain(snippet[:300])}{'…' if len(snippet) > 300 else ''}”" if snippet else ""
    return f"{n}. {label}{quoted}\n"


def _tool_card(call: dict[str, Any]) -> str:
    took = f", {call['duration']:.1f} s" if isinstance(call.get("duration"), int | float) else ""
    lines = [f"**Tool: {plain(str(call.get('tool')))}** ({plain(str(call.get('status')))}{took})"]
    arguments = json.dumps(call.get("arguments"), ensure_ascii=False)
    lines.append(f"Arguments: {code_span(arguments)}")
    if call.get("summary"):
        lines.append(f"Summary: {plain(call['summary'])}")
    result = " ".join(str(call.get("result") or "").split())
    if result and result != " ".join(str(call.get("summary") or "").split()):
        more = "…" if len(result) > RESULT_CHARS else ""
        lines.append(f"Result: {plain(result[:RESULT_CHARS])}{more}")
    return _quote("\n".join(lines)) + "\n"


def plain(text: str) -> str:
    """Text that Markdown shows as written: one line, every special character escaped."""
    escaped = _INLINE.sub(r"\\\1", " ".join(str(text).split()))
    return _LEADING.sub(lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}", escaped)


def code_span(text: str) -> str:
    """An inline code span that survives backticks inside the text."""
    longest = max(map(len, re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _quote(text: str) -> str:
    return "".join(f"> {line}  \n" for line in text.splitlines()) + "\n"


def _when(timestamp: float | None) -> str:
    if not timestamp:
        return "an unknown time"
    return datetime.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")
