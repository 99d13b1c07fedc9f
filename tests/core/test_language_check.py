"""The measured check of a model's Chinese (issue 9, item 6): the loaded model scores the same
passage in Chinese and English; with the metadata it decides the language note. Cached per
model file, never in the way of a reply (the gate), and any failure leaves the metadata."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.core import Core
from assistant.engine.base import CancelToken, EngineError
from assistant.engine.gate import USER, PriorityGate
from assistant.engine.local import LocalEngine
from assistant.events import Done, TextDelta
from assistant.models import language_check
from assistant.models.language_advice import MEASURED_ZH, LanguageAdvisor, core_advisor
from assistant.models.language_check import (
    PASSAGE_EN,
    PASSAGE_ZH,
    FluencyCheck,
    Measured,
    combine,
)
from assistant.models.languages import ChineseSupport


def _measured(ratio: float, zh_bits_per_char: float = 7.0) -> Measured:
    zh_bits = zh_bits_per_char * len(PASSAGE_ZH)
    return Measured(zh_bits, zh_bits / ratio, 70, 35, 0.1)


def test_the_verdict_needs_a_clear_measurement() -> None:
    assert _measured(1.0, 3.0).able is True
    assert _measured(2.1, 7.2).able is False  # the starter model's figures
    assert _measured(1.4).able is None  # between the bounds: says nothing
    assert _measured(1.8, 4.0).able is None  # a high ratio but few bits a character: not clear


def test_metadata_and_measurement_combine() -> None:
    no, yes, unknown = ChineseSupport(False, "vocabulary"), ChineseSupport(True, "vocabulary"), \
        ChineseSupport(None, "unknown")
    fails, writes, unclear = _measured(2.1), _measured(1.0, 3.0), _measured(1.4)
    assert combine(no, writes) == no  # metadata says no: no
    assert combine(unknown, writes) == ChineseSupport(True, "measured")
    assert combine(unknown, fails) == ChineseSupport(False, "measured")
    assert combine(unknown, unclear) == unknown and combine(unknown, None) == unknown
    assert combine(yes, fails) == ChineseSupport(False, "vocabulary+measured")
    assert combine(yes, writes) == ChineseSupport(True, "vocabulary+measured")
    assert combine(yes, unclear) == yes and combine(yes, None) == yes


@dataclass
class FakeEngine:
    loaded_path: str | None
    bits: tuple[float, float] = (500.0, 150.0)
    calls: int = 0
    fail: bool = False

    def score_texts(self, texts: list[str]) -> list[tuple[float, int]]:
        self.calls += 1
        if self.fail:
            raise EngineError("The model process stopped unexpectedly.", "crashed")
        assert texts == [PASSAGE_ZH, PASSAGE_EN]
        return [(self.bits[0], 70), (self.bits[1], 35)]


def _model(tmp_path: Path) -> Path:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"GGUF stand-in")
    return path


def test_measured_once_per_model_file_and_kept_in_the_profile(tmp_path: Path) -> None:
    path = _model(tmp_path)
    engine = FakeEngine(str(path))
    check = FluencyCheck(engine, PriorityGate())
    first = check(path)
    assert first is not None and first.able is False and engine.calls == 1
    assert check(path) == first and engine.calls == 1  # cached in memory
    again = FluencyCheck(engine, PriorityGate())  # another run of the app: read from the profile
    assert again(path) == first and engine.calls == 1
    assert len(json.loads(check.cache_path.read_text())) == 1
    assert not check.pending(path) and FluencyCheck(engine, None, tmp_path / "new.json").pending(path)
    os.utime(path, ns=(1, 1))  # the file was replaced: measured again
    assert again(path) is not None and engine.calls == 2


def test_no_measurement_when_it_cannot_be_taken_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _model(tmp_path)
    assert FluencyCheck(FakeEngine(None), None)(path) is None  # not loaded (or a server answers)
    assert FluencyCheck(FakeEngine(str(tmp_path / "other.gguf")), None)(path) is None
    assert FluencyCheck(object(), None)(path) is None  # an engine that cannot score (scripted)
    broken = FakeEngine(str(path), fail=True)
    assert FluencyCheck(broken, None)(path) is None and broken.calls == 1  # failure: metadata only
    missing = tmp_path / "missing.gguf"
    assert FluencyCheck(FakeEngine(str(missing)), None)(missing) is None
    assert not FluencyCheck(FakeEngine(str(missing)), None).pending(missing)
    gate = PriorityGate()
    monkeypatch.setattr(language_check, "GATE_WAIT_S", 0.2)
    engine = FakeEngine(str(path))
    with gate.hold(USER):  # a reply is being written: the check gives up instead of waiting
        started = time.monotonic()
        assert FluencyCheck(engine, gate)(path) is None
        assert time.monotonic() - started < 2 and engine.calls == 0
    assert FluencyCheck(engine, gate)(path) is not None  # free again: measured


def test_a_waiting_check_lets_the_users_turn_go_first(tmp_path: Path) -> None:
    path = _model(tmp_path)
    gate, order = PriorityGate(), []
    check = FluencyCheck(FakeEngine(str(path)), gate)
    gate.acquire(USER)
    background = threading.Thread(target=lambda: order.append(("check", check(path) is not None)))
    background.start()
    time.sleep(0.1)
    user = threading.Thread(target=lambda: (gate.acquire(USER), order.append(("user", True)), gate.release()))
    user.start()
    time.sleep(0.1)
    gate.release()
    user.join(5)
    background.join(5)
    assert order == [("user", True), ("check", True)]


@dataclass
class FakeSettings:
    path: Path | None
    active_connection: int = 0

    def effective_model_path(self) -> Path | None:
        return self.path


def test_the_advisor_records_which_signal_decided(tmp_path: Path) -> None:
    path = _model(tmp_path)
    engine = FakeEngine(str(path))

    def advisor(able: bool | None) -> LanguageAdvisor:
        return LanguageAdvisor(FakeSettings(path), support=lambda _p: ChineseSupport(able, "vocabulary"),
                               measure=FluencyCheck(engine, None, tmp_path / "checks.json"))
    assert not advisor(False).would_measure("你好")  # metadata says no: answered at once
    assert not advisor(True).would_measure("Hello")  # nothing Chinese wanted
    assert advisor(True).would_measure("你好")  # the window runs this one in a worker
    advice = advisor(True).advise("你好，今天天气怎么样")  # a Chinese vocabulary that fails the test
    assert advice is not None and advice.reason == "vocabulary+measured"
    assert advice.text.startswith(MEASURED_ZH)
    engine.calls = 0
    assert advisor(False).advise("你好").reason == "vocabulary"  # type: ignore[union-attr]
    assert engine.calls == 0  # metadata said no: nothing to measure
    engine.bits = (160.0, 150.0)
    (tmp_path / "checks.json").unlink()
    assert advisor(True).advise("你好") is None  # writes it: no note
    assert advisor(True).advise("Hello") is None


@pytest.fixture
def starter_core(tmp_path: Path, starter: Path) -> Iterator[Core]:
    core = Core.open(engine=LocalEngine(), path=tmp_path / "a.db")
    core.settings = Settings(model_path=str(starter), n_ctx=1024, temperature=0.0, max_reply_tokens=12)
    yield core
    core.close()


@pytest.mark.slow
def test_the_starter_model_measurably_cannot_write_chinese_and_chat_goes_on(starter_core: Core) -> None:
    core = starter_core
    conversation = core.chats.create_conversation()
    list(core.session.send(conversation, "Hello there", CancelToken()))  # loads; the cache holds a prompt
    advisor = core_advisor(core)
    advisor.support = lambda _p: ChineseSupport(True, "vocabulary")  # as if its vocabulary said yes
    advice = advisor.advise("你好，今天天气怎么样")
    assert advice is not None and advice.reason == "vocabulary+measured"
    check = advisor.measure
    assert isinstance(check, FluencyCheck)
    measured = check.cached(core.settings.effective_model_path())  # type: ignore[arg-type]
    assert measured is not None and measured.able is False
    assert measured.ratio >= 1.8 and measured.zh_bits_per_char >= 6.5, measured
    events = list(core.session.send(conversation, "What is the capital of France?", CancelToken()))
    done = [e for e in events if isinstance(e, Done)]
    assert done and done[0].status == "complete" and done[0].n_tokens > 0
    assert "".join(e.text for e in events if isinstance(e, TextDelta)).strip()
