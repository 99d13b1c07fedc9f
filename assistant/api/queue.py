"""Admission for API requests: a bounded queue in front of the engine's priority gate.

The engine makes one reply at a time (``assistant.engine.gate``), and the window's turns go
first. Requests beyond ``limit`` (waiting or generating) are refused at once with 429 instead
of piling up threads and sockets; one that waits longer than ``max_wait`` gets 503. Both carry
a Retry-After, which the official clients honour.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.engine.base import CancelToken
from assistant.engine.gate import API, PriorityGate

DEFAULT_LIMIT = 8
DEFAULT_MAX_WAIT = 300.0


class QueueFull(Exception):
    """Too many requests already waiting: 429."""


class QueueTimeout(Exception):
    """Waited ``max_wait`` seconds without getting the engine: 503."""


class RequestQueue:
    def __init__(self, gate: PriorityGate, limit: int = DEFAULT_LIMIT,
                 max_wait: float = DEFAULT_MAX_WAIT) -> None:
        self.gate = gate
        self.limit = limit
        self.max_wait = max_wait
        self._lock = threading.Lock()
        self._pending = 0
        self._active: set[CancelToken] = set()

    @property
    def pending(self) -> int:
        """API requests admitted and not finished (waiting or generating)."""
        return self._pending

    def admit(self, cancel: CancelToken | None = None) -> None:
        """Take a place in the queue or raise :class:`QueueFull`; pair with :meth:`leave`."""
        with self._lock:
            if self._pending >= self.limit:
                raise QueueFull(f"{self._pending} requests are already queued; try again shortly.")
            self._pending += 1
            if cancel is not None:
                self._active.add(cancel)

    def leave(self, cancel: CancelToken | None = None) -> None:
        with self._lock:
            self._pending -= 1
            if cancel is not None:
                self._active.discard(cancel)

    def cancel_all(self) -> None:
        """Stop every admitted generation (the server is stopping): the window gets the engine back."""
        with self._lock:
            for cancel in self._active:
                cancel.cancel()

    @contextmanager
    def engine(self, cancel: CancelToken) -> Iterator[bool]:
        """Hold the engine at API priority. ``False``: cancelled (the client left) while waiting.
        Raises :class:`QueueTimeout` when ``max_wait`` runs out first."""
        held = self.gate.acquire(API, cancel, timeout=self.max_wait)
        if not held and not cancel.cancelled:
            raise QueueTimeout(f"The model was busy for {self.max_wait:g} s; try again later.")
        try:
            yield held
        finally:
            if held:
                self.gate.release()
