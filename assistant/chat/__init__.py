"""Chat turns: storing, prompting, streaming."""

from assistant.chat.session import ChatSession, InputRejected

__all__ = ["ChatSession", "InputRejected"]
