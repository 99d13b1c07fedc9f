"""One generation at a time on the one engine, the user's own turns first.

The model process runs one prompt at a time. The window's turns (``ChatSession``) and requests
from other programs (the local OpenAI-compatible API, ``assistant.api``) both take this gate
before they touch the engine; when it frees up, the waiter with the lowest priority number
gets it, and among equals the one that came first. A user turn therefore waits for at most the
one request that is already generating, never for the queue behind it.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.engine.base import CancelToken

#: The person at the window.
USER = 0
#: Other programs, through the local API.
API = 1
#: How often a waiter with a cancel token looks at it.
POLL_SECONDS = 0.05


class PriorityGate:
    """A lock served by priority, then arrival. Not tied to a thread: a turn is a generator,
    and it may be closed (and the gate released) from another thread than the one that took it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._held = False
        self._holder: int | None = None
        self._waiters: list[tuple[int, int]] = []  # heap of (priority, ticket)
        self._tickets = itertools.count()

    @property
    def busy(self) -> bool:
        return self._held

    @property
    def holder(self) -> int | None:
        """The priority of whoever holds the gate, or None."""
        return self._holder

    def waiting(self, priority: int | None = None) -> int:
        with self._cond:
            return sum(1 for p, _ in self._waiters if priority is None or p == priority)

    def acquire(self, priority: int, cancel: CancelToken | None = None, timeout: float | None = None) -> bool:
        """Wait for the gate; False when ``cancel`` fires or ``timeout`` runs out first."""
        ticket = (priority, next(self._tickets))
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            heapq.heappush(self._waiters, ticket)
            while self._held or self._waiters[0] != ticket:
                remaining = None if deadline is None else deadline - time.monotonic()
                if (cancel is not None and cancel.cancelled) or (remaining is not None and remaining <= 0):
                    self._leave(ticket)
                    return False
                wait = POLL_SECONDS if cancel is not None else remaining
                if remaining is not None and wait is not None:
                    wait = min(wait, remaining)
                self._cond.wait(wait)
            heapq.heappop(self._waiters)
            self._held, self._holder = True, priority
            return True

    def release(self) -> None:
        with self._cond:
            if not self._held:
                raise RuntimeError("release of a gate that is not held")
            self._held, self._holder = False, None
            self._cond.notify_all()

    @contextmanager
    def hold(self, priority: int, cancel: CancelToken | None = None) -> Iterator[bool]:
        """``with gate.hold(API, cancel) as held:`` -- ``held`` is False when cancelled first."""
        held = self.acquire(priority, cancel)
        try:
            yield held
        finally:
            if held:
                self.release()

    def _leave(self, ticket: tuple[int, int]) -> None:
        self._waiters.remove(ticket)
        heapq.heapify(self._waiters)
        self._cond.notify_all()  # whoever is now at the head may go
