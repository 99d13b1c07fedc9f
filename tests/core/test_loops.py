"""A reply that falls into a loop is stopped, trimmed to one copy and marked with a note in
the user's language; lists, code and tables are never cut (tuning set: tests/data/loop_tuning.jsonl)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.chat.loops import NOTES, LinkedCancel, LoopDetector, find_loop, is_mostly_chinese
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import Done, ReplyRevised, TextDelta

TUNING = Path(__file__).parents[1] / "data" / "loop_tuning.jsonl"
ROWS = [json.loads(line) for line in TUNING.read_text(encoding="utf-8").splitlines() if line.strip()]
STORY = "Once upon a time there was a lighthouse on a rock. " + (
    "Max and his curious and adventurous friend loved to visit the famous lighthouse. " * 20
)


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_tuning_set(row: dict[str, str]) -> None:
    loop = find_loop(row["text"])
    assert (loop is not None) == (row["label"] == "loop")
    if loop is not None:  # one copy kept, never more than there was
        assert loop.keep and row["text"].startswith(loop.keep[:20]) and len(loop.keep) < len(row["text"])


def test_tuning_set_has_both_kinds_and_languages() -> None:
    kinds = {(r["label"], r["lang"]) for r in ROWS}
    assert {("loop", "en"), ("loop", "zh"), ("ok", "en"), ("ok", "zh")} <= kinds
    assert any("starter model" in r["source"] for r in ROWS if r["label"] == "loop")


def test_keeps_what_came_before_and_one_copy() -> None:
    loop = find_loop(STORY)
    assert loop is not None
    assert loop.keep == (
        "Once upon a time there was a lighthouse on a rock. "
        "Max and his curious and adventurous friend loved to visit the famous lighthouse."
    )


def test_one_full_copy_when_the_preamble_ends_like_the_cycle() -> None:
    text = "Once upon a time there was a lighthouse. " + "Max loved to visit the famous lighthouse. " * 9
    loop = find_loop(text)
    assert loop is not None
    assert loop.keep == "Once upon a time there was a lighthouse. Max loved to visit the famous lighthouse."


def test_streaming_detector_fires_once_and_early() -> None:
    detector = LoopDetector()
    fed = 0
    for word in STORY.split(" "):
        fed += 1
        if detector.feed(word + " "):
            break
    assert detector.loop is not None and fed < len(STORY.split(" ")) // 3


def test_language_of_the_note() -> None:
    assert is_mostly_chinese("后天下午三点提醒我取快递") and not is_mostly_chinese("remind me 明天")
    assert not is_mostly_chinese("")


def test_linked_cancel() -> None:
    parent = CancelToken()
    inner = LinkedCancel(parent)
    assert not inner.cancelled
    parent.cancel()
    assert inner.cancelled and inner.wait(0.01)
    own = LinkedCancel(CancelToken())
    own.cancel()
    assert own.cancelled


def _send(core: Core, text: str) -> tuple[list[object], str, str]:
    cid = core.chats.create_conversation()
    events = list(core.session.send(cid, text, CancelToken()))
    reply = core.chats.messages(cid)[-1]
    return events, reply.content, reply.status


def test_session_stops_a_loop_and_stores_it_trimmed(make_core: Callable[..., Core]) -> None:
    core = make_core([STORY])
    events, content, status = _send(core, "Write a long story about a lighthouse.")
    assert content.endswith(NOTES["en"]) and content.count("adventurous friend") == 1
    assert status == "stopped"
    (revised,) = [e for e in events if isinstance(e, ReplyRevised)]
    assert revised.text == content and revised.note == NOTES["en"]
    done = events[-1]
    assert isinstance(done, Done) and done.status == "stopped"
    assert done.n_tokens < len(STORY.split(" "))  # the engine was stopped, not run to the end
    streamed = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert streamed.count("adventurous friend") <= 3


def test_session_note_in_chinese(make_core: Callable[..., Core]) -> None:
    story = "从前有一座灯塔。" + "小明和他的朋友每天都去海边看那座美丽的灯塔，他们非常喜欢它。" * 10
    core = make_core([" ".join(story)])  # the scripted engine streams it character by character
    _events, content, status = _send(core, "写一个关于灯塔的长故事。")
    assert content.endswith(NOTES["zh"]) and status == "stopped"


@pytest.mark.parametrize("row_id", ["numbered-list", "code-block", "table", "weekly-plan", "song-chorus"])
def test_session_never_cuts_lists_code_or_tables(make_core: Callable[..., Core], row_id: str) -> None:
    text = next(r["text"] for r in ROWS if r["id"] == row_id)
    core = make_core([text])
    events, content, status = _send(core, "Help me plan.")
    assert content == text and status == "complete"
    assert not any(isinstance(e, ReplyRevised) for e in events)


def test_detector_can_be_switched_off(make_core: Callable[..., Core]) -> None:
    core = make_core([STORY])
    core.session.stop_loops = False
    _events, content, status = _send(core, "Write a long story about a lighthouse.")
    assert content == STORY and status == "complete"


def test_remote_engine_loop_is_stopped(tmp_path: Path) -> None:
    """A server that repeats itself forever: the reply is cut within seconds, one copy kept."""
    import time

    from assistant.engine.base import EngineConfig, RemoteConfig
    from assistant.engine.remote import RemoteEngine
    from tests.support.remote_fixtures import fake_server

    with fake_server() as server:
        server.mode = "endless"
        sentence = "Max and his friend loved to visit the famous lighthouse by the sea."
        server.words = [w + " " for w in sentence.split()]
        remote = RemoteConfig(server.base_url, "fake-model", connect_timeout=2.0, read_timeout=2.0)
        core = Core.open(engine=RemoteEngine(), path=tmp_path / "remote.db")
        core.session.configure = lambda _settings: EngineConfig("remote", n_ctx=1024, remote=remote)
        try:
            t0 = time.monotonic()
            _events, content, status = _send(core, "Tell me a story.")
            assert time.monotonic() - t0 < 5.0
        finally:
            core.close()
    assert status == "stopped" and content.endswith(NOTES["en"])
    assert content.count("famous lighthouse") == 1


@pytest.mark.slow
def test_real_model_reply_never_ends_in_a_loop(tmp_path: Path) -> None:
    """The starter model with the old sampling (repeat_penalty 1.0) and the seed that looped
    when recorded (tests/data/loop_tuning.jsonl, lighthouse-recorded-2): what is stored is
    never degenerate, and a stopped reply ends with the note."""
    from assistant.bench.loops import DEGENERATE, repeated_share
    from assistant.config import Settings, starter_model_path

    path = starter_model_path()
    if path is None:
        pytest.skip("starter model not installed")
    core = Core.open(path=tmp_path / "real.db")
    try:
        core.session.agent = core.session.memory = None
        core.session.seed = 2
        settings = Settings(model_path=str(path), max_reply_tokens=320, n_ctx=2048, repeat_penalty=1.0)
        core.save_settings(settings)
        _events, content, status = _send(core, "Write a long story about a lighthouse.")
    finally:
        core.close()
    assert repeated_share(content) <= DEGENERATE, content
    assert (status == "stopped") == content.endswith(NOTES["en"]), (status, content)
