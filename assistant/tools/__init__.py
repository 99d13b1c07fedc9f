"""The tools. Each module registers its functions with ``register(registry)``."""

from __future__ import annotations

from assistant.agent.registry import ToolRegistry


def default_registry() -> ToolRegistry:
    from assistant.tools import clock, schedule, search, web

    registry = ToolRegistry()
    for module in (schedule, search, clock, web):
        module.register(registry)
    return registry
