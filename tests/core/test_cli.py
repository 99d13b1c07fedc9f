"""The ``assistant`` command on the terminal, as a user runs it (real processes, real model)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import __version__
from assistant.core import Core
from assistant.engine.fake import ScriptedEngine


def cli(
    *args: str, home: Path, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ASSISTANT_HOME=str(home))
    env.pop("ASSISTANT_MODEL", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_version_and_help(tmp_path: Path) -> None:
    assert cli("--version", home=tmp_path).stdout.strip() == f"assistant {__version__}"
    helped = cli("--help", home=tmp_path)
    assert helped.returncode == 0
    for command in ("chat", "bench", "conversations", "--model"):
        assert command in helped.stdout


@pytest.mark.slow
def test_chat_answers_and_the_chat_is_stored(tmp_path: Path) -> None:
    result = cli("chat", "--temperature", "0", "--max-tokens", "24", "What is 2 + 2?", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    # The same storage the window uses: the conversation is there with both messages.
    core = Core.open(engine=ScriptedEngine(), path=tmp_path / "assistant.db")
    conversations = core.chats.list_conversations()
    assert len(conversations) == 1 and conversations[0].title == "What is 2 + 2?"
    messages = core.chats.messages(conversations[0].id)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].content.strip() == result.stdout.strip()
    core.close()


@pytest.mark.slow
def test_interactive_session_continues_one_conversation(tmp_path: Path) -> None:
    result = cli(
        "chat", "--temperature", "0", "--max-tokens", "8", home=tmp_path, stdin="Hi\nHow are you?\n/quit\n"
    )
    assert result.returncode == 0, result.stderr
    core = Core.open(engine=ScriptedEngine(), path=tmp_path / "assistant.db")
    conversations = core.chats.list_conversations()
    assert len(conversations) == 1
    roles = [m.role for m in core.chats.messages(conversations[0].id)]
    assert roles == ["user", "assistant", "user", "assistant"]
    core.close()


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.gguf"
    result = cli("--model", str(missing), "chat", "hello", home=tmp_path)
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    core = Core.open(engine=ScriptedEngine(), path=tmp_path / "assistant.db")
    conversation = core.chats.list_conversations()[0]
    assert [m.content for m in core.chats.messages(conversation.id)] == ["hello"]  # kept
    core.close()


def test_not_gguf_model_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "notes.gguf"
    fake.write_text("not a model")
    result = cli("chat", "--model", str(fake), "hello", home=tmp_path)
    assert result.returncode == 1
    assert "not a GGUF model" in result.stderr and "Traceback" not in result.stderr


def test_unwritable_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    result = cli("chat", "hello", home=blocker / "sub")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "folder" in result.stderr
