"""Running one tool call: in a daemon thread with a timeout, its result made an Outcome."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

from assistant.agent import prompts
from assistant.agent.registry import Tool, ToolContext, ToolError

log = logging.getLogger(__name__)
MAX_RESULT_CHARS = 6000


@dataclass(frozen=True)
class Call:
    name: str
    arguments: Any
    call_id: str = ""


@dataclass(frozen=True)
class Outcome:
    status: str  # ok | error | denied | timeout
    summary: str
    content: str


def run_with_timeout(tool: Tool, ctx: ToolContext, arguments: dict[str, Any]) -> Outcome:
    """Run in a daemon thread: a hung tool costs its timeout, never the turn. (A thread cannot
    be killed; side-effect tools are quick local writes, the slow ones are read-only or online.)"""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = tool.function(ctx, **arguments)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"tool-{tool.name}", daemon=True)
    thread.start()
    thread.join(tool.timeout)
    if thread.is_alive():
        return Outcome(
            "timeout",
            f"{tool.name} timed out after {tool.timeout:g} s",
            f"{tool.name} did not finish within {tool.timeout:g} s.",
        )
    if "error" in box:
        exc = box["error"]
        if isinstance(exc, ToolError):
            return Outcome("error", str(exc), str(exc))
        log.warning("tool %s raised", tool.name, exc_info=exc)
        return Outcome("error", f"{tool.name} failed: {type(exc).__name__}", f"{type(exc).__name__}: {exc}")
    value = box.get("value")
    content = (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str, indent=1)
    )
    summary = (
        value.get("summary") if isinstance(value, dict) and isinstance(value.get("summary"), str) else ""
    )
    return Outcome("ok", summary or content.splitlines()[0][:120] if content else "done", content)


def default_action(tool: Tool, arguments: dict[str, Any]) -> str:
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    return f"{tool.name}({shown})"


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def transcript_messages(tool: Tool | None, call: Call, outcome: Outcome) -> list[dict[str, Any]]:
    """The call and its fenced result, as the model reads them on the next step."""
    tool = tool or Tool(call.name, "", lambda: None, {"properties": {}})
    args = json.dumps(call.arguments if isinstance(call.arguments, dict) else {}, ensure_ascii=False)
    return [
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": call.call_id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": args},
                }
            ],
        },
        {
            "role": "tool",
            "tool_call_id": call.call_id,
            "name": call.name,
            "content": prompts.fence(tool, outcome.content[:MAX_RESULT_CHARS], outcome.status),
        },
    ]
