"""search_chats / search_documents / search_memory over the memory/knowledge Retriever.

Coded against ``Retriever.search(query, kinds=[...], k=...) -> list[Hit]``; a Hit's fields are
read leniently (text/snippet, source/title/path, score) so small changes there do not break us.
"""

from __future__ import annotations

from typing import Any

from assistant.agent.registry import ToolContext, ToolError, ToolRegistry
from assistant.tools.schedule_text import found_summary

MAX_SNIPPET = 600
UNAVAILABLE = "Search is not available yet (the memory/knowledge index is not set up)."


def _search(ctx: ToolContext, query: str, kinds: list[str], k: int) -> dict[str, Any]:
    if ctx.retriever is None or not hasattr(ctx.retriever, "search"):
        raise ToolError(UNAVAILABLE)
    if not query.strip():
        raise ToolError("The search needs some words.")
    try:  # Memory.search can wait for the embedder (we run off the GUI thread); Retriever cannot
        hits = ctx.retriever.search(query, kinds=kinds, k=max(1, min(k, 10)), wait_for_model=True)
    except TypeError:
        hits = ctx.retriever.search(query, kinds=kinds, k=max(1, min(k, 10)))
    results = [_hit(h, n) for n, h in enumerate(hits, 1)]
    summary = found_summary(ctx, len(results), query)
    return {"summary": summary, "results": results}


def _hit(hit: Any, number: int) -> dict[str, Any]:
    def pick(*names: str) -> Any:
        for name in names:
            value = hit.get(name) if isinstance(hit, dict) else getattr(hit, name, None)
            if value not in (None, ""):
                return value
        return None

    text = str(pick("text", "snippet", "content") or "")
    label = getattr(hit, "source_label", None)
    return {
        "ref": f"[{number}]",
        "source": str(label() if callable(label) else pick("source", "title", "path") or "unknown"),
        "kind": str(pick("kind") or ""),
        "text": text[:MAX_SNIPPET] + ("…" if len(text) > MAX_SNIPPET else ""),
    }


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
    facts = _search(ctx, query, ["fact"], k)
    chats = _search(ctx, query, ["message"], k)
    results = (facts["results"] + chats["results"])[: max(1, min(k, 10))]
    for number, hit in enumerate(results, 1):
        hit["ref"] = f"[{number}]"
    summary = found_summary(ctx, len(results), query)
    return {"summary": summary, "results": results}


def register(registry: ToolRegistry) -> None:
    registry.tool(untrusted=True, hint="find something said in earlier chats")(search_chats)
    registry.tool(untrusted=True, timeout=20, hint="find information in the user's documents and notes")(
        search_documents
    )
    registry.tool(untrusted=True, hint="recall what the user told or asked to remember")(search_memory)
