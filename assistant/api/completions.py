"""One chat completion on the engine the window uses, as a stream of plain outputs.

Runs in a worker thread (``assistant.api.bridge``), blocking, under the engine's priority gate
at API priority, so the window's own turns go first. Nothing is stored: API requests never
appear in the user's chat history, memory or recall (another program's conversations are not
the user's), and the window's conversations are never shown to the API.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.api import tools
from assistant.api.openai_format import ChatParams, StopScanner
from assistant.api.queue import RequestQueue
from assistant.chat.loops import LinkedCancel, LoopDetector, find_loop, note_for_messages, with_note
from assistant.engine.base import CancelToken, ChatRequest, Engine, EngineError, GenerationStats
from assistant.events import TextDelta

if TYPE_CHECKING:
    from assistant.core import Core

#: Text goes out at most this often (the first at once), like the window's own batches: every
#: chunk costs JSON, HTTP and the client's parsing, CPU the model shares on a small machine
#: (measured on 2 cores: per-token chunks cost 10% of the model's speed).
BATCH_SECONDS = 0.04


@dataclass(frozen=True)
class Started:
    """The engine is ours and loaded: a streamed reply may start its response now."""

    model: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Call:
    call_id: str
    name: str
    arguments: str  # JSON


@dataclass(frozen=True)
class LoopCut:
    """The reply fell into a loop and was stopped, as the window's replies are
    (``assistant/chat/loops.py``): ``text`` is the whole reply to keep (the repetition cut, the
    note added); a stream has already sent some of the loop and ends with ``note`` instead."""

    text: str
    note: str


@dataclass(frozen=True)
class Finished:
    reason: str  # stop | length | tool_calls
    prompt_tokens: int
    completion_tokens: int


Output = Started | Text | Call | LoopCut | Finished


def model_id(core: Core) -> str:
    """The name clients see for the chat model: the GGUF file's stem, or the remote model's name."""
    config = core.engine_config(core.effective_settings())
    return config.remote.model if config.remote is not None else Path(config.model_path).stem


def chat(core: Core, queue: RequestQueue, params: ChatParams, cancel: CancelToken) -> Iterator[Output]:
    """Wait for the engine, load the model if needed, then decide tools or stream text.
    Returns without output when ``cancel`` fires while waiting (the client left)."""
    with queue.engine(cancel) as held:
        if not held:
            return
        settings = core.effective_settings()
        config = core.engine_config(settings)
        for _event in core.engine.ensure_loaded(config):
            pass  # loading events are for the window; the client just waits
        yield Started(model_id(core))
        request = ChatRequest(
            messages=params.messages,
            temperature=settings.temperature if params.temperature is None else params.temperature,
            max_tokens=min(params.max_tokens or settings.max_reply_tokens, config.n_ctx),
            seed=params.seed,
            ignore_eos=params.ignore_eos,
            json_schema=params.json_schema,
        )
        used = (0, 0)
        if params.tools and params.tool_choice != "none":
            decision = tools.decide(core.engine, request, params.tools, params.tool_choice, cancel)
            used = (decision.prompt_tokens, decision.completion_tokens)
            if decision.call is not None:
                yield Call(f"call_{secrets.token_hex(8)}", *decision.call)
                yield Finished("tool_calls", *used)
                return
            if decision.text is not None:  # the engine answered in the same call
                yield from _whole(decision.text, request, stop_loops(core))
                yield Finished("stop", *used)
                return
        yield from generate(core.engine, request, params.stop, cancel, used, stop_loops(core))


def stop_loops(core: Core) -> bool:
    """The window's choice (the loops bench turns the detector off for its "before" column)."""
    return core.session.stop_loops


def _whole(text: str, request: ChatRequest, loops: bool) -> Iterator[Output]:
    loop = find_loop(text) if loops else None
    if loop is None:
        yield Text(text)
    else:
        yield LoopCut(with_note(loop.keep, request.messages), note_for_messages(request.messages))


def generate(engine: Engine, request: ChatRequest, stops: tuple[str, ...], cancel: CancelToken,
             used: tuple[int, int] = (0, 0), stop_loops: bool = True) -> Iterator[Output]:
    """Stream the reply, cut at the first stop string (the generation is stopped there too), or
    where it falls into a loop (the generation is stopped, the loop cut: ``LoopCut``)."""
    scanner = StopScanner(stops)
    loops = LoopDetector() if stop_loops else None
    inner = LinkedCancel(cancel)  # stops the engine on a loop without ending the client's request
    stats: GenerationStats | None = None
    held: list[str] = []
    last_sent = 0.0
    for event in engine.chat(request, inner):
        if isinstance(event, TextDelta):
            piece = scanner.feed(event.text)
            if loops is not None and (loops.loop or (piece and loops.feed(piece))):
                inner.cancel()  # the rest of the stream is the loop: dropped
                continue
            held.append(piece)
            if scanner.hit and not cancel.cancelled:
                cancel.cancel()  # the engine stops after this token; what it still sends is dropped
            if time.monotonic() - last_sent >= BATCH_SECONDS and "".join(held):
                yield Text("".join(held))
                held.clear()
                last_sent = time.monotonic()
        elif isinstance(event, GenerationStats):
            stats = event
    looped = loops is not None and loops.loop is not None
    tail = "".join(held) + ("" if looped else scanner.flush())
    if tail:
        yield Text(tail)
    if stats is None:
        raise EngineError("The model ended without finishing its reply.", "engine")
    if loops is not None and loops.loop is not None:
        yield LoopCut(with_note(loops.loop.keep, request.messages), note_for_messages(request.messages))
    reason = "length" if stats.finish_reason == "length" and not scanner.hit and not looped else "stop"
    yield Finished(reason, used[0] + stats.prompt_tokens, used[1] + stats.n_tokens)
