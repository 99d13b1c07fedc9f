"""Builds the core objects once, for the GUI, the CLI and tests alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.changes import ChangeFeed
from assistant.chat.session import ChatSession, local_engine_config
from assistant.config import Settings, db_path, log_dir
from assistant.engine.base import Engine, EngineConfig, EngineError
from assistant.knowledge.service import Knowledge
from assistant.memory.service import Memory
from assistant.models.connections import ConnectionStore
from assistant.models.library import ModelLibrary
from assistant.store.chats import ChatStore
from assistant.store.db import Database


@dataclass
class Core:
    database: Database
    chats: ChatStore
    engine: Engine
    session: ChatSession
    settings: Settings = field(default_factory=Settings)
    models: ModelLibrary = field(init=False)
    connections: ConnectionStore = field(init=False)
    memory: Memory = field(init=False)
    knowledge: Knowledge = field(init=False)
    #: What changed in the stored data, whoever changed it (after each commit).
    changes: ChangeFeed = field(init=False)

    def __post_init__(self) -> None:
        self.changes = self.database.changes
        self.models = ModelLibrary(self.database)
        self.connections = ConnectionStore(self.database)
        # Cheap to build: the embedding model loads in start_background()'s thread, or on
        # the first search or index that needs it.
        self.knowledge = Knowledge(self.database, lambda: self.memory.embedder)
        self.memory = Memory(self.database, collections_for=self.knowledge.collections.enabled_for)

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
        _daily_backup_in_background(database.path)
        chats = ChatStore(database)
        chats.mark_unfinished_interrupted()
        chats.purge_deleted()
        if engine is None:
            from assistant.engine.local import LocalEngine
            from assistant.engine.remote import RemoteEngine
            from assistant.engine.switch import EngineSwitch

            engine = EngineSwitch(LocalEngine(), RemoteEngine())
        core = cls(database, chats, engine, None, chats.load_settings())  # type: ignore[arg-type]
        core.session = ChatSession(chats, engine, core.effective_settings, core.engine_config)
        core.session.memory = core.memory
        from assistant.agent.setup import attach_agent

        attach_agent(core)  # reminders, due service, tools; the session's tool hook
        from assistant.chat.grounded import attach_extractive

        attach_extractive(core)  # quoted answers when the model cannot use passages
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
        self.knowledge.stop()
        self.memory.stop()
        self.engine.close()
        self.database.close()


def _daily_backup_in_background(path: Path) -> None:
    """Keep a recent backup to offer if the database is ever damaged (off the caller's thread)."""
    import threading
    import time

    from assistant.store import backup

    latest = backup.list_backups(path)
    if latest and time.time() - latest[0].stat().st_mtime < 24 * 3600:
        return

    def run() -> None:
        try:
            backup.take_backup(path, "daily")
        except Exception:  # a failed backup must never disturb the app; it is retried next start
            import logging

            logging.getLogger(__name__).exception("daily backup failed")

    threading.Thread(target=run, name="daily-backup", daemon=True).start()
