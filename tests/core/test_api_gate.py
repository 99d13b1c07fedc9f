"""The engine's priority gate and the API's queue: the window's turns before other programs'."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from assistant.api.queue import QueueFull, QueueTimeout, RequestQueue
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.engine.gate import API, USER, PriorityGate
from assistant.events import Done, StatusChanged


def _waiter(gate: PriorityGate, priority: int, order: list[str], name: str,
            cancel: CancelToken | None = None) -> threading.Thread:
    def run() -> None:
        if gate.acquire(priority, cancel):
            order.append(name)
            gate.release()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_user_goes_before_queued_api_requests_and_ties_keep_arrival_order() -> None:
    gate = PriorityGate()
    assert gate.acquire(API)
    order: list[str] = []
    threads = []
    for name in ("api-1", "api-2"):
        threads.append(_waiter(gate, API, order, name))
        count = len(threads)
        _until(lambda: gate.waiting() == count)  # noqa: B023 (used before the loop moves on)
    threads.append(_waiter(gate, USER, order, "user"))
    _until(lambda: gate.waiting() == 3)
    assert gate.waiting(API) == 2 and gate.holder == API
    gate.release()
    for thread in threads:
        thread.join(5)
    assert order == ["user", "api-1", "api-2"]
    assert not gate.busy


def test_cancel_and_timeout_leave_the_queue_without_blocking_others() -> None:
    gate = PriorityGate()
    gate.acquire(USER)
    started = time.monotonic()
    assert gate.acquire(API, timeout=0.1) is False
    assert 0.09 <= time.monotonic() - started < 2
    cancel = CancelToken()
    order: list[str] = []
    cancelled = _waiter(gate, USER, order, "cancelled", cancel)
    behind = _waiter(gate, API, order, "behind")
    _until(lambda: gate.waiting() == 2)
    cancel.cancel()
    cancelled.join(2)
    assert gate.waiting() == 1
    gate.release()  # from this thread; the gate is not tied to the thread that took it
    behind.join(5)
    assert order == ["behind"]
    with pytest.raises(RuntimeError):
        gate.release()


def test_queue_refuses_past_its_limit_and_times_out_a_long_wait() -> None:
    gate = PriorityGate()
    queue = RequestQueue(gate, limit=2, max_wait=0.1)
    queue.admit()
    queue.admit()
    with pytest.raises(QueueFull):
        queue.admit()
    queue.leave()
    queue.admit()  # a place freed up
    assert queue.pending == 2
    gate.acquire(USER)  # the window is generating
    with pytest.raises(QueueTimeout), queue.engine(CancelToken()):
        pass
    cancel = CancelToken()
    cancel.cancel()
    with queue.engine(cancel) as held:  # the client left while waiting: no error, nothing held
        assert held is False
    gate.release()
    with queue.engine(CancelToken()) as held:
        assert held and gate.holder == API
    assert not gate.busy


def test_a_user_turn_waits_for_the_api_request_in_flight_then_runs(make_core: Callable[..., Core]) -> None:
    core = make_core(replies=["From the window."])
    conversation = core.chats.create_conversation()
    gate = core.session.gate
    gate.acquire(API)  # an API request is generating
    events: list[object] = []
    thread = threading.Thread(
        target=lambda: events.extend(core.session.send(conversation, "hello", CancelToken())), daemon=True
    )
    thread.start()
    _until(lambda: gate.waiting(USER) == 1)
    assert any(isinstance(e, StatusChanged) and "waiting" in e.detail for e in events)
    assert not any(isinstance(e, Done) for e in events)
    gate.release()
    thread.join(5)
    assert [e.status for e in events if isinstance(e, Done)] == ["complete"]
    assert not gate.busy  # the turn gave the engine back


def test_stopping_a_user_turn_while_it_waits_ends_it_cleanly(make_core: Callable[..., Core]) -> None:
    core = make_core()
    conversation = core.chats.create_conversation()
    gate = core.session.gate
    gate.acquire(API)
    cancel = CancelToken()
    events: list[object] = []
    thread = threading.Thread(
        target=lambda: events.extend(core.session.send(conversation, "hello", cancel)), daemon=True
    )
    thread.start()
    _until(lambda: gate.waiting(USER) == 1)
    cancel.cancel()
    thread.join(5)
    assert not thread.is_alive()
    assert isinstance(events[-1], StatusChanged) and events[-1].state == "ready"
    assert gate.waiting() == 0 and gate.holder == API  # still the API's; the user did not take it
    gate.release()
    assert core.engine.requests == []  # type: ignore[attr-defined]  # nothing was generated
