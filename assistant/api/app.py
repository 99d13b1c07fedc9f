"""The ASGI app: ``/v1/models``, ``/v1/chat/completions``, ``/v1/embeddings``.

Every request needs ``Authorization: Bearer <token>`` (401 otherwise), and a body announced
or streaming past ``max_body`` bytes is refused with 413 before it is read into memory.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import anyio
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api import completions
from assistant.api import openai_format as fmt
from assistant.api.auth import authorized
from assistant.api.bridge import END, Bridge, ClientGone
from assistant.api.queue import QueueFull, QueueTimeout, RequestQueue
from assistant.engine.base import CancelToken, EngineError

if TYPE_CHECKING:
    from assistant.core import Core

log = logging.getLogger(__name__)
#: Chats are limited by the model's context long before this; embeddings of many texts come close.
MAX_BODY_BYTES = 8 << 20
#: A refused body is read and dropped up to this much / this long, so the client sees the 413.
DRAIN_BYTES = 256 << 20
DRAIN_SECONDS = 10.0
#: Engine failures that mean "not now" rather than "bad request".
UNAVAILABLE = ("not_loaded", "model_missing", "load_failed", "crashed", "connect", "timeout")


def create_app(core: Core, token: str, queue: RequestQueue, max_body: int = MAX_BODY_BYTES) -> ASGIApp:
    api = _Routes(core, queue, max_body)
    app = Starlette(
        routes=[
            Route("/v1/models", api.models, methods=["GET"]),
            Route("/v1/chat/completions", api.chat, methods=["POST"]),
            Route("/v1/embeddings", api.embeddings, methods=["POST"]),
        ],
        exception_handlers={HTTPException: _http_error},
    )
    return Guard(app, token, max_body)


class Guard:
    """Token first, then the announced body size: neither needs the body itself."""

    def __init__(self, app: ASGIApp, token: str, max_body: int) -> None:
        self.app, self.token, self.max_body = app, token, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not authorized(headers.get("authorization"), self.token):
            body = fmt.error_body("Missing or wrong API token (Settings shows it).", "authentication_error",
                                  code="invalid_api_key")
            await JSONResponse(body, 401, {"WWW-Authenticate": "Bearer"})(scope, receive, send)
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            too_large = length.isdigit()
            body = fmt.error_body(_too_large(self.max_body) if too_large else "Bad Content-Length.",
                                  code="request_too_large" if too_large else None)
            await _discard(receive)
            await JSONResponse(body, 413 if too_large else 400, {"Connection": "close"})(scope, receive, send)
            return
        await self.app(scope, receive, send)


class _Routes:
    def __init__(self, core: Core, queue: RequestQueue, max_body: int) -> None:
        self.core, self.queue, self.max_body = core, queue, max_body

    async def models(self, request: Request) -> Response:
        data = []
        try:
            data.append(fmt.model_entry(completions.model_id(self.core)))
        except EngineError:
            pass  # no chat model chosen yet: only the embedder is listed
        embedder = self.core.memory.embedder
        if embedder is not None:
            data.append(fmt.model_entry(embedder.model_id))
        return JSONResponse({"object": "list", "data": data})

    async def chat(self, request: Request) -> Response:
        try:
            params = fmt.parse_chat(await self._json(request))
            cancel = CancelToken()
            self.queue.admit(cancel)
        except (fmt.RequestError, QueueFull) as exc:
            return error_response(exc)
        bridge = Bridge(lambda: completions.chat(self.core, self.queue, params, cancel), cancel,
                        lambda: self.queue.leave(cancel))
        try:
            first = await bridge.next(request)  # the engine is ours and loaded, or it failed
        except ClientGone:
            return Response(status_code=499)  # nobody reads it; uvicorn needs a response
        except Exception as exc:
            return error_response(exc)
        if first is END:
            return Response(status_code=499)
        if params.stream:
            return StreamingResponse(_sse(bridge, first.model, params.include_usage),
                                     media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
        try:
            return JSONResponse(await _collect(bridge, first.model, request))
        except ClientGone:
            return Response(status_code=499)
        except Exception as exc:
            return error_response(exc)

    async def embeddings(self, request: Request) -> Response:
        embedder = self.core.memory.embedder
        if embedder is None:
            reason = self.core.memory.embedder_error or "No embedding model."
            return error_response(EngineError(reason, "model_missing"))
        try:
            texts, encoding = fmt.parse_embeddings(await self._json(request))
            self.queue.admit()
        except (fmt.RequestError, QueueFull) as exc:
            return error_response(exc)
        try:
            # torch in a worker thread; the embedder's own lock keeps one batch at a time.
            vectors = await anyio.to_thread.run_sync(embedder.encode, texts)
        except Exception as exc:
            return error_response(exc)
        finally:
            self.queue.leave()
        # Words, not model tokens: the embedder does not expose its tokenizer (usage is informative).
        tokens = sum(len(t.split()) for t in texts)
        return JSONResponse(fmt.embeddings(vectors, embedder.model_id, encoding, tokens))

    async def _json(self, request: Request) -> Any:
        """The body, counted as it arrives: a chunked upload past the limit stops at the limit."""
        chunks, size, more = [], 0, True
        while more:
            message = await request.receive()
            if message["type"] != "http.request":
                raise fmt.RequestError("The client left before sending the whole body.")
            chunk, more = message.get("body", b""), bool(message.get("more_body", False))
            size += len(chunk)
            if size > self.max_body:
                if more:
                    await _discard(request.receive)
                raise fmt.RequestError(_too_large(self.max_body), status=413)
            chunks.append(chunk)
        try:
            return json.loads(b"".join(chunks))
        except ValueError:
            raise fmt.RequestError("The body is not valid JSON.") from None


async def _collect(bridge: Bridge, model: str, request: Request) -> dict[str, Any]:
    cid = fmt.completion_id()
    parts: list[str] = []
    calls: list[dict[str, Any]] = []
    finished = completions.Finished("stop", 0, 0)
    while (item := await bridge.next(request)) is not END:
        if isinstance(item, completions.Text):
            parts.append(item.text)
        elif isinstance(item, completions.LoopCut):
            parts = [item.text]  # the loop cut out, the note added
        elif isinstance(item, completions.Call):
            calls.append(fmt.tool_call(item.call_id, item.name, item.arguments))
        elif isinstance(item, completions.Finished):
            finished = item
    used = fmt.usage(finished.prompt_tokens, finished.completion_tokens)
    return fmt.completion(cid, model, "".join(parts), calls, finished.reason, used)


async def _sse(bridge: Bridge, model: str, include_usage: bool) -> AsyncIterator[bytes]:
    cid = fmt.completion_id()
    try:
        yield fmt.sse(fmt.chunk(cid, model, {"role": "assistant", "content": ""}))
        while (item := await bridge.next()) is not END:
            if isinstance(item, completions.Text):
                yield fmt.sse(fmt.chunk(cid, model, {"content": item.text}))
            elif isinstance(item, completions.LoopCut):  # what was sent stays: the note ends it
                yield fmt.sse(fmt.chunk(cid, model, {"content": "\n\n" + item.note}))
            elif isinstance(item, completions.Call):
                call = dict(fmt.tool_call(item.call_id, item.name, item.arguments), index=0)
                yield fmt.sse(fmt.chunk(cid, model, {"tool_calls": [call]}))
            elif isinstance(item, completions.Finished):
                yield fmt.sse(fmt.chunk(cid, model, {}, item.reason))
                if include_usage:
                    used = fmt.usage(item.prompt_tokens, item.completion_tokens)
                    yield fmt.sse(fmt.chunk(cid, model, {}, used=used))
        yield fmt.DONE
    except Exception as exc:  # headers are sent: the error travels as an event the clients raise
        yield fmt.sse(_error(exc)[1])
    finally:
        # Reached on a disconnect too (the stream task is cancelled): stop the generation.
        bridge.cancel.cancel()


def error_response(exc: BaseException) -> JSONResponse:
    status, body, headers = _error(exc)
    return JSONResponse(body, status, headers)


def _error(exc: BaseException) -> tuple[int, dict[str, Any], dict[str, str]]:
    if isinstance(exc, fmt.RequestError):
        code = "request_too_large" if exc.status == 413 else None
        return exc.status, fmt.error_body(exc.message, exc.kind, exc.param, code), {}
    if isinstance(exc, QueueFull):
        return 429, fmt.error_body(str(exc), "rate_limit_error", code="queue_full"), {"Retry-After": "1"}
    if isinstance(exc, QueueTimeout):
        return 503, fmt.error_body(str(exc), "server_error", code="busy"), {"Retry-After": "5"}
    if isinstance(exc, EngineError):
        if exc.kind == "too_long":
            return 400, fmt.error_body(exc.message, code="context_length_exceeded"), {}
        status = 503 if exc.kind in UNAVAILABLE else 500
        return status, fmt.error_body(exc.message, "server_error", code=exc.kind), {}
    log.error("API request failed", exc_info=exc)
    return 500, fmt.error_body(f"Internal error: {type(exc).__name__}", "server_error"), {}


async def _discard(receive: Receive) -> None:
    """Read what the client is still sending and throw it away (never kept), up to a bound.
    Answering while the client is mid-upload and closing would reset the connection with its
    bytes unread, and a reset can destroy the 413 before the client reads it; clients write
    the whole body before they look for a reply. Past the bound we answer and close anyway."""
    discarded = 0
    with anyio.move_on_after(DRAIN_SECONDS):
        while discarded < DRAIN_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                return
            discarded += len(message.get("body", b""))
            if not message.get("more_body", False):
                return


def _too_large(limit: int) -> str:
    return f"The body is larger than the limit of {limit // (1 << 20)} MiB."


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
    return JSONResponse(fmt.error_body(str(exc.detail), kind), exc.status_code, exc.headers)
