"""`assistant search` answers from the keyword index at once (issue 10, item 4): the process
never imports the embedding model's libraries, the GGUF reader, the downloaders or the indexer,
and it skips the whole-file integrity check a large profile takes seconds over. Checked by what
the process imports and calls (deterministic), not by a clock on a shared machine."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.store import backup
from assistant.store.db import Database

#: Never needed to print keyword results: the embedder stack, the model process and what only
#: other commands use (each of these once cost a search 0.1-6 s of imports).
NOT_FOR_A_KEYWORD_SEARCH = (
    "torch",
    "sentence_transformers",
    "transformers",
    "llama_cpp",
    "gguf",
    "assistant.knowledge.indexer",
    "assistant.models.download",
    "assistant.models.embedder_download",
    "assistant.engine.openai_http",
    "assistant.cli_download",
)

_SEARCH = r"""
import json, sys
from assistant.cli import main
status = main(["search", *sys.argv[1:]])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("query", ["大模型用QLoRA微调", "fine-tuning notes"])
def test_a_keyword_search_imports_nothing_it_does_not_use(tmp_path: Path, query: str) -> None:
    env = {**os.environ, "ASSISTANT_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", _SEARCH, query], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == 1  # a new, empty profile: "Nothing found."
    modules = set(report["modules"])
    assert "assistant.memory.search" in modules  # not vacuous: the search ran
    loaded = {m for m in modules if m.split(".")[0] in {"torch", "transformers"}} | (
        modules & set(NOT_FOR_A_KEYWORD_SEARCH)
    )
    assert not loaded


def test_the_integrity_check_is_skipped_only_when_no_migration_is_due(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[Path] = []
    real_check = backup.check
    monkeypatch.setattr(backup, "check", lambda path: checked.append(path) or real_check(path))
    path = tmp_path / "profile.db"
    Database(path).open(check=False).close()  # new: every migration is due, so it checks
    assert checked == [path]
    Database(path).open(check=False).close()
    assert checked == [path]
    Database(path).open().close()  # the window, the agent, every other command
    assert checked == [path, path]


def test_a_damaged_profile_is_explained_not_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "ASSISTANT_HOME": str(home)}
    cmd = [sys.executable, "-m", "assistant"]
    subprocess.run(
        [*cmd, "facts", "add", "The boiler is serviced in October"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    profile = next(home.rglob("assistant.db"))
    conn = sqlite3.connect(profile)  # every page into the main file, none left in the WAL
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(profile.read_bytes())
    data[100:] = b"\x5a" * (len(data) - 100)  # the header survives, every page after it does not
    profile.write_bytes(bytes(data))
    done = subprocess.run([*cmd, "search", "boiler"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "damaged" in done.stderr or "cannot be read" in done.stderr
