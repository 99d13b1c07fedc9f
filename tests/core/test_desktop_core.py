"""Qt-free desktop pieces: self-test, diagnostics without chat content, autostart entries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.desktop import autostart
from assistant.diagnostics import collect


@pytest.mark.slow
def test_self_test_passes_and_uses_the_database(tmp_path: Path) -> None:
    env = dict(os.environ, ASSISTANT_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "assistant", "--self-test"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "self-test: ok" in result.stdout
    assert (tmp_path / "assistant.db").exists()


def test_self_test_fails_clearly_without_a_model(tmp_path: Path) -> None:
    env = dict(os.environ, ASSISTANT_HOME=str(tmp_path), ASSISTANT_STARTER_MODEL=str(tmp_path / "gone.gguf"))
    result = subprocess.run([sys.executable, "-m", "assistant", "--self-test"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "FAILED" in result.stderr and "Traceback" not in result.stderr


def test_diagnostics_have_versions_and_paths_but_no_chat_content() -> None:
    secret = "my very private system prompt"
    report = collect(Settings(system_prompt=secret), backend="CPU", qt_version="6.x")
    for key in ("app", "llama-cpp-python", "backend", "model", "data folder", "log folder"):
        assert key in report
    assert secret not in report


def test_autostart_entry_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform != "linux":
        pytest.skip("the Linux entry is what this machine can check")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert not autostart.is_enabled()
    autostart.set_enabled(True)
    entry = tmp_path / "autostart" / "offline-assistant.desktop"
    text = entry.read_text()
    assert "Exec=" in text and "--minimized" in text and "[Desktop Entry]" in text
    assert autostart.is_enabled()
    autostart.set_enabled(False)
    assert not entry.exists() and not autostart.is_enabled()
