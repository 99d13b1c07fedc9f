"""Shared helpers for the GUI tests (kept out of conftest.py, which the core owns)."""

from __future__ import annotations

import os

# Must be set before any QApplication exists: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from ui.app.tray import QUIT
from ui.shell.window import MainWindow


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "home"))
    # The scripted engine never opens the file; a path keeps "no model installed" out of the way.
    monkeypatch.setenv("ASSISTANT_MODEL", str(tmp_path / "scripted.gguf"))
    # Start-at-login writes under XDG_CONFIG_HOME: never the real one.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "home"


@pytest.fixture
def make_window(home: Path, qtbot) -> Iterator[Callable[..., MainWindow]]:  # type: ignore[no-untyped-def]
    """Build a window on a fresh Core; every one is closed (and its Core too) at the end."""
    opened: list[tuple[MainWindow, Core]] = []

    def factory(
        engine: ScriptedEngine | None = None,
        tray: bool = False,
        ask_close: str = QUIT,
        core: Core | None = None,
        embedder: object | None = None,
        background: bool = False,
    ) -> MainWindow:
        """``tray``: whether a system tray exists; ``ask_close``: the answer to "quit?".
        ``embedder`` replaces the memory's model (a fake keeps tests fast); ``background``
        starts the embedding thread and folder watcher as the app does."""
        core = core or Core.open(engine=engine or ScriptedEngine(token_delay=0.01))
        if embedder is not None:
            core.memory.use_embedder(embedder)  # type: ignore[arg-type]
        window = MainWindow(
            core, tray_available=lambda: tray, ask_close=lambda _parent: (ask_close, False)
        )
        window.start_background = background
        window.desktop.quit_hook = lambda: None  # no event loop to end in tests
        qtbot.addWidget(window)
        window.show()
        window.load_initial()
        wait_preloaded(qtbot, window)
        opened.append((window, core))
        return window

    yield factory
    for window, core in opened:
        close(window, core)


def wait_preloaded(qtbot, window: MainWindow, timeout: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.chat.preload_worker is None, timeout=timeout)


def close(window: MainWindow, core: Core) -> None:
    window.desktop.quit_hook = lambda: None
    if window.isVisible() or not window.desktop.quitting:
        window.desktop.quit_app()
    if window.chat.worker is not None:
        window.chat.worker.wait(5000)
    try:
        core.close()
    except Exception:
        pass  # already closed by the test


def send(qtbot, window: MainWindow, text: str, timeout: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    """Type and send, then wait until the turn is over."""
    window.composer.set_text(text)
    window.composer.button.click()
    wait_idle(qtbot, window, timeout)


def wait_idle(qtbot, window: MainWindow, timeout: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.chat.worker is None, timeout=timeout)


def shown(window: MainWindow) -> list[tuple[str, str, str]]:
    """(role, content, status) of every message in the chat view."""
    return [(w.role, w.content, w.status) for w in window.chat_view.widgets]
