"""Large files: read as a stream, in memory that does not grow with the file.

The files are ChatGPT exports shaped like real ones (metadata on every message, hidden system
nodes, a browsing call with a long result, a branch left behind by an edit), written fast by
repeating one conversation with a new id each time.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.core import Core
from assistant.transfer import preview_import, run_import
from tests.support.rows import raw_rows

TURNS = 8


def _node(node_id: str, parent: str | None, role: str, text: str, when: float | None, **extra: Any) -> dict:
    content = extra.pop("content", {"content_type": "text", "parts": [text]})
    metadata = {
        "citations": [], "content_references": [], "message_type": None, "model_slug": "gpt-4o",
        "default_model_slug": "gpt-4o", "parent_id": parent, "request_id": "8a1b2c3d4e5f6a7b-AMS",
        "timestamp_": "absolute", "finish_details": {"type": "stop", "stop_tokens": [200002]},
        "is_complete": True, **extra.pop("metadata", {}),
    }
    message = {
        "id": node_id, "author": {"role": role, "name": None, "metadata": {}}, "create_time": when,
        "update_time": None, "content": content, "status": "finished_successfully", "end_turn": True,
        "weight": 1.0, "metadata": metadata, "recipient": extra.pop("recipient", "all"), "channel": None,
    }
    return {"id": node_id, "message": message, "parent": parent, "children": []}


def _conversation(texts: list[str], rnd: random.Random) -> dict[str, Any]:
    """One conversation with @N@ where its number goes: 16 messages to import, 5 to skip."""
    mapping: dict[str, Any] = {"root": {"id": "root", "message": None, "parent": None, "children": []}}

    def add(node: dict[str, Any]) -> str:
        mapping[node["id"]] = node
        mapping[node["parent"]]["children"].append(node["id"])
        return str(node["id"])

    parent = add(_node("@N@-sys", "root", "system", "", None,
                       metadata={"is_visually_hidden_from_conversation": True}))
    when = 1700000000.0
    for turn in range(TURNS):
        if turn == 3:  # the user edited this question: the first version stays in the tree
            old = add(_node(f"@N@-old{turn}", parent, "user", rnd.choice(texts)[:600], when))
            add(_node(f"@N@-oldr{turn}", old, "assistant", rnd.choice(texts), when + 1))
        parent = add(_node(f"@N@-u{turn}", parent, "user", rnd.choice(texts)[:600], when))
        if turn == 5:  # a browsing call and its long result
            code = {"content_type": "code", "language": "unknown", "text": "search('x')"}
            parent = add(_node(f"@N@-c{turn}", parent, "assistant", "", when + 1, recipient="browser",
                               content=code))
            result = " ".join(rnd.choice(texts) for _ in range(3))
            parent = add(_node(f"@N@-r{turn}", parent, "tool", "", when + 2,
                               content={"content_type": "tether_browsing_display", "result": result}))
        parent = add(_node(f"@N@-a{turn}", parent, "assistant", rnd.choice(texts), when + 3))
        when += 60
    return {
        "title": "Chat @N@ about things", "create_time": 1700000000.0, "update_time": when,
        "mapping": mapping, "moderation_results": [], "current_node": parent, "plugin_ids": None,
        "conversation_id": "conv-@N@", "conversation_template_id": None, "gizmo_id": None,
        "is_archived": False, "safe_urls": [], "default_model_slug": "gpt-4o", "id": "conv-@N@",
    }


def write_chatgpt_export(path: Path, size: int, first: int = 0) -> int:
    """A conversations.json of at least ``size`` bytes, conversations numbered from ``first``;
    returns how many conversations it holds."""
    rnd = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rnd.choice(letters) for _ in range(rnd.randint(2, 9))) for _ in range(3000)]
    texts = [" ".join(rnd.choice(vocabulary) for _ in range(220)) for _ in range(200)]
    template = json.dumps(_conversation(texts, rnd), ensure_ascii=False).encode()
    count = written = 0
    with path.open("wb") as out:
        out.write(b"[")
        while written < size:
            chunk = (b"," if count else b"") + template.replace(b"@N@", str(first + count).encode())
            out.write(chunk)
            written += len(chunk)
            count += 1
        out.write(b"]")
    return count


def _python_peak(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_file(make_core: Callable[..., Core], tmp_path: Path) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    count = write_chatgpt_export(small, 1_000_000)
    count += write_chatgpt_export(large, 4_000_000, first=count)
    core = make_core()
    peaks = {}
    for path in (small, large):
        peaks[path.name, "preview"] = _python_peak(lambda p=path: preview_import(p, core))
        peaks[path.name, "import"] = _python_peak(lambda p=path: run_import(core, p))
    assert raw_rows(core.database.path, "select count(*) from messages")[0][0] == count * 2 * TURNS
    for step in ("preview", "import"):
        # Four times the file, about the same peak: one conversation at a time.
        assert peaks["large.json", step] < peaks["small.json", step] * 1.5 + 256_000, peaks
        assert peaks["large.json", step] < 4_000_000, peaks


def _run_cli(args: list[str], home: Path, log: Path) -> tuple[int, float, float]:
    """Exit status, peak resident memory (MB) and seconds of ``assistant ARGS`` in a child."""
    env = {**os.environ, "ASSISTANT_HOME": str(home)}
    started = time.monotonic()
    with log.open("w") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "assistant", *args], env=env, stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage.ru_maxrss / 1024, time.monotonic() - started


@pytest.mark.slow
def test_a_500_mb_export_imports_in_bounded_memory(tmp_path: Path) -> None:
    """Preview and import of a 500 MB conversations.json by the CLI, in a child process whose
    peak memory is compared with the same command on a tiny file."""
    big, tiny = tmp_path / "conversations.json", tmp_path / "tiny.json"
    try:
        started = time.monotonic()
        count = write_chatgpt_export(big, 500_000_000)
        written = time.monotonic() - started
        write_chatgpt_export(tiny, 1)
        status, tiny_mb, _ = _run_cli(["import", str(tiny), "--yes"], tmp_path / "tiny", tmp_path / "t.log")
        assert status == 0, (tmp_path / "t.log").read_text()
        home = tmp_path / "home"
        status, big_mb, seconds = _run_cli(["import", str(big), "--yes"], home, tmp_path / "b.log")
        output = (tmp_path / "b.log").read_text()
        assert status == 0, output
        assert f"Imported {count:,} conversations, {count * 2 * TURNS:,} messages." in output
        rows = raw_rows(home / "assistant.db", "select count(*) from messages")[0][0]
        assert rows == count * 2 * TURNS
        print(
            f"\n500 MB import: {big.stat().st_size / 1e6:.0f} MB file written in {written:.1f} s; "
            f"preview + import {seconds:.0f} s; peak RSS {big_mb:.0f} MB (tiny file: {tiny_mb:.0f} MB)"
        )
        assert big_mb - tiny_mb < 150, "memory must not follow the 500 MB file"
    finally:
        big.unlink(missing_ok=True)
        for leftover in (tmp_path / "home").glob("assistant.db*"):
            leftover.unlink()  # ~2 GB of profile: not left for pytest's kept temp folders
