"""``assistant models remote``: keys are read without echo or from stdin, never from argv, and
http to another machine with a key needs --allow-insecure-http."""

from __future__ import annotations

import io
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from assistant import cli_models
from assistant.cli import build_parser
from assistant.config import db_path
from tests.support.fake_keyring import MemoryKeyring

KEY = "sk-cli-0123456789-SECRET"


def remote(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli_models.run(build_parser().parse_args(["models", "remote", *argv]))


def test_add_list_remove_with_a_key_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring
) -> None:
    assert remote(monkeypatch, "add", "gpu.example.org:8000", "m", "--with-key", stdin=KEY + "\n") == 0
    out = capsys.readouterr().out
    assert "https://gpu.example.org:8000/v1" in out and "system keyring" in out
    assert list(memory_keyring.passwords.values()) == [KEY]
    assert KEY.encode() not in Path(db_path()).read_bytes()
    assert remote(monkeypatch, "list") == 0
    listed = capsys.readouterr().out
    assert "[key]" in listed and KEY not in listed
    assert remote(monkeypatch, "remove", "1") == 0
    assert memory_keyring.passwords == {}


def test_http_to_another_machine_with_a_key_needs_the_flag(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert remote(monkeypatch, "add", "http://gpu.example.org", "m", "--with-key", stdin=KEY) == 1
    assert "unencrypted" in capsys.readouterr().err
    assert remote(monkeypatch, "add", "http://gpu.example.org", "m", "--with-key",
                  "--allow-insecure-http", stdin=KEY) == 0
    assert "Warning" in capsys.readouterr().err


def test_without_a_keyring_the_cli_says_where_the_key_is_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    keyring.set_keyring(fail.Keyring())
    assert remote(monkeypatch, "add", "https://gpu.example.org", "m", "--with-key", stdin=KEY) == 0
    err = capsys.readouterr().err
    assert "No system keyring" in err and str(tmp_path / "api-keys.json") in err
