"""Wires the agent into a Core: reminders, the due service, tools, and the session hook."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.agent.loop import Agent
from assistant.agent.registry import ToolContext, ToolRegistry
from assistant.agent.store import AgentStore
from assistant.scheduler.service import DueService
from assistant.scheduler.store import ReminderStore
from assistant.scheduler.zones import zone


def attach_agent(core: Any, registry: ToolRegistry | None = None) -> Agent:
    """Sets ``core.reminders``, ``core.due``, ``core.agent_store``, ``core.agent`` and the
    session's hook. The UI reads these; nothing here loads a model or imports Qt."""
    from assistant.tools import default_registry

    core.reminders = ReminderStore(core.database)
    core.due = DueService(core.reminders)
    core.agent_store = AgentStore(core.database)

    def context(conversation_id: int) -> ToolContext:
        settings = core.agent_store.load_settings()
        tz = settings.zone()
        return ToolContext(
            now=lambda: datetime.now(zone(tz)), tz=tz, conversation_id=conversation_id,
            reminders=core.reminders, retriever=getattr(core, "memory", None),
            web_enabled=settings.web_enabled,
        )

    def read_untrusted(conversation_id: int) -> bool:
        memory = getattr(core, "memory", None)
        return bool(memory is not None and memory.read_untrusted(conversation_id))

    core.agent = Agent(core.engine, registry or default_registry(), core.agent_store, context,
                       chats=core.chats, read_untrusted=read_untrusted, capable=lambda: writes_answers(core))
    core.session.agent = core.agent
    return core.agent


#: A model this large writes its own answer from tool results; smaller ones get a composed one.
CAPABLE_PARAMETERS = 3_000_000_000
_SIZES: dict[str, int] = {}


def writes_answers(core: Any) -> bool:
    """Whether the active model is capable of writing the answer after tools: a remote server
    (a user runs one for a larger model) or a local GGUF of at least CAPABLE_PARAMETERS."""
    settings = getattr(core, "settings", None)
    if settings is None:
        return False
    if getattr(settings, "active_connection", 0):
        return True
    found = settings.effective_model_path()
    if not found:
        return False
    path = str(found)
    if path not in _SIZES:
        from pathlib import Path

        from assistant.models.gguf_header import read_header

        try:
            _SIZES[path] = read_header(Path(path)).n_params
        except Exception:  # not a GGUF, unreadable: treat as small
            _SIZES[path] = 0
    return _SIZES[path] >= CAPABLE_PARAMETERS

