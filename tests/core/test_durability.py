"""The app killed with SIGKILL mid-reply, many times: the database stays whole, nothing is lost."""

from __future__ import annotations

import json
import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import db_path
from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.store.chats import ChatStore
from assistant.store.db import Database
from tests.support.stream_forever import reply_text

pytestmark = pytest.mark.slow

HELPER = Path(__file__).parents[1] / "support" / "stream_forever.py"
REPO_ROOT = Path(__file__).resolve().parents[2]
KILLS_MID_STREAM = 50
KILLS_AT_RANDOM_TIMES = 10  # during start-up, open, migration check, the user insert ...
CHECK_EVERY = 5  # let WAL frames pile up between checks, as in real use


def _user_text(i: int) -> str:
    return f"message {i}: ünïcödé ✓ 你好 שלום {'x' * (i % 7)}\nsecond line\t{i * i}"


def _start(conversation_id: int, text: str, save_every_token: bool) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    args = [sys.executable, str(HELPER), str(conversation_id), json.dumps(text)]
    if save_every_token:
        args.append("--save-every-token")
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT
    )


def _wait_for_line(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return ""
    return proc.stdout.readline().strip()


def _check(db_file: Path, confirmed: dict[int, str], sent: set[str], full_reply: str) -> int:
    conn = sqlite3.connect(str(db_file), timeout=10)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        users = [r[0] for r in conn.execute("select content from messages where role = 'user'")]
        replies = conn.execute("select content, status from messages where role = 'assistant'")
        for content, status in replies:
            assert full_reply.startswith(content), "a saved partial reply is not a prefix"
            assert status in ("streaming", "interrupted")
    finally:
        conn.close()
    missing = [i for i, text in confirmed.items() if text not in users]
    assert not missing, f"user messages lost after SIGKILL: iterations {missing}"
    assert set(users) <= sent, "a stored user message differs from every text sent"
    assert len(users) == len(set(users)), "a user message was stored twice"
    return len(users)


def test_sigkill_mid_reply_never_corrupts_or_loses_messages() -> None:
    seed = int(os.environ.get("DURABILITY_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    full_reply = reply_text()
    db_file = db_path()
    database = Database(db_file).open()
    conversation_id = ChatStore(database).create_conversation("durability")
    database.close()

    plan = ["mid_stream"] * KILLS_MID_STREAM + ["any_time"] * KILLS_AT_RANDOM_TIMES
    rng.shuffle(plan)
    plan.append("mid_stream")  # end on a killed stream: its row is left 'streaming'

    confirmed: dict[int, str] = {}  # iteration -> text known to be committed before the kill
    sent: set[str] = set()
    mid_stream_kills = 0
    started = time.monotonic()
    for i, mode in enumerate(plan):
        text = _user_text(i)
        sent.add(text)
        proc = _start(conversation_id, text, save_every_token=rng.random() < 0.7)
        try:
            if mode == "mid_stream":
                line = _wait_for_line(proc, timeout=30)
                if line != "streaming":
                    proc.kill()
                    _, err = proc.communicate(timeout=10)
                    pytest.fail(f"seed {seed}, iteration {i}: child said {line!r}\n{err}")
                confirmed[i] = text  # "streaming" is printed after the user message commits
                time.sleep(rng.uniform(0, 0.08))
            else:
                time.sleep(rng.uniform(0, 0.5))
            still_running = proc.poll() is None
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stdout:
                proc.stdout.close()
            stderr = proc.stderr.read() if proc.stderr else ""
            if proc.stderr:
                proc.stderr.close()
        assert still_running, f"seed {seed}, iteration {i}: child exited by itself\n{stderr}"
        assert proc.returncode == -signal.SIGKILL
        if mode == "mid_stream":
            mid_stream_kills += 1
        if i % CHECK_EVERY == 0:
            _check(db_file, confirmed, sent, full_reply)

    n_users = _check(db_file, confirmed, sent, full_reply)
    assert mid_stream_kills >= KILLS_MID_STREAM
    assert n_users >= len(confirmed) >= KILLS_MID_STREAM

    conn = sqlite3.connect(str(db_file))
    left_streaming = conn.execute("select count(*) from messages where status = 'streaming'").fetchone()[0]
    conn.close()
    assert left_streaming >= 1, "the last kill should have left a reply mid-stream"

    core = Core.open(engine=ScriptedEngine())
    try:
        messages = core.chats.messages(conversation_id)
        assert not [m for m in messages if m.status == "streaming"]
        interrupted = [m for m in messages if m.status == "interrupted"]
        assert len(interrupted) >= mid_stream_kills
        assert all(full_reply.startswith(m.content) for m in interrupted)
        assert {i: t for i, t in confirmed.items() if t in {m.content for m in messages}} == confirmed
    finally:
        core.close()
    elapsed = time.monotonic() - started
    assert elapsed < 120, f"durability run took {elapsed:.0f}s (seed {seed})"
