"""The extractor process: parses untrusted files under a time and memory limit.

A PDF bomb or a deeply nested stream can make a parser spin or allocate without end; in a
child process we can cap its address space (RLIMIT_AS) and kill it when a file takes too
long, and the app lives on. One long-lived child serves many files (a process per file
would cost more than extracting a small file), and it works one file ahead of the caller,
so extraction overlaps with embedding.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import deque
from multiprocessing.connection import Connection
from typing import Any

from assistant.knowledge.extract import Block, Limits, Skip, extract

#: The child says so once it has started. A file's time limit runs from then: starting Python
#: and importing the parsers can take seconds on a busy machine, and is not the file's fault.
READY = ("ready", None)
#: How long a starting child may take before it is treated as crashed.
START_SECONDS = 120.0


def _serve(conn: Connection, limits: Limits) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    except (ImportError, ValueError, OSError):
        pass  # Windows has no RLIMIT_AS; the time limit still applies
    conn.send(READY)
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        try:
            reply: tuple[Any, ...] = ("ok", extract(path, limits))
        except Skip as exc:
            reply = ("skip", str(exc))
        except MemoryError:
            reply = ("skip", "needs more memory than the per-file limit allows")
        except Exception as exc:  # a parser bug on one file must not stop the rest
            reply = ("skip", f"could not be read ({type(exc).__name__}: {str(exc)[:160]})")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("skip", "its text is too large to pass on"))


def _wait_ready(conn: Connection) -> None:
    try:
        if conn.poll(START_SECONDS):
            conn.recv()
    except (EOFError, OSError):
        pass  # it died at start: the first result() reports the crash


class Extractor:
    """``submit(path)`` then ``result()`` in the same order; at most a few in flight."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._proc: Any = None
        self._conn: Connection | None = None
        self._queue: deque[str] = deque()
        self._busy_since = 0.0  # when the child started the oldest queued file

    def _ensure(self) -> Connection:
        if self._conn is None:
            # spawn, not fork: the parent has threads (Qt, torch), which fork does not copy safely.
            ctx = mp.get_context("spawn")
            parent, child = ctx.Pipe(duplex=True)
            self._proc = ctx.Process(
                target=_serve, args=(child, self.limits), daemon=True, name="document-extractor"
            )
            self._proc.start()
            child.close()
            self._conn = parent
            _wait_ready(parent)
        return self._conn

    def submit(self, path: str) -> None:
        conn = self._ensure()
        if not self._queue:
            self._busy_since = time.monotonic()
        conn.send(path)
        self._queue.append(path)

    @property
    def in_flight(self) -> int:
        return len(self._queue)

    def result(self) -> tuple[str, list[Block] | str]:
        """``("ok", blocks)`` or ``("skip", reason)`` for the oldest submitted file."""
        path = self._queue[0]
        conn = self._conn
        assert conn is not None
        remaining = self._busy_since + self.limits.seconds - time.monotonic()
        try:
            ready = conn.poll(max(0.0, remaining))
            # What the reader process sends: ("ok", blocks) or ("skip", reason).
            reply: tuple[str, list[Block] | str] | None = conn.recv() if ready else None
        except (EOFError, OSError):
            reply = ("skip", "the reader crashed on this file (out of memory or a parser fault)")
            self._restart()
            return self._pop(path, reply)
        if reply is None:
            self._restart()
            return self._pop(path, ("skip", f"reading it took longer than {self.limits.seconds:.0f} s"))
        self._queue.popleft()
        self._busy_since = time.monotonic()
        return reply

    def _pop(self, path: str, reply: tuple[str, str]) -> tuple[str, str]:
        # The child died with the whole queue: files after the culprit go back in line.
        waiting = list(self._queue)[1:]
        self._queue.clear()
        for other in waiting:
            self.submit(other)
        return reply

    def _restart(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
        if self._proc is not None:
            self._proc.join(2)
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join(2)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None
        self._queue.clear()
