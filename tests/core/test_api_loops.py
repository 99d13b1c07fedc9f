"""The local API stops a reply that falls into a loop, as the window does (assistant/chat/loops.py):
through the real server and the official ``openai`` client, streaming and not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import openai
import pytest

from assistant.api import ApiServer, api_token
from assistant.chat.loops import NOTES
from assistant.core import Core

STORY = "Once upon a time there was a lighthouse on a rock. " + (
    "Max and his curious and adventurous friend loved to visit the famous lighthouse. " * 40
)
ASK: list[Any] = [{"role": "user", "content": "Write a long story about a lighthouse."}]
Serve = Callable[[Core], openai.OpenAI]


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers: list[ApiServer] = []

    def factory(core: Core) -> openai.OpenAI:
        server = ApiServer(core, "127.0.0.1", 0, api_token()).start()
        servers.append(server)
        return openai.OpenAI(base_url=server.url, api_key=api_token(), max_retries=0, timeout=30)

    yield factory
    for server in servers:
        server.stop()


WORDS = len(STORY.split(" "))


def test_a_looping_completion_is_cut_to_one_copy_with_the_note(
    serve: Serve, make_core: Callable[..., Core]
) -> None:
    core = make_core([STORY])
    reply = serve(core).chat.completions.create(model="m", messages=ASK, max_tokens=1000)
    content = reply.choices[0].message.content or ""
    assert content.startswith("Once upon a time") and content.endswith(NOTES["en"])
    assert content.count("adventurous friend") == 1
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None and reply.usage.completion_tokens < WORDS // 2  # stopped early


def test_a_looping_stream_stops_and_ends_with_the_note(serve: Serve, make_core: Callable[..., Core]) -> None:
    core = make_core([STORY])
    stream = serve(core).chat.completions.create(
        model="m", messages=ASK, max_tokens=1000, stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.endswith("\n\n" + NOTES["en"]) and text.count("adventurous friend") <= 4
    reasons = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert reasons == ["stop"]
    usage = chunks[-1].usage
    assert usage is not None and usage.completion_tokens < WORDS // 2


def test_the_note_is_in_the_language_of_the_request(serve: Serve, make_core: Callable[..., Core]) -> None:
    story = "从前有一座灯塔。" + "小明和他的朋友每天都去海边看那座美丽的灯塔，他们非常喜欢它。" * 10
    core = make_core([" ".join(story)])  # the scripted engine streams it character by character
    ask: list[Any] = [{"role": "user", "content": "写一个关于灯塔的长故事。"}]
    reply = serve(core).chat.completions.create(model="m", messages=ask, max_tokens=1000)
    content = reply.choices[0].message.content or ""
    assert content.endswith(NOTES["zh"]) and content.count(" ".join("美丽的灯塔")) == 1


def test_a_reply_that_does_not_loop_is_untouched(serve: Serve, make_core: Callable[..., Core]) -> None:
    plan = "\n".join(f"- Day {d}: walk 30 minutes, stretch, drink water" for d in range(1, 8))
    core = make_core([plan])
    client = serve(core)
    reply = client.chat.completions.create(model="m", messages=ASK, max_tokens=1000)
    assert reply.choices[0].message.content == plan
    stream = client.chat.completions.create(model="m", messages=ASK, max_tokens=1000, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == plan


def test_the_detector_follows_the_session_switch(serve: Serve, make_core: Callable[..., Core]) -> None:
    core = make_core([STORY])
    core.session.stop_loops = False  # the loops bench's "before" column
    reply = serve(core).chat.completions.create(model="m", messages=ASK, max_tokens=1000)
    assert reply.choices[0].message.content == STORY
