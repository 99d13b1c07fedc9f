"""OpenAI request bodies in, OpenAI response bodies out: plain dicts, checked by hand.

Only what the engine can honour is accepted; anything else is refused with a 400 that names
the field, rather than silently ignored (``n`` > 1, images, token arrays as input).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

ROLES = ("system", "developer", "user", "assistant", "tool")
MAX_MESSAGES = 2000
MAX_STOPS = 4
MAX_TOOLS = 64
MAX_EMBED_INPUTS = 2048
_TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class RequestError(Exception):
    """A request we refuse; becomes an OpenAI-shaped error body with this HTTP status."""

    def __init__(
        self, message: str, param: str | None = None, status: int = 400, kind: str = "invalid_request_error"
    ) -> None:
        super().__init__(message)
        self.message, self.param, self.status, self.kind = message, param, status, kind


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    description: str
    parameters: dict[str, Any]

    def openai(self) -> dict[str, Any]:
        spec = {"name": self.name, "description": self.description, "parameters": self.parameters}
        return {"type": "function", "function": spec}


@dataclass(frozen=True)
class ChatParams:
    messages: list[dict[str, Any]]
    model: str = ""
    stream: bool = False
    include_usage: bool = False
    temperature: float | None = None
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()
    seed: int = -1
    tools: tuple[FunctionSpec, ...] = ()
    #: "auto" | "none" | "required" | the name of one tool
    tool_choice: str = "auto"
    json_schema: dict[str, Any] | None = None
    #: llama.cpp server's extension: generate exactly ``max_tokens`` (benchmarks).
    ignore_eos: bool = False


def error_body(message: str, kind: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


# requests ------------------------------------------------------------------------------------
def parse_chat(body: Any) -> ChatParams:
    if not isinstance(body, dict):
        raise RequestError("The body must be a JSON object.")
    messages = _messages(body.get("messages"))
    if body.get("n", 1) != 1:
        raise RequestError("Only n=1 is supported.", "n")
    stream_options = body.get("stream_options") or {}
    tools = _tools(body.get("tools"))
    max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    return ChatParams(
        messages=messages,
        model=str(body.get("model") or ""),
        stream=_bool(body, "stream"),
        include_usage=isinstance(stream_options, dict) and bool(stream_options.get("include_usage")),
        temperature=_number(body.get("temperature"), "temperature", 0.0, 2.0),
        max_tokens=None if max_tokens is None else int(_in_range(max_tokens, "max_tokens", 1, 1 << 20)),
        stop=_stops(body.get("stop")),
        seed=_seed(body.get("seed")),
        tools=tools,
        tool_choice=_tool_choice(body.get("tool_choice"), tools),
        json_schema=_response_format(body.get("response_format")),
        ignore_eos=_bool(body, "ignore_eos"),
    )


def _bool(body: dict[str, Any], key: str) -> bool:
    value = body.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise RequestError(f"{key} must be true or false.", key)
    return value


def _number(value: Any, name: str, low: float, high: float) -> float | None:
    return None if value is None else _in_range(value, name, low, high)


def _in_range(value: Any, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise RequestError(f"{name} must be a number from {low:g} to {high:g}.", name)
    return float(value)


def _seed(value: Any) -> int:
    """-1 (random) unless given; llama.cpp takes a 32-bit seed."""
    if value is None:
        return -1
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError("seed must be an integer.", "seed")
    return value & 0xFFFFFFFF if value >= 0 else -1


def _messages(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise RequestError("messages must be a non-empty list.", "messages")
    if len(value) > MAX_MESSAGES:
        raise RequestError(f"At most {MAX_MESSAGES} messages.", "messages")
    out: list[dict[str, Any]] = []
    names: dict[str, str] = {}  # tool_call_id -> function name, for tool results without one
    for i, message in enumerate(value):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise RequestError(f"messages[{i}] needs a role: one of {', '.join(ROLES)}.", f"messages[{i}]")
        role = "system" if message["role"] == "developer" else message["role"]
        item: dict[str, Any] = {"role": role, "content": _content(message.get("content"), i)}
        if role == "assistant" and message.get("tool_calls"):
            item["tool_calls"] = _history_calls(message["tool_calls"], i)
            names.update({c["id"]: c["function"]["name"] for c in item["tool_calls"]})
        if role == "tool":
            call_id = str(message.get("tool_call_id") or "")
            item["tool_call_id"] = call_id
            item["name"] = str(message.get("name") or names.get(call_id, "tool"))
        out.append(item)
    return out


def _content(value: Any, i: int) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, list):
        parts = []
        for part in value:
            text = part.get("text") if isinstance(part, dict) and part.get("type") == "text" else None
            if not isinstance(text, str):
                raise RequestError("Only text content parts are supported.", f"messages[{i}].content")
            parts.append(text)
        return "".join(parts)
    raise RequestError("content must be a string or a list of text parts.", f"messages[{i}].content")


def _history_calls(calls: Any, i: int) -> list[dict[str, Any]]:
    if not isinstance(calls, list):
        raise RequestError("tool_calls must be a list.", f"messages[{i}].tool_calls")
    out = []
    for call in calls:
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise RequestError("Each tool call needs a function name.", f"messages[{i}].tool_calls")
        arguments = function.get("arguments")
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments or {}, ensure_ascii=False)
        out.append({"id": str(call.get("id") or ""), "type": "function",
                    "function": {"name": function["name"], "arguments": arguments}})
    return out


def _stops(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    stops = [value] if isinstance(value, str) else value
    valid = isinstance(stops, list) and all(isinstance(s, str) and s for s in stops)
    if not valid or len(stops) > MAX_STOPS:
        raise RequestError(f"stop must be a non-empty string or a list of at most {MAX_STOPS}.", "stop")
    return tuple(stops)


def _tools(value: Any) -> tuple[FunctionSpec, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_TOOLS:
        raise RequestError(f"tools must be a list of at most {MAX_TOOLS}.", "tools")
    specs = []
    for i, tool in enumerate(value):
        function = tool.get("function") if isinstance(tool, dict) and tool.get("type") == "function" else None
        if not isinstance(function, dict) or not _TOOL_NAME.match(str(function.get("name") or "")):
            raise RequestError("Each tool must be a function with a name of [A-Za-z0-9_-]{1,64}.",
                               f"tools[{i}]")
        parameters = function.get("parameters") or {"type": "object", "properties": {}}
        if not isinstance(parameters, dict):
            raise RequestError("parameters must be a JSON schema object.", f"tools[{i}].function.parameters")
        parameters = {**parameters, "properties": parameters.get("properties") or {}}
        specs.append(FunctionSpec(function["name"], str(function.get("description") or ""), parameters))
    if len({s.name for s in specs}) != len(specs):
        raise RequestError("Tool names must be unique.", "tools")
    return tuple(specs)


def _tool_choice(value: Any, tools: tuple[FunctionSpec, ...]) -> str:
    if value is None:
        return "auto"
    if value in ("auto", "none", "required"):
        return str(value)
    name = value.get("function", {}).get("name") if isinstance(value, dict) else None
    if name is None or name not in {t.name for t in tools}:
        raise RequestError("tool_choice must be auto, none, required or one of the tools.", "tool_choice")
    return str(name)


def _response_format(value: Any) -> dict[str, Any] | None:
    if value is None or value == {"type": "text"}:
        return None
    if value == {"type": "json_object"}:
        return {"type": "object"}
    if isinstance(value, dict) and value.get("type") == "json_schema":
        schema = (value.get("json_schema") or {}).get("schema")
        if isinstance(schema, dict):
            return schema
    raise RequestError("response_format must be text, json_object or json_schema with a schema.",
                       "response_format")


def parse_embeddings(body: Any) -> tuple[list[str], str]:
    """(texts, encoding format)."""
    if not isinstance(body, dict):
        raise RequestError("The body must be a JSON object.")
    value = body.get("input")
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise RequestError("input must be a string or a non-empty list of strings.", "input")
    if len(texts) > MAX_EMBED_INPUTS:
        raise RequestError(f"At most {MAX_EMBED_INPUTS} inputs per request.", "input")
    encoding = body.get("encoding_format") or "float"
    if encoding not in ("float", "base64"):
        raise RequestError("encoding_format must be float or base64.", "encoding_format")
    return texts, str(encoding)


# responses ---------------------------------------------------------------------------------
def completion_id() -> str:
    return "chatcmpl-" + secrets.token_hex(12)


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens}


def tool_call(call_id: str, name: str, arguments: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def completion(cid: str, model: str, text: str, calls: list[dict[str, Any]], finish: str,
               used: dict[str, int]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": text if text or not calls else None}
    if calls:
        message["tool_calls"] = calls
    return {"id": cid, "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": used}


def chunk(cid: str, model: str, delta: dict[str, Any], finish: str | None = None,
          used: dict[str, int] | None = None) -> dict[str, Any]:
    choices = [] if used is not None else [{"index": 0, "delta": delta, "finish_reason": finish,
                                            "logprobs": None}]
    body: dict[str, Any] = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()),
                            "model": model, "choices": choices}
    if used is not None:
        body["usage"] = used
    return body


def sse(data: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(data, ensure_ascii=False).encode() + b"\n\n"


DONE = b"data: [DONE]\n\n"


def embeddings(vectors: np.ndarray, model: str, encoding: str, tokens: int) -> dict[str, Any]:
    data = []
    for i, row in enumerate(np.asarray(vectors, dtype="<f4")):
        value: Any = base64.b64encode(row.tobytes()).decode() if encoding == "base64" else row.tolist()
        data.append({"object": "embedding", "index": i, "embedding": value})
    return {"object": "list", "data": data, "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}


def model_entry(model_id: str, owned_by: str = "offline-assistant") -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 0, "owned_by": owned_by}


class StopScanner:
    """Cuts the streamed text at the first stop string. The engine has no stop strings, so the
    tail that could still become one is held back until it cannot (it never reaches the client)."""

    def __init__(self, stops: tuple[str, ...]) -> None:
        self.stops = stops
        self.hit = False
        self._held = ""

    def feed(self, text: str) -> str:
        if self.hit:
            return ""
        if not self.stops:
            return text
        buffer = self._held + text
        found = [i for i in (buffer.find(s) for s in self.stops) if i >= 0]
        if found:
            self.hit, self._held = True, ""
            return buffer[: min(found)]
        keep = max((k for s in self.stops for k in range(1, len(s)) if buffer.endswith(s[:k])), default=0)
        self._held = buffer[len(buffer) - keep :] if keep else ""
        return buffer[: len(buffer) - keep]

    def flush(self) -> str:
        held, self._held = self._held, ""
        return "" if self.hit else held
