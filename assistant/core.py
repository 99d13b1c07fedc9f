"""Builds the core objects once, for the GUI, the CLI and tests alike."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from assistant.agent.loop import Agent
from assistant.agent.registry import ToolContext, ToolRegistry
from assistant.agent.setup import writes_answers
from assistant.agent.store import AgentStore
from assistant.changes import ChangeFeed
from assistant.chat.grounded import Extractive, model_uses_passages
from assistant.chat.session import ChatSession, local_engine_config
from assistant.config import Settings, db_path, log_dir
from assistant.engine.base import Engine, EngineConfig, EngineError
from assistant.knowledge.service import Knowledge
from assistant.memory.service import Memory
from assistant.models.connections import ConnectionStore
from assistant.models.library import ModelLibrary
from assistant.scheduler.service import DueService
from assistant.scheduler.store import ReminderStore
from assistant.scheduler.zones import zone
from assistant.store.chats import ChatStore
from assistant.store.db import Database

#: How long closing waits for the day's backup copy to finish (a large profile takes seconds).
BACKUP_JOIN_SECONDS = 30.0


class Core:
    """Everything one profile's app holds, built here and only here (:meth:`open` in the app).

    Nothing here loads a model or imports Qt: the embedding model loads in
    :meth:`start_background`'s thread (or on first use), the chat model on the first turn.
    """

    def __init__(
        self,
        database: Database,
        engine: Engine,
        settings: Settings | None = None,
        registry: ToolRegistry | None = None,
    ) -> None:
        self.database = database
        #: The day's backup copy (its own connection), started by :meth:`open`.
        self.backup_thread: threading.Thread | None = None
        #: What changed in the stored data, whoever changed it (after each commit).
        self.changes: ChangeFeed = database.changes
        self.chats = ChatStore(database)
        self.settings: Settings = settings if settings is not None else self.chats.load_settings()
        self.engine = engine
        self.models = ModelLibrary(database)
        self.connections = ConnectionStore(database)
        # The memory's embedding model is shared with document search (one model, one space).
        self.knowledge = Knowledge(database, lambda: self.memory.embedder)
        self.memory = Memory(database, collections_for=self.knowledge.collections.enabled_for)
        self.reminders = ReminderStore(database)
        #: Polled by the window's timer and `assistant agenda`: what is due, each exactly once.
        self.due = DueService(self.reminders)
        self.agent_store = AgentStore(database)
        self.agent = self._agent(registry)
        #: Quoted answers when the active model cannot use retrieved passages.
        self.extractive = Extractive(self.memory, self.chats, lambda: model_uses_passages(self))
        self.session = ChatSession(
            self.chats,
            engine,
            self.effective_settings,
            self.engine_config,
            memory=self.memory,
            agent=self.agent,
            extractive=self.extractive,
        )

    def _agent(self, registry: ToolRegistry | None) -> Agent:
        from assistant.tools import default_registry

        return Agent(
            self.engine,
            registry or default_registry(),
            self.agent_store,
            self.tool_context,
            chats=self.chats,
            read_untrusted=self.memory.read_untrusted,
            capable=lambda: writes_answers(self.settings),
        )

    def use_tools(self, registry: ToolRegistry) -> Agent:
        """Give the agent other tools (tests and the bench); the session uses it from now on."""
        self.agent = self.session.agent = self._agent(registry)
        return self.agent

    def tool_context(self, conversation_id: int) -> ToolContext:
        """What a tool may use in this turn: the clock in the user's zone, reminders, search."""
        settings = self.agent_store.load_settings()
        tz = settings.zone()
        return ToolContext(
            now=lambda: datetime.now(zone(tz)),
            tz=tz,
            conversation_id=conversation_id,
            reminders=self.reminders,
            retriever=self.memory,
            web_enabled=settings.web_enabled,
        )

    def engine_config(self, settings: Settings) -> EngineConfig:
        """The local model, or the chosen remote connection (same session, same storage)."""
        if settings.active_connection:
            connection = self.connections.get(settings.active_connection)
            if connection is None:
                raise EngineError(
                    "The chosen remote connection no longer exists; pick a model in Settings.",
                    "model_missing",
                )
            return EngineConfig(
                model_path=f"{connection.name} ({connection.base_url})",
                n_ctx=connection.n_ctx,
                remote=connection.remote_config(),
            )
        return local_engine_config(settings)

    @classmethod
    def open(cls, engine: Engine | None = None, path: Path | None = None) -> Core:
        """Open (and migrate) the profile's database; the model is not loaded here."""
        from assistant.store.private import repair_profile

        path = path or db_path()
        repair_profile(path.parent, log_dir(), path.name)  # older versions left it world-readable
        database = Database(path).open()
        backup_thread = _daily_backup_in_background(database.path)
        if engine is None:
            from assistant.engine.local import LocalEngine
            from assistant.engine.remote import RemoteEngine
            from assistant.engine.switch import EngineSwitch

            engine = EngineSwitch(LocalEngine(), RemoteEngine())
        core = cls(database, engine)
        core.backup_thread = backup_thread
        core.chats.mark_unfinished_interrupted()  # a crash left them "streaming"
        core.chats.purge_deleted()
        return core

    def start_background(self, watch_collections: bool = True) -> None:
        """Start the embedding worker (it loads the model, ~6 s, off the caller's thread) and
        the collection watcher. The GUI calls this once its window shows."""
        self.memory.start()
        if watch_collections:
            self.knowledge.start_watching()

    def effective_settings(self) -> Settings:
        """The global settings with the chosen model's own defaults on top."""
        path = self.settings.effective_model_path()
        overrides = self.models.defaults(path) if path else {}
        return Settings.from_dict(overrides, base=self.settings) if overrides else self.settings

    def save_settings(self, settings: Settings) -> None:
        self.chats.save_settings(settings)
        self.settings = settings

    def close(self) -> None:
        # The backup's connection must be gone before ours closes: the last connection to
        # close checkpoints the WAL into the file, and a copy cut short is no backup.
        if self.backup_thread is not None:
            self.backup_thread.join(BACKUP_JOIN_SECONDS)
        self.knowledge.stop()
        self.memory.stop()
        self.engine.close()
        self.database.close()


def _daily_backup_in_background(path: Path) -> threading.Thread | None:
    """Keep a recent backup to offer if the database is ever damaged (off the caller's thread)."""
    import time

    from assistant.store import backup

    latest = backup.list_backups(path)
    if latest and time.time() - latest[0].stat().st_mtime < 24 * 3600:
        return None

    def run() -> None:
        try:
            backup.take_backup(path, "daily")
        except Exception:  # a failed backup must never disturb the app; it is retried next start
            import logging

            logging.getLogger(__name__).exception("daily backup failed")

    thread = threading.Thread(target=run, name="daily-backup", daemon=True)
    thread.start()
    return thread
