"""now / date arithmetic, so the model never guesses today's date."""

from __future__ import annotations

from typing import Any

from assistant.agent.registry import ToolContext, ToolError, ToolRegistry
from assistant.scheduler.parse import TimeParseError, format_time, parse_when
from assistant.scheduler.zones import zone


def now(ctx: ToolContext) -> dict[str, Any]:
    """The current date, time, weekday and time zone."""
    moment = ctx.now().astimezone(zone(ctx.tz))
    return {
        "summary": f"It is {format_time(moment)} ({ctx.tz})",
        "iso": moment.isoformat(),
        "weekday": f"{moment:%A}",
        "tz": ctx.tz,
    }


def date_calc(ctx: ToolContext, expression: str) -> dict[str, Any]:
    """Work out a date: which day a phrase means and how many days away it is.

    Args:
        expression: a date phrase in the user's words, e.g. "in 3 weeks", "25 December", "next Monday"
    """
    current = ctx.now().astimezone(zone(ctx.tz))
    try:
        parsed = parse_when(expression, current, ctx.tz, allow_past=True)
    except TimeParseError as exc:
        raise ToolError(exc.message) from exc
    days = (parsed.start.date() - current.date()).days
    return {
        "summary": f"{expression}: {format_time(parsed.start)} ({days:+d} days)",
        "iso": parsed.start.isoformat(),
        "days_from_today": days,
    }


def register(registry: ToolRegistry) -> None:
    registry.tool(hint="current date and time")(now)
    registry.tool(hint="which date a phrase means, days until a date")(date_calc)
