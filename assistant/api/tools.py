"""A client's ``tools`` through the agent's constrained decoding.

The client runs its tools, not us: we only decide whether one is called and with which
arguments, the way the agent does for its own tools (``assistant.agent``): stage 1 chooses a
name from an enum (or "none"), stage 2 fills that tool's JSON schema, both grammar-constrained
on the local model. An engine that parses tool calls itself (a remote OpenAI-compatible
server) gets the tools as they are.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from assistant.agent import prompts
from assistant.agent.registry import Tool
from assistant.api.openai_format import FunctionSpec
from assistant.engine.base import (
    CancelToken,
    ChatRequest,
    Engine,
    GenerationStats,
    ToolCallRequest,
)
from assistant.events import TextDelta

#: Arguments may be longer than the agent's own (which are a few of the user's words).
ARGUMENT_TOKENS = 512
CHOICE_TOKENS = 48


@dataclass(frozen=True)
class Decision:
    #: (name, arguments as a JSON string), or None: answer in text.
    call: tuple[str, str] | None
    #: An engine that handles tools itself may have answered in the same call.
    text: str | None
    prompt_tokens: int = 0
    completion_tokens: int = 0


def decide(engine: Engine, request: ChatRequest, specs: Sequence[FunctionSpec], choice: str,
           cancel: CancelToken) -> Decision:
    """``choice``: "auto", "required" or one tool's name ("none" never reaches here)."""
    if engine.supports_tool_calls:
        return _native(engine, request, specs, choice, cancel)
    return _constrained(engine, request, specs, choice, cancel)


def _native(engine: Engine, request: ChatRequest, specs: Sequence[FunctionSpec], choice: str,
            cancel: CancelToken) -> Decision:
    asked = replace(request, tools=[s.openai() for s in specs], tool_choice=choice)
    text, calls, stats = _ask(engine, asked, cancel)
    used = (stats.prompt_tokens, stats.n_tokens) if stats else (0, 0)
    if calls:
        arguments = json.dumps(calls[0].arguments, ensure_ascii=False)
        return Decision((calls[0].name, arguments), None, *used)
    return Decision(None, text, *used)


def _constrained(engine: Engine, request: ChatRequest, specs: Sequence[FunctionSpec], choice: str,
                 cancel: CancelToken) -> Decision:
    tools = {s.name: _as_tool(s) for s in specs}
    text, after_results = _request_text(request.messages)
    # The stage prompt replaces the last user message (it quotes it), as in the agent's loop.
    base = request.messages if after_results else request.messages[:-1]
    in_template = engine.template_supports_tools
    stage = replace(request, temperature=0.0, ignore_eos=False, tools=[s.openai() for s in specs]
                    if in_template else None, native_tools=in_template, tool_choice=None)
    used = [0, 0]
    name = choice
    if choice in ("auto", "required"):
        prompt = prompts.choice_prompt(list(tools.values()), text, after_results)
        schema = prompts.choice_schema(list(tools), allow_none=choice == "auto")
        reply = _stage(engine, replace(stage, messages=[*base, _user(prompt)], max_tokens=CHOICE_TOKENS,
                                       json_schema=schema), cancel, used)
        parsed = _json(reply)
        name = str(parsed.get("tool")) if isinstance(parsed, dict) else prompts.NONE
    if name not in tools:  # "none", or an unparsable reply: answer in text
        return Decision(None, None, *used)
    tool = tools[name]
    if not tool.parameters["properties"]:
        return Decision((name, "{}"), None, *used)
    now_text = datetime.now().astimezone().strftime("%A %d %B %Y %H:%M")
    prompt = prompts.arguments_prompt(tool, text, now_text)
    reply = _stage(engine, replace(stage, messages=[*base, _user(prompt)], max_tokens=ARGUMENT_TOKENS,
                                   json_schema=prompts.constrained(tool.parameters)), cancel, used)
    parsed = _json(reply)
    arguments = json.dumps(parsed, ensure_ascii=False) if isinstance(parsed, dict) else reply
    return Decision((name, arguments), None, *used)


def _as_tool(spec: FunctionSpec) -> Tool:
    """The agent's prompts read ``name``, ``hint``, ``description`` and ``parameters``."""
    hint = spec.description.strip().splitlines()[0][:200] if spec.description.strip() else spec.name
    return Tool(spec.name, spec.description, _client_runs_it, spec.parameters, hint=hint)


def _client_runs_it(*_args: Any, **_kwargs: Any) -> None:
    raise RuntimeError("API tools are run by the client, never here")


def _request_text(messages: list[dict[str, Any]]) -> tuple[str, bool]:
    """(the last user message, whether anything came after it, e.g. tool results)."""
    for i in range(len(messages) - 1, -1, -1):
        if messages[i]["role"] == "user":
            return str(messages[i].get("content") or ""), i != len(messages) - 1
    return "", True


def _user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def _stage(engine: Engine, request: ChatRequest, cancel: CancelToken, used: list[int]) -> str:
    text, _, stats = _ask(engine, request, cancel)
    if stats is not None:
        used[0] += stats.prompt_tokens
        used[1] += stats.n_tokens
    return text


def _ask(engine: Engine, request: ChatRequest, cancel: CancelToken
         ) -> tuple[str, list[ToolCallRequest], GenerationStats | None]:
    parts: list[str] = []
    calls: list[ToolCallRequest] = []
    stats = None
    for event in engine.chat(request, cancel):
        if isinstance(event, TextDelta):
            parts.append(event.text)
        elif isinstance(event, ToolCallRequest):
            calls.append(event)
        elif isinstance(event, GenerationStats):
            stats = event
    return "".join(parts), calls, stats


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None
