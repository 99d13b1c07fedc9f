"""Tools are typed functions with docstrings; their JSON schema comes from the type hints.

@registry.tool(side_effects=True, preview=preview_add)
def add_reminder(ctx: ToolContext, text: str, when: str) -> dict:
    '''Create a reminder.

    Args:
        text: what to remind about, in the user's words
        when: the time exactly as the user said it, e.g. "tomorrow at 9"
    '''
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from assistant.scheduler.store import ReminderStore

Preview = Callable[..., str]
#: (arguments) -> whether the call acts on many items at once ("cancel all reminders").
BulkTest = Callable[[dict[str, Any]], bool]


class ToolError(Exception):
    """A failure the model (and the user) should read: bad arguments, nothing found, offline."""


class Searcher(Protocol):
    """What the search tools call (``assistant.memory.Memory``); they read hits leniently."""

    def search(
        self,
        query: str,
        kinds: Iterable[str] = ...,
        k: int = ...,
        *,
        wait_for_model: bool = ...,
        before_message: int | None = ...,
    ) -> Sequence[object]: ...


#: ToolContext.extra key: {time words: When} the understanding layer already resolved this turn
#: (the schedule tools save exactly the time the user was shown).
UNDERSTOOD_WHEN = "understood_when"


@dataclass
class ToolContext:
    """What a tool may use. Built per turn by the agent; tests build their own."""

    now: Callable[[], datetime]
    tz: str
    conversation_id: int | None = None
    #: The user message this turn answers: searches find only what was said before it (the
    #: question is stored before the tools run; it must not come back as its own answer).
    message_id: int | None = None
    reminders: ReminderStore | None = None
    retriever: Searcher | None = None
    web_enabled: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    function: Callable[..., Any]
    parameters: dict[str, Any]  # JSON schema of the arguments
    side_effects: bool = False  # creates, changes or deletes something: confirm first
    online: bool = False  # goes to the network: confirm first, off unless enabled
    untrusted: bool = False  # returns text from documents/web: always fenced as data
    timeout: float = 10.0
    preview: Preview | None = None  # (ctx, **args) -> the exact action, raising ToolError if invalid
    hint: str = ""  # one line for small models choosing a tool
    bulk: BulkTest | None = None  # bulk calls always ask, whatever "always allow" says

    @property
    def needs_confirmation(self) -> bool:
        return self.side_effects or self.online

    def is_bulk(self, arguments: dict[str, Any]) -> bool:
        return bool(self.bulk and self.bulk(arguments))

    def openai(self) -> dict[str, Any]:
        spec = {"name": self.name, "description": self.description, "parameters": self.parameters}
        return {"type": "function", "function": spec}


class ToolRegistry:
    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}

    def tool(
        self,
        *,
        side_effects: bool = False,
        online: bool = False,
        untrusted: bool = False,
        timeout: float = 10.0,
        preview: Preview | None = None,
        hint: str = "",
        bulk: BulkTest | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            description, params = schema_for(func)
            self.add(
                Tool(
                    func.__name__,
                    description,
                    func,
                    params,
                    side_effects,
                    online,
                    untrusted,
                    timeout,
                    preview,
                    hint or description.split(".")[0],
                    bulk,
                )
            )
            return func

        return register

    def add(self, tool: Tool) -> None:
        if tool.name in self._tools:
            raise ValueError(f"A tool called {tool.name!r} is already registered.")
        self._tools[tool.name] = tool

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def names(self) -> list[str]:
        return list(self._tools)

    def tools(self) -> list[Tool]:
        return list(self._tools.values())

    def subset(self, names: list[str]) -> ToolRegistry:
        chosen = ToolRegistry()
        for name in names:
            if name in self._tools:
                chosen.add(self._tools[name])
        return chosen


_ARG_LINE = re.compile(r"^(\w+)(?:\s*\([^)]*\))?:\s*(.+)$")


def schema_for(func: Callable[..., Any]) -> tuple[str, dict[str, Any]]:
    """(description, JSON schema) from the signature, type hints and a Google-style docstring.
    A first parameter annotated ``ToolContext`` is supplied by the agent, not the model."""
    hints = typing.get_type_hints(func)
    doc = inspect.getdoc(func) or ""
    summary, _, rest = doc.partition("\nArgs:")
    arg_docs: dict[str, str] = {}
    current, base = "", -1
    for line in rest.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        match = _ARG_LINE.match(line.strip())
        if match and (base < 0 or indent <= base):
            base, current = indent, match.group(1)
            arg_docs[current] = match.group(2).strip()
        elif current:
            arg_docs[current] += " " + line.strip()
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, param in inspect.signature(func).parameters.items():
        hint = hints.get(name, str)
        if hint is ToolContext:
            continue
        prop = json_type(hint)
        if name in arg_docs:
            prop["description"] = arg_docs[name]
        if param.default is inspect.Parameter.empty:
            required.append(name)
        elif param.default is not None:
            prop["default"] = param.default
        properties[name] = prop
    schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    return " ".join(summary.split()), schema


def json_type(hint: Any) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return json_type(args[0]) if len(args) == 1 else {"anyOf": [json_type(a) for a in args]}
    if origin is Literal:
        return {"type": "string" if all(isinstance(a, str) for a in args) else "integer", "enum": list(args)}
    if origin in (list, tuple, set):
        return {"type": "array", "items": json_type(args[0]) if args else {}}
    if origin is dict or hint is dict:
        return {"type": "object"}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if hint in simple:
        return {"type": simple[hint]}
    raise TypeError(f"Tool parameters must be JSON types; {hint!r} is not supported.")


def validate(tool: Tool, arguments: Any) -> dict[str, Any]:
    """The arguments if they fit the schema, else a ToolError saying what is wrong."""
    import jsonschema

    if not isinstance(arguments, dict):
        raise ToolError(f"Arguments for {tool.name} must be a JSON object.")
    try:
        jsonschema.validate(arguments, tool.parameters)
    except jsonschema.ValidationError as exc:
        where = ".".join(str(p) for p in exc.absolute_path) or "arguments"
        raise ToolError(f"Invalid arguments for {tool.name}: {where}: {exc.message}") from None
    return arguments
