"""``assistant chat`` asks before side effects: y/N on a terminal (a real pty), an immediate
refusal without one, ``--yes`` to allow. Never a silent wait for the confirmation time-out."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import cli
from assistant.agent.confirm import Ticket
from assistant.cli_confirm import TerminalConfirmer, interface_language, parse_answer
from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.events import ConfirmationNeeded

REPO = Path(__file__).resolve().parents[2]
HELPER = REPO / "tests" / "support" / "scripted_chat.py"
ADD = ['{"tool": "add_reminder"}', '{"text": "call mum", "when": "tomorrow at 9am"}']
REQUEST = "remind me tomorrow at 9am to call mum"
REFUSAL = "Not saved: this needs your confirmation. Run it in a terminal, or add --yes."


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, ASSISTANT_HOME=str(home), SCRIPTED_CONSTRAINED=json.dumps(ADD), **extra)
    env.pop("ASSISTANT_MODEL", None)
    return env


def _saved(home: Path) -> list[str]:
    core = Core.open(engine=ScriptedEngine(), path=home / "assistant.db")
    try:
        return [r.text for r in core.reminders.list()]
    finally:
        core.close()


def _read_until(fd: int, needle: str, timeout: float) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode("utf-8", "replace")


def _pty_chat(home: Path, answer: str, env: dict[str, str] | None = None) -> tuple[str, int]:
    """Run the scripted chat on a pseudo-terminal; answer the prompt; return (screen, status)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), "chat", REQUEST],
        stdin=slave, stdout=slave, stderr=slave, env=env or _env(home), close_fds=True,
    )
    os.close(slave)
    try:
        screen = _read_until(master, "[y/N]" if "zh" not in (env or {}).get("LANG", "") else "默认否", 60)
        assert "call mum" in screen and "09:00" in screen, screen  # the parsed action is shown
        os.write(master, answer.encode() + b"\n")
        status = proc.wait(timeout=60)
        screen += _read_until(master, "\x00", 1)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return screen, status


def test_answers_and_locale() -> None:
    assert parse_answer("y") and parse_answer("YES") and parse_answer("是") and parse_answer("好的")
    assert parse_answer("") is False and parse_answer("n") is False and parse_answer("否") is False
    assert parse_answer("maybe") is None
    assert interface_language(env={"LANG": "zh_CN.UTF-8"}) == "zh"
    assert interface_language(env={"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert interface_language(env={}) == "en" and interface_language("zh_CN", env={}) == "zh"


def test_no_terminal_refuses_at_once() -> None:
    ticket = Ticket()
    event = ConfirmationNeeded(1, "c1", "add_reminder", {}, "Add reminder 'x' on Fri", False, ticket)
    err = io.StringIO()
    confirm = TerminalConfirmer(io.StringIO("y\n"), err)  # a pipe, not a terminal: never read
    assert confirm.answer(event) is False and ticket.answered
    assert REFUSAL in err.getvalue() and confirm.refused_without_terminal


@pytest.mark.parametrize("answer,saved", [("y", ["call mum"]), ("n", [])])
def test_terminal_asks_y_n(tmp_path: Path, answer: str, saved: list[str]) -> None:
    screen, status = _pty_chat(tmp_path, answer)
    assert "Allow? [y/N]" in screen
    assert _saved(tmp_path) == saved
    assert status == 0
    assert ("Not done." in screen) == (answer == "n")


def test_terminal_asks_in_chinese(tmp_path: Path) -> None:
    env = _env(tmp_path, LANG="zh_CN.UTF-8", LC_ALL="", LC_MESSAGES="")
    screen, status = _pty_chat(tmp_path, "是", env)
    assert "允许吗" in screen and status == 0
    assert _saved(tmp_path) == ["call mum"]


def _in_process(make_core: Callable[..., Core], monkeypatch: pytest.MonkeyPatch, *args: str) -> Core:
    core = make_core(["All set."])
    core.engine.constrained = list(ADD)  # type: ignore[attr-defined]
    monkeypatch.setattr(cli, "_open_core", lambda: core)
    monkeypatch.setattr(core, "close", lambda: None)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    return core


def test_no_terminal_refuses_within_a_second(
    make_core: Callable[..., Core], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    core = _in_process(make_core, monkeypatch)
    t0 = time.monotonic()
    assert cli.main(["chat", REQUEST]) == 1
    assert time.monotonic() - t0 < 1.0
    err = capsys.readouterr().err
    assert "call mum" in err and REFUSAL in err
    assert core.reminders.list() == []


def test_yes_saves_without_asking(
    make_core: Callable[..., Core], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    core = _in_process(make_core, monkeypatch)
    assert cli.main(["chat", "--yes", REQUEST]) == 0
    assert "Allowed by --yes." in capsys.readouterr().err
    assert [r.text for r in core.reminders.list()] == ["call mum"]


def _stderr_until(command: list[str], env: dict[str, str], needle: str) -> list[tuple[float, str]]:
    """(time, line) of stderr until a line holding ``needle``; then the process is ended (what the
    agent does after the confirmation is not under test here, and takes minutes on a busy CPU)."""
    proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    lines: list[tuple[float, str]] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append((time.monotonic(), line))
            if needle in line:
                break
    finally:
        proc.kill()
        proc.wait()
    return lines


@pytest.mark.slow
def test_real_model_without_terminal_refuses_and_yes_saves(tmp_path: Path) -> None:
    env = dict(os.environ, ASSISTANT_HOME=str(tmp_path))
    env.pop("ASSISTANT_MODEL", None)
    command = [sys.executable, "-m", "assistant", "chat", "--max-tokens", "16", REQUEST]
    lines = _stderr_until(command, env, REFUSAL)
    asked = next(t for t, line in lines if "The assistant wants to:" in line and "mum" in line)
    assert REFUSAL in lines[-1][1] and lines[-1][0] - asked < 1.0, lines
    assert _saved(tmp_path) == []
    lines = _stderr_until([*command[:4], "--yes", *command[4:]], env, "[add_reminder: Saved")
    assert "Saved" in lines[-1][1], lines
    assert any("mum" in text for text in _saved(tmp_path))
