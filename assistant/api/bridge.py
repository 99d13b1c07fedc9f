"""A blocking generator (the engine's) in its own thread, read from the server's event loop.

One thread per request rather than the event loop's shared pool: a request may wait minutes
for the engine behind the window's turns, and must not starve the pool that other requests
(and uvicorn itself) use. The number of such threads is bounded by the request queue.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

from starlette.requests import Request

from assistant.engine.base import CancelToken

#: How often a waiting handler checks whether its client is still there.
DISCONNECT_POLL = 0.25


class End:
    """The producer finished (or stopped after a cancel)."""


END = End()


class ClientGone(Exception):
    """The client disconnected before the reply was ready; the generation was cancelled."""


class Bridge:
    def __init__(self, produce: Callable[[], Iterator[Any]], cancel: CancelToken,
                 on_exit: Callable[[], None]) -> None:
        self.cancel = cancel
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._produce = produce
        self._on_exit = on_exit
        self._thread = threading.Thread(target=self._run, name="api-request", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for item in self._produce():
                if not self._put(item):
                    break
        except BaseException as exc:  # every failure reaches the handler, which answers for it
            self._put(exc)
        finally:
            self._on_exit()
            self._put(END)

    def _put(self, item: Any) -> bool:
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
            return True
        except RuntimeError:  # the event loop is gone: the server stopped
            self.cancel.cancel()
            return False

    async def next(self, request: Request | None = None) -> Any:
        """The next item, or ``END``; an exception from the producer is raised here. With
        ``request``: raises :class:`ClientGone` (and cancels) when the client disconnects."""
        while True:
            try:
                item = await asyncio.wait_for(self._queue.get(), DISCONNECT_POLL if request else None)
            except TimeoutError:
                if request is not None and await request.is_disconnected():
                    self.cancel.cancel()
                    raise ClientGone() from None
                continue
            if isinstance(item, BaseException):
                raise item
            return item
