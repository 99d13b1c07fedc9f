"""The model's process runs at a lower priority than the app (the window stays smooth)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from assistant.config import physical_cores, starter_model_path
from assistant.engine.base import EngineConfig
from assistant.engine.local import LocalEngine
from assistant.engine.priority import NICENESS_ENV

pytestmark = pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX niceness")


@pytest.fixture
def engine() -> Iterator[LocalEngine]:
    engine = LocalEngine()
    yield engine
    engine.close()


def _child_niceness(engine: LocalEngine) -> int:
    model = starter_model_path()
    assert model is not None
    for _ in engine.ensure_loaded(EngineConfig(str(model), n_ctx=512, n_threads=physical_cores())):
        pass
    assert engine.pid is not None
    return os.getpriority(os.PRIO_PROCESS, engine.pid) - os.getpriority(os.PRIO_PROCESS, 0)


def test_the_model_process_yields_to_the_app(engine: LocalEngine) -> None:
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert _child_niceness(engine) == min(19, ours + 10) - ours  # niceness stops at 19


def test_the_niceness_can_be_turned_off(engine: LocalEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NICENESS_ENV, "0")
    assert _child_niceness(engine) == 0
