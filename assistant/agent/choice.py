"""Stage 1 of the model path: which tool. A JSON enum decoded under a grammar, or, on an
engine that can (the local model process), the same greedy choice made without the grammar
from one prompt evaluation (engine/scoring.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assistant.agent import prompts
from assistant.agent.execute import parse_json
from assistant.agent.registry import Tool
from assistant.engine.base import CancelToken, ChatRequest, Engine, OptionChooser, ToolCallRequest
from assistant.events import TextDelta


def choice_request(
    request: ChatRequest,
    transcript: list[dict[str, Any]],
    tools: list[Tool],
    text: str,
    allow_none: bool,
    in_template: bool,
) -> ChatRequest:
    """Which tool (an enum). The history prefix is the chat's, so the KV cache holds."""
    prompt = prompts.choice_prompt(tools, text, after_results=bool(transcript))
    base = [*request.messages[:-1], *([request.messages[-1], *transcript] if transcript else [])]
    return replace(
        request,
        messages=[*base, {"role": "user", "content": prompt}],
        temperature=0.0,
        max_tokens=48,
        json_schema=prompts.choice_schema([t.name for t in tools], allow_none=allow_none),
        keep_from=request.keep_from,
        tools=[t.openai() for t in tools] if in_template else request.tools,
        native_tools=in_template,
    )


def without_grammar(engine: Engine, request: ChatRequest) -> bool:
    """Chosen without the grammar on an engine that can, unless the model's template renders
    the tools itself (such a model may answer in its own tool-call syntax)."""
    return isinstance(engine, OptionChooser) and not request.native_tools


def pick(engine: Engine, request: ChatRequest, names: list[str], cancel: CancelToken) -> str:
    """One of ``names``: chosen from one prompt evaluation where the engine can, else decoded
    under the choice grammar (the same greedy choice, several times slower)."""
    if without_grammar(engine, request) and not cancel.cancelled:
        assert isinstance(engine, OptionChooser)
        replies = prompts.choice_replies(names)
        index = engine.choose_option(replace(request, json_schema=None), "", [r for r, _ in replies])
        if index is not None:
            return replies[index][1]
    reply, _ = ask(engine, request, cancel)
    return chosen_name(reply)


def ask(engine: Engine, request: ChatRequest, cancel: CancelToken) -> tuple[str, list[ToolCallRequest]]:
    parts: list[str] = []
    calls: list[ToolCallRequest] = []
    for event in engine.chat(request, cancel):
        if isinstance(event, TextDelta):
            parts.append(event.text)
        elif isinstance(event, ToolCallRequest):
            calls.append(event)
    return "".join(parts), calls


def chosen_name(reply: str) -> str:
    parsed = parse_json(reply)
    return str(parsed.get("tool") or "") if isinstance(parsed, dict) else ""
