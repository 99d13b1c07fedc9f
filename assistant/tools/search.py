"""search_chats / search_documents / search_memory over the memory/knowledge Retriever.

Coded against ``Memory.search(query, kinds=[...], k=..., before_message=...) -> list[Hit]``; a
Hit's fields are read leniently (text/snippet, source/title/path, score) so small changes there
do not break us.
"""

from __future__ import annotations

from typing import Any

from assistant.agent.registry import ToolContext, ToolError, ToolRegistry
from assistant.chat.extract import is_question
from assistant.tools.schedule_text import found_summary

MAX_SNIPPET = 600
UNAVAILABLE = "Search is not available yet (the memory/knowledge index is not set up)."


def _search(ctx: ToolContext, query: str, kinds: list[str], k: int) -> dict[str, Any]:
    results = [_hit(h, n) for n, h in enumerate(_find(ctx, query, kinds, k), 1)]
    summary = found_summary(ctx, len(results), query)
    return {"summary": summary, "results": results}


def _find(ctx: ToolContext, query: str, kinds: list[str], k: int) -> list[Any]:
    if ctx.retriever is None or not hasattr(ctx.retriever, "search"):
        raise ToolError(UNAVAILABLE)
    if not query.strip():
        raise ToolError("The search needs some words.")
    k = max(1, min(k, 10))
    before = ctx.message_id  # never the question being answered, nor anything said after it
    try:  # Memory.search can wait for the embedder (we run off the GUI thread); Retriever cannot
        hits = ctx.retriever.search(query, kinds=kinds, k=k, wait_for_model=True, before_message=before)
    except TypeError:
        hits = ctx.retriever.search(query, kinds=kinds, k=k, before_message=before)
    return list(hits)


def _field(hit: Any, name: str) -> Any:
    return hit.get(name) if isinstance(hit, dict) else getattr(hit, name, None)


def _told(chats: list[Any], facts: list[Any]) -> list[Any]:
    """The chat messages in which the user told something: not the assistant's replies (they
    quote what was found before), not the user's questions (a question is never a fact, as
    in ``memory.facts``; earlier asks for the same thing match best), and not the "Remember
    that …" a found fact was taken from (the fact says it)."""
    sources = {_field(f, "said_in") for f in facts} - {None}
    return [hit for hit in chats if _tells(hit, sources)]


def _tells(hit: Any, fact_sources: set[Any]) -> bool:
    role, message_id = _field(hit, "role"), _field(hit, "message_id")
    if role == "assistant" or (message_id is not None and message_id in fact_sources):
        return False
    return not (role == "user" and is_question(str(_field(hit, "text") or "")))


def _hit(hit: Any, number: int) -> dict[str, Any]:
    def pick(*names: str) -> Any:
        return next((v for n in names if (v := _field(hit, n)) not in (None, "")), None)

    text = str(pick("text", "snippet", "content") or "")
    label = getattr(hit, "source_label", None)
    found = {
        "ref": f"[{number}]",
        "source": str(label() if callable(label) else pick("source", "title", "path") or "unknown"),
        "kind": str(pick("kind") or ""),
        "text": text[:MAX_SNIPPET] + ("…" if len(text) > MAX_SNIPPET else ""),
    }
    chat = pick("conversation_title")
    return {**found, "chat": str(chat)} if chat else found


def search_chats(ctx: ToolContext, query: str, k: int = 5) -> dict[str, Any]:
    """Search earlier conversations with the user.

    Args:
        query: what to look for, in a few words
        k: how many results (1-10)
    """
    return _search(ctx, query, ["message"], k)


def search_documents(ctx: ToolContext, query: str, k: int = 5) -> dict[str, Any]:
    """Search the user's indexed documents and notes; results carry sources to cite.

    Args:
        query: what to look for, in a few words
        k: how many results (1-10)
    """
    return _search(ctx, query, ["chunk"], k)


def search_memory(ctx: ToolContext, query: str, k: int = 5) -> dict[str, Any]:
    """Search what the user told the assistant: saved facts first, then earlier chats.

    Args:
        query: what to look for, in a few words
        k: how many results (1-10)
    """
    facts = _find(ctx, query, ["fact"], k)
    chats = _told(_find(ctx, query, ["message"], 10), facts)
    results = [_hit(h, n) for n, h in enumerate((facts + chats)[: max(1, min(k, 10))], 1)]
    summary = found_summary(ctx, len(results), query)
    return {"summary": summary, "results": results}


def register(registry: ToolRegistry) -> None:
    registry.tool(untrusted=True, hint="find something said in earlier chats")(search_chats)
    registry.tool(untrusted=True, timeout=20, hint="find information in the user's documents and notes")(
        search_documents
    )
    registry.tool(untrusted=True, hint="recall what the user told or asked to remember")(search_memory)
