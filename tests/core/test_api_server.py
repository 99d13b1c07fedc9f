"""The local OpenAI-compatible API, through the official ``openai`` client, on a real server
on 127.0.0.1 over a Core with the scripted engine (fast; the real model is in
test_api_real_model.py)."""

from __future__ import annotations

import base64
import http.client
import json
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import openai
import pytest

from assistant.api import ApiServer, ApiServerError, api_token, regenerate_api_token, token_path
from assistant.core import Core
from assistant.engine.base import CancelToken, ChatRequest
from assistant.engine.gate import API, USER
from assistant.events import Done
from tests.support.memory_fixtures import HashEmbedder

Serve = Callable[..., tuple[ApiServer, openai.OpenAI]]


@pytest.fixture
def serve(make_core: Callable[..., Core]) -> Iterator[Serve]:
    servers: list[ApiServer] = []

    def factory(core: Core | None = None, **options: Any) -> tuple[ApiServer, openai.OpenAI]:
        core = core or make_core()
        server = ApiServer(core, "127.0.0.1", 0, api_token(), **options).start()
        servers.append(server)
        return server, openai.OpenAI(base_url=server.url, api_key=api_token(), max_retries=0, timeout=30)

    yield factory
    for server in servers:
        server.stop()


def _until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


USER_MESSAGES = [{"role": "user", "content": "Say hello."}]


def test_token_is_made_once_kept_private_and_can_be_replaced(assistant_home: Any) -> None:
    first = api_token()
    assert len(first) >= 40 and api_token() == first
    path = token_path()
    assert path.parent == assistant_home and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    second = regenerate_api_token()
    assert second != first and api_token() == second


def test_models_and_tokens(serve: Serve) -> None:
    server, client = serve()
    ids = [m.id for m in client.models.list().data]
    assert ids[0] == "scripted-test" and len(ids) == 2  # the chat model (file stem) and the embedder
    for key in ("wrong", api_token()[:-1] + "x"):
        with pytest.raises(openai.AuthenticationError) as caught:
            openai.OpenAI(base_url=server.url, api_key=key, max_retries=0).models.list()
        assert caught.value.status_code == 401
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("POST", "/v1/chat/completions", body=b"{}")  # no Authorization header at all
    assert conn.getresponse().status == 401


def test_completion_is_answered_with_usage_and_not_stored(
    serve: Serve, make_core: Callable[..., Core]
) -> None:
    core = make_core(replies=["Hello from the API."])
    _, client = serve(core)
    reply = client.chat.completions.create(model="anything", messages=[
        {"role": "system", "content": "Be brief."}, *USER_MESSAGES], temperature=0.0, max_tokens=20)
    assert reply.choices[0].message.content == "Hello from the API."
    assert reply.choices[0].finish_reason == "stop" and reply.model == "scripted-test"
    assert reply.usage is not None and reply.usage.completion_tokens == 4 and reply.usage.total_tokens > 4
    sent: ChatRequest = core.engine.requests[-1]  # type: ignore[attr-defined]
    assert sent.messages == [{"role": "system", "content": "Be brief."}, *USER_MESSAGES]
    assert sent.temperature == 0.0 and sent.max_tokens == 20
    assert core.chats.list_conversations() == []  # the API keeps no history


def test_streaming(serve: Serve, make_core: Callable[..., Core]) -> None:
    _, client = serve(make_core(replies=["One two three four five."]))
    stream = client.chat.completions.create(model="m", messages=USER_MESSAGES, stream=True,
                                            stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "One two three four five."
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == [
        "stop"
    ]
    usage = chunks[-1].usage
    assert chunks[-1].choices == [] and usage is not None and usage.completion_tokens == 5


def test_stop_strings_cut_the_reply_and_stop_the_generation(
    serve: Serve, make_core: Callable[..., Core]
) -> None:
    words = " ".join(f"w{i}" for i in range(200))
    core = make_core(replies=[words], token_delay=0.005)
    _, client = serve(core)
    started = time.monotonic()
    reply = client.chat.completions.create(model="m", messages=USER_MESSAGES, stop=["w3 w"])
    assert reply.choices[0].message.content == "w0 w1 w2 "  # the stop string spans two deltas
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None and reply.usage.completion_tokens < 20  # not all 200 words
    stream = client.chat.completions.create(model="m", messages=USER_MESSAGES, stop=["w5", "w2"], stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "w0 w1 "
    assert time.monotonic() - started < 2.0


WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Current weather for a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
CLOCK = {"type": "function", "function": {"name": "now", "description": "The time."}}


def test_tools_are_decided_with_constrained_decoding(serve: Serve, make_core: Callable[..., Core]) -> None:
    core = make_core(replies=["It is sunny in Paris."])
    engine: Any = core.engine
    engine.constrained = ['{"tool": "get_weather"}', '{"city": "Paris"}']
    _, client = serve(core)
    question = [{"role": "user", "content": "What is the weather in Paris?"}]
    reply = client.chat.completions.create(model="m", messages=question, tools=[WEATHER, CLOCK])
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    call = choice.message.tool_calls[0]  # type: ignore[index]
    assert call.function.name == "get_weather" and json.loads(call.function.arguments) == {"city": "Paris"}
    stage1, stage2 = engine.requests[-2:]
    assert stage1.json_schema["properties"]["tool"]["enum"] == ["get_weather", "now", "none"]
    assert stage2.json_schema["properties"]["city"]["type"] == "string"
    assert "What is the weather in Paris?" in stage2.messages[-1]["content"]

    # The client ran the tool and sends the result back: the model now declines another tool
    # (the scripted engine answers "none" when nothing is scripted) and answers in text.
    follow = [*question, {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
              {"role": "tool", "tool_call_id": call.id, "content": '{"sky": "sunny"}'}]
    answer = client.chat.completions.create(model="m", messages=follow, tools=[WEATHER, CLOCK])
    assert answer.choices[0].message.content == "It is sunny in Paris."
    assert answer.choices[0].finish_reason == "stop"
    final = engine.requests[-1]
    assert final.json_schema is None and final.messages[-1] == {
        "role": "tool", "tool_call_id": call.id, "name": "get_weather", "content": '{"sky": "sunny"}'}

    # A named tool skips the choice; "none" never asks; streaming carries the call as a delta.
    engine.constrained = ['{"city": "Oslo"}']
    named = {"type": "function", "function": {"name": "get_weather"}}
    stream = client.chat.completions.create(
        model="m", messages=question, tools=[WEATHER, CLOCK], stream=True, tool_choice=named  # type: ignore[arg-type]
    )
    chunks = list(stream)
    calls = [c.choices[0].delta.tool_calls for c in chunks if c.choices and c.choices[0].delta.tool_calls]
    assert calls[0][0].function.name == "get_weather"  # type: ignore[index]
    assert json.loads(calls[0][0].function.arguments) == {"city": "Oslo"}  # type: ignore[index]
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    before = len(engine.requests)
    plain = client.chat.completions.create(model="m", messages=question, tools=[WEATHER], tool_choice="none")
    assert plain.choices[0].message.content and len(engine.requests) == before + 1


def test_bad_requests_are_refused_by_name(serve: Serve) -> None:
    server, client = serve()
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="m", messages=USER_MESSAGES, n=2)
    assert caught.value.body["param"] == "n"  # type: ignore[index]
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="m", messages=[])
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("POST", "/v1/chat/completions", body=b"{not json",
                 headers={"Authorization": f"Bearer {api_token()}"})
    assert conn.getresponse().status == 400


def test_embeddings_come_from_the_active_embedder(serve: Serve, make_core: Callable[..., Core]) -> None:
    core = make_core()
    embedder = HashEmbedder()
    core.memory.use_embedder(embedder)
    _, client = serve(core)
    texts = ["the cat sat", "a dog ran", "the cat sat"]
    expected = embedder.encode(texts)
    # Unless told otherwise the official client asks for base64 and decodes it itself.
    reply = client.embeddings.create(model="test-hash-64", input=texts)
    assert np.allclose(np.array([d.embedding for d in reply.data], dtype=np.float32), expected)
    assert reply.model == "test-hash-64"
    raw = client.embeddings.create(model="test-hash-64", input=texts, encoding_format="base64")
    decoded = [np.frombuffer(base64.b64decode(str(d.embedding)), dtype="<f4") for d in raw.data]
    assert np.allclose(np.array(decoded), expected)
    floats = client.embeddings.create(model="test-hash-64", input=texts, encoding_format="float")
    assert np.allclose(np.array([d.embedding for d in floats.data], dtype=np.float32), expected)
    one = client.embeddings.create(model="x", input="the cat sat")
    assert np.allclose(one.data[0].embedding, expected[0])


def test_a_50_mb_body_is_refused_before_it_is_read(serve: Serve) -> None:
    _, client = serve()
    started = time.monotonic()
    with pytest.raises(openai.APIStatusError) as caught:
        client.embeddings.create(model="x", input="a" * (50 << 20))
    assert caught.value.status_code == 413
    assert time.monotonic() - started < 10
    assert client.models.list().data  # the server is fine afterwards


def test_a_chunked_body_is_cut_off_at_the_limit(serve: Serve) -> None:
    server, _ = serve(max_body=1024)

    def body() -> Iterator[bytes]:
        yield b'{"input": "'
        for _ in range(64):
            yield b"a" * 1024
        yield b'"}'

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("POST", "/v1/embeddings", body=body(), encode_chunked=True,
                 headers={"Authorization": f"Bearer {api_token()}", "Transfer-Encoding": "chunked"})
    assert conn.getresponse().status == 413


def test_a_client_that_leaves_mid_stream_stops_the_generation(
    serve: Serve, make_core: Callable[..., Core]
) -> None:
    core = make_core(replies=[" ".join(["word"] * 500)], token_delay=0.02)  # 10 s if never stopped
    server, client = serve(core)
    stream = client.chat.completions.create(model="m", messages=USER_MESSAGES, stream=True)
    received = 0
    for chunk in stream:
        received += bool(chunk.choices and chunk.choices[0].delta.content)
        if received == 3:
            break
    stream.close()
    started = time.monotonic()
    gate = core.session.gate
    _until(lambda: not gate.busy and server.queue.pending == 0, seconds=3)
    assert time.monotonic() - started < 3
    core.engine.replies = ["Still here."]  # type: ignore[attr-defined]
    again = client.chat.completions.create(model="m", messages=USER_MESSAGES)
    assert again.choices[0].message.content == "Still here."
    assert core.engine.requests[0].messages == USER_MESSAGES  # type: ignore[attr-defined]


def test_twenty_clients_are_answered_or_refused_and_the_window_goes_first(
    serve: Serve, make_core: Callable[..., Core]
) -> None:
    order: list[str] = []

    def reply(request: ChatRequest) -> str:
        order.append(str(request.messages[-1]["content"]))
        return " ".join(["token"] * 10)

    core = make_core(replies=[reply], token_delay=0.02)  # ~0.2 s per reply, one at a time
    server, client = serve(core, queue_limit=8)
    outcomes: list[Any] = []

    def api_client(i: int) -> None:
        messages = [{"role": "user", "content": f"api {i}"}]
        try:
            if i % 2:
                list(client.chat.completions.create(model="m", messages=messages, stream=True))
            else:
                client.chat.completions.create(model="m", messages=messages)
            outcomes.append("ok")
        except openai.RateLimitError as exc:
            outcomes.append(exc.status_code)
            assert exc.response.headers.get("retry-after") == "1"
        except Exception as exc:  # anything else fails the test below
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=api_client, args=(i,), daemon=True) for i in range(20)]
    for thread in threads:
        thread.start()
    gate = core.session.gate
    _until(lambda: gate.waiting(API) >= 4)
    conversation = core.chats.create_conversation()
    already = len(order)
    started = time.monotonic()
    events = list(core.session.send(conversation, "hello from the window", CancelToken()))
    waited = time.monotonic() - started
    for thread in threads:
        thread.join(30)
    assert all(not t.is_alive() for t in threads)
    assert len(outcomes) == 20 and set(outcomes) <= {"ok", 429}, outcomes
    assert outcomes.count("ok") >= 8  # the queue's worth at least; the rest were told to retry
    assert [e.status for e in events if isinstance(e, Done)] == ["complete"]
    position = next(i for i, text in enumerate(order) if "hello from the window" in text)
    # Served right after the reply that was generating (one more if it ended as we looked),
    # ahead of the API requests still queued.
    assert position <= already + 1, (position, already, order)
    assert len(order) - position - 1 >= 2
    assert waited < 3.0
    assert server.queue.pending == 0 and not gate.busy and gate.holder not in (USER, API)


def test_remote_addresses_need_an_explicit_choice(make_core: Callable[..., Core]) -> None:
    core = make_core()
    with pytest.raises(ApiServerError):
        ApiServer(core, "0.0.0.0", 0, api_token())
    with pytest.raises(ValueError):
        ApiServer(core, "127.0.0.1", 0, "")
    first = ApiServer(core, "127.0.0.1", 0, api_token()).start()
    try:
        with pytest.raises(ApiServerError, match="Cannot listen"):
            ApiServer(core, "127.0.0.1", first.port, api_token()).start()
    finally:
        first.stop()
    assert not first.running


def test_cli_refuses_a_non_loopback_host_without_allow_remote(capfd: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    # capfd, not capsys: the CLI's error stream may be bound before capsys swaps sys.stderr.
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "--allow-remote" in capfd.readouterr().err


def test_a_client_that_gives_up_while_queued_leaves_the_queue(
    serve: Serve, make_core: Callable[..., Core]
) -> None:
    core = make_core()
    server, _ = serve(core)
    gate = core.session.gate
    gate.acquire(USER)  # the window is generating
    impatient = openai.OpenAI(base_url=server.url, api_key=api_token(), max_retries=0, timeout=0.5)
    with pytest.raises(openai.APITimeoutError):
        impatient.chat.completions.create(model="m", messages=USER_MESSAGES, stream=True)
    _until(lambda: server.queue.pending == 0, seconds=3)  # noticed the disconnect while waiting
    assert gate.waiting() == 0 and gate.holder == USER
    gate.release()
    assert core.engine.requests == []  # type: ignore[attr-defined]


def test_stop_ends_streams_in_flight_frees_the_engine_and_can_start_again(
    make_core: Callable[..., Core],
) -> None:
    core = make_core(replies=[" ".join(["word"] * 500)], token_delay=0.02)
    server = ApiServer(core, "127.0.0.1", 0, api_token()).start()
    client = openai.OpenAI(base_url=server.url, api_key=api_token(), max_retries=0, timeout=10)
    received: list[str] = []

    def reader() -> None:
        try:
            for chunk in client.chat.completions.create(model="m", messages=USER_MESSAGES, stream=True):
                received.extend(c.delta.content or "" for c in chunk.choices)
        except openai.APIError:
            pass  # a cut stream may surface as an error; either way it ends

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    _until(lambda: len(received) > 3)
    started = time.monotonic()
    server.stop()
    thread.join(5)
    assert not thread.is_alive() and time.monotonic() - started < 5
    assert not server.running and not core.session.gate.busy
    assert len("".join(received).split()) < 500
    server.start()  # the Settings switch turned back on
    try:
        core.engine.replies = ["Back."]  # type: ignore[attr-defined]
        again = openai.OpenAI(base_url=server.url, api_key=api_token(), max_retries=0, timeout=10)
        reply = again.chat.completions.create(model="m", messages=USER_MESSAGES)
        assert reply.choices[0].message.content == "Back."
    finally:
        server.stop()
