"""Recall across chats, user facts, and the one retrieval API (hybrid FTS5 + vectors).

Importing this package is cheap: the embedding model loads only in :class:`Memory`'s worker.
"""

from assistant.memory.search import Hit, Retriever
from assistant.memory.service import Memory, MemorySettings

__all__ = ["Hit", "Memory", "MemorySettings", "Retriever"]
