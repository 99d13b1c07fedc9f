"""SQLite storage: one database per profile, migrated on open."""

from assistant.store.chats import ChatStore, Conversation, Message
from assistant.store.db import Database, StorageError, open_database

__all__ = ["ChatStore", "Conversation", "Database", "Message", "StorageError", "open_database"]
