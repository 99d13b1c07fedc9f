"""Understand -> call -> answer, within a step cap. ``Agent.run`` yields the agent's events and
*returns* the answer's request (history + calls + fenced results) or a ComposedAnswer, so
``ChatSession`` hooks it with one ``yield from``. Nothing a tool or a model does can crash the
turn: unknown tools, bad arguments, exceptions and timeouts all become results.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from typing import Any

from assistant.agent import choice, direct, guard, prompts
from assistant.agent.answer import ComposedAnswer, Step, compose
from assistant.agent.confirm import Ticket, nobody_to_ask
from assistant.agent.cues import likely_tools
from assistant.agent.execute import (
    Call,
    Outcome,
    default_action,
    parse_json,
    run_with_timeout,
    transcript_messages,
)
from assistant.agent.registry import Tool, ToolContext, ToolError, ToolRegistry, validate
from assistant.agent.store import AgentSettings, AgentStore, now_epoch
from assistant.engine.base import (
    CancelToken,
    ChatRequest,
    Engine,
    EngineError,
    ToolCallRequest,
)
from assistant.events import ConfirmationNeeded, ToolCallStarted, ToolResult
from assistant.memory.recall import BLOCK_START
from assistant.store.chats import ChatStore

log = logging.getLogger(__name__)
AgentEvents = Generator[Any, None, "ChatRequest | ComposedAnswer"]


@dataclass
class _Turn:
    user_text: str  # the user's own words, without any reference block
    after_message_id: int | None
    read_untrusted: bool  # the model has seen text the user did not write this turn


class Agent:
    def __init__(
        self,
        engine: Engine,
        registry: ToolRegistry,
        store: AgentStore,
        context: Callable[[int], ToolContext],
        settings: Callable[[], AgentSettings] | None = None,
        chats: ChatStore | None = None,
        read_untrusted: Callable[[int], bool] | None = None,
        capable: Callable[[], bool] | None = None,
    ) -> None:
        #: Whether the active model writes good answers from tool results (else composed).
        self.capable = capable or (lambda: False)
        self.chats = chats  # ChatStore: the user's own words (the prompt's may carry recall blocks)
        #: Whether this turn's prompt carries retrieved text the user did not write.
        self.read_untrusted = read_untrusted
        self.engine = engine
        self.registry = registry
        self.store = store
        self.context = context
        self.settings = settings or store.load_settings

    #: Intent cues narrow the model's tool choice (the bench turns them off to measure the model).
    use_cues = True
    #: Understanding first (off: the model path alone, for baselines and guard tests).
    use_understanding = True

    @property
    def native(self) -> bool:
        """The engine parses tool calls itself (OpenAI ``tools``); else two constrained stages.
        Asked on every turn: the user may switch between the local model and a server."""
        return self.engine.supports_tool_calls

    @property
    def template_knows_tools(self) -> bool:
        """The loaded model's own chat template renders tool definitions: the constrained
        stages then show the tools in the format the model was trained on."""
        return self.engine.template_supports_tools

    # the loop ------------------------------------------------------------------------------
    def run(
        self,
        conversation_id: int,
        request: ChatRequest,
        cancel: CancelToken,
        after_message_id: int | None = None,
    ) -> AgentEvents:
        """Understand first; call the tool it names (or let the model choose among a few);
        return the answer's request, or a ComposedAnswer the session shows as it is."""
        settings = self.settings()
        text, after_message_id = self._user_words(conversation_id, request, after_message_id)
        if not settings.enabled or not self.registry.names():
            return request
        ctx = replace(self.context(conversation_id), message_id=after_message_id)
        chosen = direct.plan(text, ctx.now(), ctx.tz, self.registry.names(), self.use_understanding)
        understood = chosen.understanding
        if chosen.answer is not None:  # a time that cannot be saved, a missing slot: ask back
            return ComposedAnswer(chosen.answer)
        if not chosen.acts:
            return request
        direct.prime(ctx, understood)
        turn = _Turn(text, after_message_id, self._prompt_read_untrusted(conversation_id, request))
        steps: list[Step] = []
        transcript = yield from self._steps(chosen, request, ctx, settings, cancel, turn, steps)
        if steps and self.composes(settings):
            return ComposedAnswer(compose(steps, understood.language, ctx.now()))
        return replace(request, messages=[*request.messages, *transcript]) if transcript else request

    def composes(self, settings: AgentSettings) -> bool:
        """Whether the app writes the answer after tools (a small model echoes or loops)."""
        if settings.answer in ("composed", "model"):
            return settings.answer == "composed"
        return not self.capable()

    def _user_words(
        self, conversation_id: int, request: ChatRequest, after_message_id: int | None
    ) -> tuple[str, int | None]:
        text = _last_user_text(request)
        if self.chats is not None and after_message_id is None:
            users = [m for m in self.chats.messages(conversation_id) if m.role == "user"]
            if users:
                return users[-1].content, users[-1].id
        return text, after_message_id

    def _steps(
        self,
        chosen: direct.Plan,
        request: ChatRequest,
        ctx: ToolContext,
        settings: AgentSettings,
        cancel: CancelToken,
        turn: _Turn,
        steps: list[Step],
    ) -> Generator[Any, None, list[dict[str, Any]]]:
        """Tool steps. An understood request takes one; the old model path goes on until the
        model is done, a side effect has happened, or the step cap."""
        conversation_id = ctx.conversation_id or 0
        transcript: list[dict[str, Any]] = []
        seen: set[str] = set()
        for step in range(settings.max_steps):
            if cancel.cancelled:
                break
            try:
                if step == 0:
                    call = self._first(chosen, request, turn.user_text, ctx, cancel)
                else:
                    call = self._decide(request, transcript, turn.user_text, ctx, cancel)
            except EngineError as exc:
                log.warning("tool decision failed: %s", exc.message)
                break
            if call is None:
                break
            key = json.dumps([call.name, call.arguments], sort_keys=True, default=str)
            repeated = key in seen
            seen.add(key)
            call = replace(call, call_id=call.call_id or uuid.uuid4().hex[:12])
            if repeated:
                outcome = Outcome(
                    "error",
                    "Same call repeated; stopped",
                    f"{call.name} was already called with these arguments; its result is above. "
                    "Answer the user now with what you have.",
                )
                yield ToolResult(
                    conversation_id, call.call_id, call.name, outcome.status, outcome.summary, outcome.content
                )
                transcript += transcript_messages(self.registry.get(call.name), call, outcome)
                break
            outcome = yield from self._execute(call, ctx, settings, cancel, turn)
            turn.read_untrusted = True  # a tool result is text the user did not write
            transcript += transcript_messages(self.registry.get(call.name), call, outcome)
            arguments = call.arguments if isinstance(call.arguments, dict) else {}
            steps.append(Step(call.name, arguments, outcome.status, outcome.summary, outcome.content))
            tool = self.registry.get(call.name)
            if not chosen.legacy or (tool is not None and tool.side_effects):
                break  # done what was asked: no further tool steps
        else:
            notice = f"Stopped after {settings.max_steps} tool steps (the limit)."
            yield ToolResult(conversation_id, "step-limit", "agent", "error", notice, notice)
            transcript.append({"role": "user", "content": f"({notice} Answer with what you have.)"})
        return transcript

    def _prompt_read_untrusted(self, conversation_id: int, request: ChatRequest) -> bool:
        if self.read_untrusted is not None:
            return self.read_untrusted(conversation_id)
        return any(BLOCK_START in str(m.get("content") or "") for m in request.messages)

    # deciding --------------------------------------------------------------------------------
    def _first(
        self, chosen: direct.Plan, request: ChatRequest, text: str, ctx: ToolContext, cancel: CancelToken
    ) -> Call | None:
        if chosen.call is not None:
            return Call(*chosen.call)
        if chosen.choices:  # the model chooses among these few; the arguments are understood
            tools = [t for t in self.registry.tools() if t.name in chosen.choices]
            choice_request = self._choice_request(request, [], tools, text, chosen.allow_none)
            names = [t.name for t in tools] + ([prompts.NONE] if chosen.allow_none else [])
            name = choice.pick(self.engine, choice_request, names, cancel)
            return Call(name, chosen.choices[name]) if name in chosen.choices else None
        return self._decide(request, [], text, ctx, cancel)

    def _choice_request(
        self,
        request: ChatRequest,
        transcript: list[dict[str, Any]],
        tools: list[Tool],
        text: str,
        allow_none: bool,
    ) -> ChatRequest:
        return choice.choice_request(request, transcript, tools, text, allow_none, self.template_knows_tools)

    def _decide(
        self,
        request: ChatRequest,
        transcript: list[dict[str, Any]],
        text: str,
        ctx: ToolContext,
        cancel: CancelToken,
    ) -> Call | None:
        """The model path, for what the understanding layer does not cover."""
        tools = self.registry.tools()
        if self.native:
            specs = [t.openai() for t in tools]
            reply, calls = self._ask(
                replace(request, messages=[*request.messages, *transcript], tools=specs, tool_choice="auto"),
                cancel,
            )
            return Call(calls[0].name, calls[0].arguments, calls[0].call_id) if calls else None
        # On the first step, phrasings that name a tool narrow the enum (see agent/cues.py).
        narrowed = likely_tools(text, [t.name for t in tools]) if self.use_cues and not transcript else []
        if narrowed:
            tools = [t for t in tools if t.name in narrowed]
        allow_none = len(narrowed) != 1
        choice_request = self._choice_request(request, transcript, tools, text, allow_none)
        if choice.without_grammar(self.engine, choice_request):
            names = [t.name for t in tools] + ([prompts.NONE] if allow_none else [])
            name = choice.pick(self.engine, choice_request, names, cancel)
        else:
            reply, calls = self._ask(choice_request, cancel)
            if calls:
                return Call(calls[0].name, calls[0].arguments, calls[0].call_id)
            name = choice.chosen_name(reply)
        if not name or name == prompts.NONE:
            return None
        tool = self.registry.get(name)
        if tool is None:
            return Call(name, {})  # reported as an unknown tool
        # Stage 2: the arguments, constrained by the tool's own schema.
        if not tool.parameters["properties"]:
            return Call(tool.name, {})
        now_text = ctx.now().strftime("%A %d %B %Y %H:%M")
        base = choice_request.messages[:-1]
        args_request = replace(
            choice_request,
            messages=[*base, {"role": "user", "content": prompts.arguments_prompt(tool, text, now_text)}],
            json_schema=prompts.constrained(tool.parameters, quote_from=text),
            max_tokens=200,
        )
        reply, _ = self._ask(args_request, cancel)
        parsed = parse_json(reply)
        return Call(tool.name, parsed if parsed is not None else reply)

    def _ask(self, request: ChatRequest, cancel: CancelToken) -> tuple[str, list[ToolCallRequest]]:
        return choice.ask(self.engine, request, cancel)

    # running -----------------------------------------------------------------------------------
    def _execute(
        self, call: Call, ctx: ToolContext, settings: AgentSettings, cancel: CancelToken, turn: _Turn
    ) -> Generator[Any, None, Outcome]:
        cid = ctx.conversation_id or 0
        tool = self.registry.get(call.name)
        started = now_epoch()
        t0 = time.perf_counter()
        arguments = call.arguments if isinstance(call.arguments, dict) else {}
        checked = self._check(call, tool, ctx, turn.user_text)
        if isinstance(checked, Outcome):
            outcome = checked
        else:
            assert tool is not None
            arguments, action = checked
            outcome = yield from self._confirm_and_run(
                call, tool, arguments, action, ctx, settings, cancel, turn
            )
        duration = time.perf_counter() - t0
        yield ToolResult(
            cid, call.call_id, call.name, outcome.status, outcome.summary, outcome.content, duration
        )
        try:
            self.store.record_call(
                cid,
                turn.after_message_id,
                call.call_id,
                call.name,
                arguments,
                outcome.status,
                outcome.summary,
                outcome.content,
                started,
                duration,
            )
        except Exception:  # the history card is lost, the turn is not
            log.exception("could not record tool call")
        return outcome

    def _check(
        self, call: Call, tool: Tool | None, ctx: ToolContext, user_text: str
    ) -> Outcome | tuple[dict[str, Any], str]:
        """(valid arguments, the exact action to show) or the error the model reads. The
        arguments are re-checked here whatever produced them (grammar, remote server, fallback)."""
        if tool is None:
            return Outcome(
                "error",
                f"Unknown tool {call.name!r}",
                f"There is no tool called {call.name!r}. Tools: {', '.join(self.registry.names())}.",
            )
        try:
            arguments = validate(tool, call.arguments)
            guard.check_user_words(tool, arguments, user_text)
            if tool.online and not ctx.web_enabled:
                raise ToolError("Web access is off. The user can turn it on in Settings → Agent.")
            action = tool.preview(ctx, **arguments) if tool.preview else default_action(tool, arguments)
        except ToolError as exc:
            return Outcome("error", str(exc), str(exc))
        except Exception as exc:  # a broken preview is the tool's bug, not the turn's
            return Outcome("error", f"{tool.name} failed", f"{type(exc).__name__}: {exc}")
        return arguments, action

    def _confirm_and_run(
        self,
        call: Call,
        tool: Tool,
        arguments: dict[str, Any],
        action: str,
        ctx: ToolContext,
        settings: AgentSettings,
        cancel: CancelToken,
        turn: _Turn,
    ) -> Generator[Any, None, Outcome]:
        cid = ctx.conversation_id or 0
        if tool.needs_confirmation:
            can_always = guard.may_always_allow(tool, arguments, turn.read_untrusted)
            if not (can_always and tool.name in settings.always_allow):
                ticket = Ticket()
                yield ConfirmationNeeded(
                    cid, call.call_id, tool.name, arguments, action, tool.online, ticket, can_always
                )
                answer = ticket.wait(cancel)
                if answer.always and can_always:
                    self._always_allow(tool.name)
                if answer.nobody:
                    return nobody_to_ask(action)
                if not answer.allow:
                    return Outcome(
                        "denied",
                        f"Not done: {action}",
                        f"The user declined: {action}. Do not try again; tell the user it was not done.",
                    )
        yield ToolCallStarted(cid, call.call_id, tool.name, arguments, action, tool.side_effects, tool.online)
        return run_with_timeout(tool, ctx, arguments)

    def _always_allow(self, name: str) -> None:
        settings = self.store.load_settings()
        if name not in settings.always_allow:
            settings.always_allow.append(name)
            self.store.save_settings(settings)


def _last_user_text(request: ChatRequest) -> str:
    """The last user message without the reference block that recall appends to it."""
    for message in reversed(request.messages):
        if message.get("role") == "user":
            return str(message.get("content") or "").split(BLOCK_START, 1)[0].rstrip()
    return ""
