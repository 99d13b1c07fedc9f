"""RemoteEngine: any OpenAI-compatible server (vLLM, llama.cpp server, Ollama, LM Studio).

Speaks ``GET /models`` and streaming ``POST /chat/completions`` with the stdlib
``http.client``: no new dependency, a connect timeout and a per-read timeout on the socket,
and a blocking read can be cut short by shutting the socket down from a watcher thread,
which is how Stop takes effect at once even while the server is silent.
"""

from __future__ import annotations

import http.client
import json
import logging
import math
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from assistant.engine.base import (
    CancelToken,
    ChatRequest,
    EngineConfig,
    EngineError,
    EngineEvent,
    GenerationStats,
    RemoteConfig,
    ToolCallRequest,
)
from assistant.engine.context import PromptTooLong, choose_start
from assistant.engine.openai_http import (
    check_url,
    connect,
    http_error,
    parse_chunk,
    read_body,
    send,
    sse_data,
)
from assistant.events import ContextTrimmed, ModelLoaded, StatusChanged, TextDelta

log = logging.getLogger(__name__)

#: How often the watcher looks at the cancel token: the worst-case delay of Stop.
CANCEL_POLL_SECONDS = 0.05
#: ASCII characters per token; real tokenizers do ~4 on English, this leaves a margin.
CHARS_PER_TOKEN = 3.6
#: Chat templates add a few tokens per message (role markers, separators).
MESSAGE_OVERHEAD_TOKENS = 4


def estimate_tokens(text: str) -> int:
    """A cheap, slightly generous count: ASCII at ``CHARS_PER_TOKEN``, 1 token per other char.

    Asking the server to tokenize would cost a round trip per trimming step, and only some
    servers offer it (each at another path). Measured on the starter model's tokenizer the
    ASCII rate is ~10% over for English and code; counting each non-ASCII char as a token
    keeps Chinese or Russian from being underestimated several-fold (small English-centric
    tokenizers still need ~1.8 per Chinese char; the ``usage`` calibration covers those).
    """
    ascii_chars = len(text.encode("ascii", "ignore"))
    return math.ceil(ascii_chars / CHARS_PER_TOKEN) + (len(text) - ascii_chars)


@dataclass
class _Reply:
    """What one streamed reply has told us so far."""

    chunks: int = 0
    first: float = 0.0
    last: float = 0.0
    finish_reason: str = ""
    done: bool = False
    usage: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, Any] = field(default_factory=dict)
    #: OpenAI streams each tool call as fragments keyed by index: id, name, argument text.
    calls: dict[int, dict[str, str]] = field(default_factory=dict)

    def add_call_fragments(self, fragments: list[Any]) -> None:
        for fragment in fragments:
            if not isinstance(fragment, dict):
                continue
            call = self.calls.setdefault(int(fragment.get("index") or 0), {"id": "", "name": "", "args": ""})
            function = fragment.get("function") or {}
            call["id"] = call["id"] or str(fragment.get("id") or "")
            call["name"] += str(function.get("name") or "")
            call["args"] += str(function.get("arguments") or "")

    def tool_calls(self) -> Iterator[ToolCallRequest]:
        for _, call in sorted(self.calls.items()):
            try:
                arguments = json.loads(call["args"] or "{}")
            except ValueError:
                arguments = None
            if not isinstance(arguments, dict):
                # The model's mistake, not the server's: the agent's validation reports the
                # missing arguments back to the model.
                log.warning("tool call %s had unreadable arguments: %r", call["name"], call["args"][:200])
                arguments = {}
            yield ToolCallRequest(call["name"], arguments, call["id"])


@dataclass
class Compat:
    """Optional request fields, switched off one by one when a server refuses them."""

    usage: bool = True  # stream_options.include_usage (OpenAI, vLLM, llama-server, Ollama)
    json_schema: bool = True  # response_format json_schema; else llama-cpp-python's json_object

    def downgrade(self, body: bytes) -> bool:
        text = body.lower()
        if self.usage and b"stream_options" in text:
            self.usage = False
            return True
        if self.json_schema and (b"response_format" in text or b"json_schema" in text):
            self.json_schema = False
            return True
        return False


def _watch(cancel: CancelToken, sock: socket.socket) -> threading.Event:
    """Shut the socket down when the user presses Stop, so a blocked read returns now instead
    of after ``read_timeout``; the server sees the disconnect and stops too. Set the returned
    event to end the watch."""
    finished = threading.Event()

    def run() -> None:
        while not finished.is_set():
            if cancel.wait(CANCEL_POLL_SECONDS):
                with suppress(OSError):  # already closed: nothing left to interrupt
                    sock.shutdown(socket.SHUT_RDWR)
                return

    threading.Thread(target=run, daemon=True, name="remote-cancel").start()
    return finished


class RemoteEngine:
    """The Engine protocol over HTTP. ``default`` serves when ``EngineConfig.remote`` is unset."""

    def __init__(self, default: RemoteConfig | None = None, supports_tool_calls: bool = False) -> None:
        self._default = default
        #: Read by the agent: True sends OpenAI ``tools`` and reads ``tool_calls`` back. Off by
        #: default: many servers need a flag or a tool-trained model for it, while the agent's
        #: constrained stages (``json_schema`` -> ``response_format``) work nearly everywhere.
        self.supports_tool_calls = supports_tool_calls
        #: The server renders its own template; we never see whether it knows tools.
        self.template_supports_tools = False
        self._config: EngineConfig | None = None
        self._remote: RemoteConfig | None = None
        self._model = ""
        #: Real prompt tokens / our estimate, learnt from ``usage`` replies.
        self._scale = 1.0
        #: Request fields this server refused, so we stop sending them (see ``_downgrade``).
        self._compat = Compat()

    # lifecycle ---------------------------------------------------------------------------
    def ensure_loaded(self, config: EngineConfig) -> Iterator[EngineEvent]:
        remote = config.remote or self._default
        if remote is None:
            raise EngineError("No remote server is set. Enter its address in Settings.", "remote_config")
        if self._config == config and self._remote == remote:
            return
        self._config = self._remote = None
        url = remote.base_url
        check_url(url)
        yield StatusChanged("loading", url)
        t0 = time.perf_counter()
        conn = connect(remote)
        try:
            response = send(conn, remote, "GET", "/models", None)
            body = read_body(response, remote)
            if response.status >= 400:
                raise http_error(remote, response.status, body, "/models")
        finally:
            conn.close()
        try:
            listed = [str(m["id"]) for m in json.loads(body)["data"] if isinstance(m, dict) and m.get("id")]
        except (ValueError, TypeError, KeyError) as exc:
            raise EngineError(
                f"The server at {url} answered /models with something that is not an OpenAI model "
                "list. Check that the address points at an OpenAI-compatible API (it often ends in /v1).",
                "remote_bad_response",
            ) from exc
        model = remote.model or (listed[0] if listed else "")
        if not model:
            raise EngineError(f"The server at {url} lists no models; enter a model name in Settings.",
                              "remote_config")
        # Lenient: Ollama lists "llama3:latest" for "llama3", and single-model servers
        # (llama.cpp) answer whatever name is asked. The chat request gives the final word.
        if listed and model not in listed and f"{model}:latest" not in listed:
            shown = ", ".join(listed[:5]) + (" ..." if len(listed) > 5 else "")
            log.warning("model %r is not listed by %s (%s)", model, url, shown)
            yield StatusChanged("loading", f"The server does not list '{model}' (it lists: {shown}); "
                                           "trying it anyway.")
        self._config, self._remote, self._model = config, remote, model
        yield ModelLoaded(
            name=model,
            path=url,
            n_ctx=config.n_ctx,
            n_threads=config.n_threads,
            n_gpu_layers=config.n_gpu_layers,
            load_seconds=time.perf_counter() - t0,
        )

    def close(self) -> None:
        self._config = self._remote = None

    # chatting ------------------------------------------------------------------------------
    def chat(self, request: ChatRequest, cancel: CancelToken) -> Iterator[EngineEvent]:
        if self._config is None or self._remote is None:
            raise EngineError("The remote server is not connected.", "not_loaded")
        remote = self._remote
        messages, start, total = self._fit(request, self._config.n_ctx)
        if start > 0:
            yield ContextTrimmed(start, total - start)
        t0 = time.perf_counter()
        reply = _Reply()
        for _attempt in range(3):
            payload = build_payload(request, self._model, messages, self._compat)
            conn = connect(remote)
            watch = _watch(cancel, conn.sock) if conn.sock is not None else None
            try:
                response = send(conn, remote, "POST", "/chat/completions", payload)
                if response.status >= 400:
                    body = read_body(response, remote)
                    # Field-specific: llama-cpp-python reports a refused field as HTTP 500.
                    if response.status not in (401, 403) and self._compat.downgrade(body):
                        continue  # an older or stricter server: ask again without that field
                    raise http_error(remote, response.status, body, "/chat/completions")
                yield from self._stream(remote, response, reply, cancel)
                if not cancel.cancelled:
                    yield from reply.tool_calls()
                break
            except EngineError:
                if cancel.cancelled:
                    break  # the failure is our own shutdown() of the socket
                raise
            finally:
                if watch is not None:
                    watch.set()
                conn.close()  # also what abandons the stream when the consumer walks away
        stopped = cancel.cancelled and not reply.done
        yield self._stats(reply, messages, start, t0, stopped)

    def _fit(self, request: ChatRequest, n_ctx: int) -> tuple[list[dict[str, Any]], int, int]:
        """System prompt + the newest history that fits, as the local worker does it."""
        messages = [dict(m) for m in request.messages]
        system = messages[:1] if messages and messages[0].get("role") == "system" else []
        history = messages[len(system):]
        reserve = min(request.max_tokens, n_ctx // 4)
        costs = [self._estimate(m) for m in history]
        # suffix[i] = cost of history[i:], so each count() is O(1) in the binary search.
        suffix = [0] * (len(costs) + 1)
        for i in range(len(costs) - 1, -1, -1):
            suffix[i] = suffix[i + 1] + costs[i]
        fixed = sum(self._estimate(m) for m in system)
        try:
            start = choose_start(
                [str(m.get("role", "")) for m in history],
                lambda s: fixed + suffix[s],
                n_ctx - reserve,
                request.keep_from,
            )
        except PromptTooLong as exc:
            raise EngineError(str(exc), "too_long") from exc
        return system + history[start:], start, len(history)

    def _estimate(self, message: dict[str, Any]) -> int:
        text = message.get("content") or ""
        if not isinstance(text, str):  # multi-part content: count its JSON
            text = json.dumps(text)
        if message.get("tool_calls"):
            text += json.dumps(message["tool_calls"])
        return round(estimate_tokens(text) * self._scale) + MESSAGE_OVERHEAD_TOKENS

    def _stream(
        self, remote: RemoteConfig, response: http.client.HTTPResponse, reply: _Reply, cancel: CancelToken
    ) -> Iterator[TextDelta]:
        for data in sse_data(response, remote):
            if data.strip() == "[DONE]":
                reply.done = True
                return
            chunk = parse_chunk(remote, data)
            if isinstance(chunk.get("usage"), dict):
                reply.usage = chunk["usage"]
            if isinstance(chunk.get("timings"), dict):  # llama.cpp's llama-server
                reply.timings = chunk["timings"]
            for choice in chunk["choices"]:
                delta = choice.get("delta") or {}
                content = delta.get("content")
                if isinstance(delta.get("tool_calls"), list):
                    reply.add_call_fragments(delta["tool_calls"])
                if content and isinstance(content, str):
                    now = time.perf_counter()
                    reply.first = reply.first or now
                    reply.last = now
                    reply.chunks += 1
                    yield TextDelta(content)
                if choice.get("finish_reason"):
                    reply.finish_reason = str(choice["finish_reason"])
            if cancel.cancelled:
                return
        if cancel.cancelled:
            return  # the end of the stream came from our shutdown(): a stop, not a finish
        if not reply.finish_reason:
            raise EngineError(
                f"The server at {remote.base_url} closed the connection before the reply was "
                "complete. The partial reply is saved; try again.",
                "remote_failed",
            )
        reply.done = True  # a finish_reason without [DONE]: some servers end like that

    def _stats(
        self, reply: _Reply, messages: list[dict[str, Any]], start: int, t0: float, stopped: bool
    ) -> GenerationStats:
        estimate = sum(self._estimate(m) for m in messages)
        # llama-server's prompt_n counts only the tokens it had to evaluate, cache_n the rest.
        prompt_tokens = int(reply.usage.get("prompt_tokens")
                            or reply.timings.get("prompt_n", 0) + reply.timings.get("cache_n", 0))
        if reply.usage.get("prompt_tokens") and estimate:
            # Learn how far off the estimate is for this server's tokenizer; bounded so one
            # odd reply cannot make trimming absurd.
            self._scale = min(4.0, max(0.5, self._scale * prompt_tokens / estimate))
        details = reply.usage.get("prompt_tokens_details") or {}
        cached = int(details.get("cached_tokens") or reply.timings.get("cache_n") or 0)
        n_tokens = int(reply.usage.get("completion_tokens") or reply.chunks)
        span = reply.last - reply.first
        return GenerationStats(
            stopped=stopped,
            n_tokens=n_tokens,
            prompt_tokens=prompt_tokens or estimate,
            cached_tokens=cached,
            first_token_seconds=(reply.first - t0) if reply.first else 0.0,
            # The first chunk marks the start, so the rate counts the tokens after it.
            tokens_per_second=(n_tokens - 1) / span if n_tokens > 1 and span > 0 else 0.0,
            keep_from=start,
            finish_reason="stopped" if stopped else (reply.finish_reason or "stop"),
            extra={"chunks": float(reply.chunks)},
        )


# helpers -----------------------------------------------------------------------------------
def build_payload(
    request: ChatRequest, model: str, messages: list[dict[str, Any]], compat: Compat | None = None
) -> dict[str, Any]:
    """The JSON body of a streaming chat completion."""
    compat = compat or Compat()
    payload: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "stream": True,
        "temperature": request.temperature,
        "max_tokens": request.max_tokens,
    }
    if compat.usage:
        payload["stream_options"] = {"include_usage": True}
    if request.seed >= 0:
        payload["seed"] = request.seed
    if request.ignore_eos:
        payload["ignore_eos"] = True  # vLLM and llama-server honour it; others ignore it
    if request.tools:
        payload["tools"] = request.tools  # OpenAI tool schemas, passed through unchanged
        choice = request.tool_choice
        if choice:
            known = ("auto", "none", "required")
            payload["tool_choice"] = choice if choice in known else {"type": "function",
                                                                      "function": {"name": choice}}
    if request.json_schema is not None:
        if compat.json_schema:
            payload["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "reply", "schema": request.json_schema, "strict": True}}
        else:  # llama-cpp-python's server (and llama-server) spelling
            payload["response_format"] = {"type": "json_object", "schema": request.json_schema}
    return payload
