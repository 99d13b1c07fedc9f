"""From an Understanding to the tool call the agent makes, with no model in between.

``plan`` returns one of: a call to make (sure), a few tools for the constrained model stage to
choose among (unsure; the arguments still come from the understanding), an answer to give
instead of acting (a time that cannot be saved, a missing time or text), the old model path
(``legacy``: a request about a tool the understanding does not cover), or nothing (no tool).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant.agent import cues, prompts
from assistant.agent.registry import UNDERSTOOD_WHEN, ToolContext
from assistant.understand.intent import Understanding, understand
from assistant.understand.when import When

#: The tool each intent calls (search_facts searches saved facts *and* chats).
TOOL_OF = {
    "add_reminder": "add_reminder",
    "add_event": "add_reminder",
    "list_agenda": "list_agenda",
    "cancel": "cancel_reminder",
    "move": "move_reminder",
    "snooze": "snooze_reminder",
    "complete": "complete_reminder",
    "search_chats": "search_chats",
    "search_facts": "search_memory",
    "search_documents": "search_documents",
}
_ASK = {
    "when": (
        "When should it be? Say a day and a time, e.g. “tomorrow at 9”.",
        "要定在什么时候？请说一个日期和时间，比如“明天上午9点”。",
    ),
    "what": ("What should the reminder say?", "要提醒你什么事？"),
    "which": (
        "Which reminder do you mean? Say a few words of it, or its number.",
        "是哪一个提醒？说几个字或它的编号就行。",
    ),
}


@dataclass(frozen=True)
class Plan:
    understanding: Understanding
    call: tuple[str, dict[str, Any]] | None = None
    #: tool name -> arguments, for the model to choose among (and "none" when it may decline).
    choices: dict[str, dict[str, Any]] = field(default_factory=dict)
    allow_none: bool = False
    answer: str | None = None
    legacy: bool = False

    @property
    def acts(self) -> bool:
        return bool(self.call or self.choices or self.legacy)


def plan(text: str, now: datetime, tz: str, available: list[str], deterministic: bool = True) -> Plan:
    understood = understand(text, now, tz)
    if not deterministic:
        return Plan(understood, legacy=prompts.might_need_tool(text))
    if understood.intent == "none" or not _covered(understood, available):
        return Plan(understood, legacy=_legacy(text, understood, available))
    if understood.sure:
        return _sure(understood, understood.intent)
    choices: dict[str, dict[str, Any]] = {}
    for intent in understood.candidates:
        tool = TOOL_OF.get(intent)
        args = arguments(understood, intent)
        if tool in available and isinstance(args, dict) and tool not in choices:
            choices[tool] = args
    if len(choices) == 1 and "none" not in understood.candidates:
        ((tool, args),) = choices.items()
        return Plan(understood, call=(tool, args))
    return Plan(understood, choices=choices, allow_none=True) if choices else Plan(understood)


def prime(ctx: ToolContext, understood: Understanding) -> None:
    """Hand the tools what was understood: the language, and the time already resolved for
    the time words (so the tool saves exactly the time the user is shown)."""
    ctx.extra["language"] = understood.language
    if isinstance(understood.when, When) and understood.when_text:
        ctx.extra[UNDERSTOOD_WHEN] = {understood.when_text: understood.when}


def _sure(understood: Understanding, intent: str) -> Plan:
    args = arguments(understood, intent)
    if isinstance(args, str):
        return Plan(understood, answer=args)
    return Plan(understood, call=(TOOL_OF[intent], args))


def arguments(u: Understanding, intent: str) -> dict[str, Any] | str:
    """The tool's arguments, all in the user's own words, or what to ask back instead."""
    zh = u.language == "zh"
    if intent == "move" and u.shift and u.what:
        return {"reminder": u.what, "by": u.shift}
    if intent in ("add_reminder", "add_event", "move"):
        if u.problem is not None:
            return u.problem.message_zh if zh else u.problem.message_en
        if u.when is None or not u.when_text:
            return _ASK["when"][zh]
    if intent in ("add_reminder", "add_event"):
        if not u.what:
            return _ASK["what"][zh]
        return {"text": u.what, "when": u.when_text, "kind": "event" if intent == "add_event" else "reminder"}
    if intent == "snooze":  # no reminder named (""): the one that just came due
        return {"reminder": u.what, **({"duration": u.duration} if u.duration else {})}
    if intent == "complete" and not u.what:  # "done ✅", "搞定了": the one in view
        return {"reminder": ""}
    # "改到周六晚上8点": in Chinese the one at hand goes unsaid (the tool takes the one just due);
    # nothing to cancel is ever guessed
    if intent in ("cancel", "move") and not u.what and (intent == "cancel" or not zh):
        return _ASK["which"][zh]
    if intent == "move":
        return {"reminder": u.what, "when": u.when_text}
    if intent in ("cancel", "complete"):
        return {"reminder": u.what}
    if intent == "list_agenda":
        return {"period": u.period}
    return {"query": u.what, "k": 5}


def _covered(u: Understanding, available: list[str]) -> bool:
    if u.sure:
        return TOOL_OF.get(u.intent) in available
    return any(TOOL_OF.get(i) in available for i in u.candidates)


def _legacy(text: str, u: Understanding, available: list[str]) -> bool:
    """The old model path, for tools the understanding does not cover (clock, web, a test's
    own tools): only when the request passes the cheap gate, and for the default tools only
    when a cue names one of those others."""
    if not prompts.might_need_tool(text):
        return False
    if u.intent != "none":
        return True  # understood, but its tool is not registered here
    others = [n for n in available if n not in TOOL_OF.values()]
    if len(others) == len(available):
        return True
    return bool(cues.likely_tools(text, others))
