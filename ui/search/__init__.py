"""Search over chats, documents and memory (Edit → Search messages)."""
