"""Package hygiene of issue 13: quiet terminal, WM class, changelog, pinned build tools."""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import assistant
from assistant.logs import QUIET_ENV, quiet_third_party_progress

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def test_quiet_third_party_progress_sets_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in QUIET_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRANSFORMERS_VERBOSITY", "info")  # the user's own choice wins
    quiet_third_party_progress()
    assert os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] == "1"
    assert os.environ["TRANSFORMERS_VERBOSITY"] == "info"


def test_quiet_env_silences_the_loading_weights_bar() -> None:
    """transformers' tqdm ("Loading weights") is on unless huggingface_hub says progress bars
    are disabled, which it reads from the environment at import: check in a fresh process."""
    pytest.importorskip("huggingface_hub")
    code = ("from assistant.logs import quiet_third_party_progress; quiet_third_party_progress(); "
            "from huggingface_hub.utils import are_progress_bars_disabled as off; print(off())")
    env = {k: v for k, v in os.environ.items() if k not in QUIET_ENV}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=ROOT, check=True, timeout=60).stdout
    assert out.strip() == "True"


def test_qt_filter_drops_plugin_noise_only(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QMessageLogContext, QtMsgType

    from ui.app import qt_messages

    passed: list[str] = []
    monkeypatch.setattr(qt_messages, "_previous", lambda kind, ctx, msg: passed.append(msg))
    ctx = QMessageLogContext()
    qt_messages._handler(QtMsgType.QtWarningMsg, ctx, "This plugin does not support propagateSizeHints()")
    qt_messages._handler(QtMsgType.QtWarningMsg, ctx, "QFile::open: something real")
    qt_messages._handler(QtMsgType.QtCriticalMsg, ctx, "This plugin does not support raise()")
    assert passed == ["QFile::open: something real", "This plugin does not support raise()"]


def test_startup_wm_class_is_the_window_instance_name() -> None:
    pytest.importorskip("PySide6")
    from ui.app.main import APP_ID

    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "resources" / "assistant.desktop", encoding="utf-8")
    assert entry["Desktop Entry"]["StartupWMClass"] == APP_ID == "offline-assistant"
    source = (ROOT / "ui" / "app" / "main.py").read_text()
    assert 'os.environ.setdefault("RESOURCE_NAME", APP_ID)' in source  # WM_CLASS instance
    assert "setDesktopFileName(APP_ID)" in source  # Wayland app id


def test_changelog_names_the_package_version() -> None:
    text = (PACKAGING / "debian" / "changelog").read_text()
    first = text.splitlines()[0]
    version = re.escape(assistant.__version__)
    assert re.fullmatch(rf"offline-assistant \({version}-\d+\) \w+; urgency=\w+", first)
    trailer = re.search(r"^ -- .+ <[^>]+>  \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$", text, re.M)
    assert trailer, "the maintainer line must be in Debian's format (two spaces before the date)"


def test_build_tools_are_pinned() -> None:
    pins = [
        line.strip() for line in (PACKAGING / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[\w.]+", pin) for pin in pins), pins
    assert any(pin.startswith("pyinstaller==") for pin in pins)
    assert "packaging/requirements.txt" in (PACKAGING / "build-linux.sh").read_text()


def test_install_test_runs_the_glibc_check() -> None:
    script = (PACKAGING / "test-install-debian.sh").read_text()
    assert "check-glibc.py" in script and "--deb" in script
    assert "check-glibc.py" in (PACKAGING / "build-linux.sh").read_text()
