"""`assistant remind`, `agenda`, `reminders`, `ics` on a temp profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main


def test_remind_agenda_export_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remind", "call mum", "--at", "in 2 hours", "--tz", "Europe/London"]) == 0
    assert "Saved #1: 'call mum'" in capsys.readouterr().out
    assert main(["agenda", "--week"]) == 0
    assert "call mum" in capsys.readouterr().out
    out = tmp_path / "out.ics"
    assert main(["ics", "export", str(out)]) == 0 and b"SUMMARY:call mum" in out.read_bytes()
    assert main(["reminders", "cancel", "1"]) == 0
    assert "[cancelled]" in capsys.readouterr().out


def test_remind_refuses_a_date_that_does_not_exist(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remind", "party", "--at", "30 February at 8pm"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["reminders", "list"]) == 0
    assert capsys.readouterr().out == ""


def test_bad_ics_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text("garbage")
    assert main(["ics", "import", str(bad)]) == 1
    assert "not a valid calendar" in capsys.readouterr().err
