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
                       chats=core.chats, read_untrusted=read_untrusted)
    core.session.agent = core.agent
    return core.agent
