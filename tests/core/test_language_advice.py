"""The language note (issue 9, item 6): a Chinese request (or a Chinese interface) to a model
that cannot write Chinese gets a note in Chinese offering the catalog's Chinese-capable model;
the terminal prints it once, after a model-written reply, never for a composed answer."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.cli_language import TerminalLanguageNote
from assistant.config import starter_model_path
from assistant.events import Done, Event, TextDelta
from assistant.models.catalog import load_catalog
from assistant.models.language_advice import LanguageAdvisor, billions, chinese_offer, wants_chinese
from assistant.models.languages import ChineseSupport


@dataclass
class FakeSettings:
    path: Path | None
    active_connection: int = 0

    def effective_model_path(self) -> Path | None:
        return self.path


def _advisor(able: bool | None, connection: int = 0) -> LanguageAdvisor:
    settings = FakeSettings(Path("m.gguf"), connection)
    return LanguageAdvisor(settings, support=lambda _p: ChineseSupport(able, "test"))


def test_the_offer_is_the_smallest_good_chinese_model_of_the_catalog() -> None:
    offer = chinese_offer(load_catalog())
    assert offer is not None and offer.id == "qwen2.5-1.5b" and "zh" in offer.languages
    assert billions("135M") == 0.135 and billions("1.5B") == 1.5 and billions("?") == 0.0


def test_advice_only_when_chinese_is_wanted_and_the_model_cannot() -> None:
    advice = _advisor(False).advise("你好，请用中文介绍一下你自己")
    assert advice is not None and advice.text.startswith("当前模型不擅长中文，回答可能不准确。可下载 Qwen2.5")
    assert advice.offer is not None and advice.offer.id == "qwen2.5-1.5b" and "986 MB" in advice.action
    assert _advisor(False).advise("Tell me about yourself") is None
    assert _advisor(False).advise("Tell me about yourself", "zh_CN") is not None  # a Chinese interface
    assert _advisor(True).advise("你好") is None
    assert _advisor(None).advise("你好") is None  # nothing to judge by
    assert _advisor(False, connection=3).advise("你好") is None  # a remote server is not judged
    assert wants_chinese("明天上午九点提醒我给妈妈打电话") and not wants_chinese("call mum, 谢谢")


def test_the_real_starter_model_gets_the_note() -> None:
    path = starter_model_path()
    assert path is not None
    advisor = LanguageAdvisor(FakeSettings(path))
    assert advisor.model_writes_chinese() is False
    assert advisor.advise("你好，今天天气怎么样") is not None


def _turn(tokens: int) -> Iterator[Event]:
    yield TextDelta("Hello")
    yield Done(1, 2, "complete", n_tokens=tokens)


def test_the_terminal_prints_it_once_and_not_after_a_composed_answer() -> None:
    out = io.StringIO()
    note = TerminalLanguageNote(_advisor(False), "en", out)
    list(note.watch(_turn(0), "明天上午九点提醒我给妈妈打电话"))  # composed: no model words
    assert out.getvalue() == ""
    list(note.watch(_turn(5), "你好"))
    list(note.watch(_turn(5), "你好吗"))
    assert out.getvalue().count("当前模型不擅长中文") == 1
    assert "assistant models download qwen2.5-1.5b" in out.getvalue()


@pytest.mark.slow
def test_assistant_chat_on_the_starter_model_prints_the_note(tmp_path: Path) -> None:
    env = dict(os.environ, ASSISTANT_HOME=str(tmp_path))
    env.pop("ASSISTANT_MODEL", None)
    command = [sys.executable, "-m", "assistant", "chat", "--max-tokens", "8", "你好，请用中文介绍一下你自己"]
    done = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("当前模型不擅长中文，回答可能不准确。") == 1, done.stdout
