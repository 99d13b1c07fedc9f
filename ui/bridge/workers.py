"""The one bridge between the Qt-free core and the GUI.

A core operation is a generator of typed events (``assistant/events.py``). :class:`StreamWorker`
runs it on a ``QThread`` and re-emits each event as a Qt signal on the GUI thread.

Text deltas are not sent one signal per token: the thread appends every event to a locked
queue, and a GUI-side ``QTimer`` drains it every ``FLUSH_MS``, joining consecutive deltas into
one ``textReady`` batch. That keeps the event loop free at any token rate (a fast model makes
hundreds of tokens a second) while a slow model's token still shows within one interval. Any
other event wakes the drain at once. One queue keeps the core's order: the view never sees text
before the ``ReplyStarted`` it belongs to, nor after the ``Done`` that ends it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from assistant.chat.hooks import SessionEvent
from assistant.engine.base import CancelToken
from assistant.events import (
    ContextTrimmed,
    Done,
    Failed,
    MessageStored,
    ModelLoaded,
    ReplyStarted,
    StatusChanged,
    TextDelta,
)
from assistant.store.db import StorageError
from assistant.transfer import TransferError

log = logging.getLogger(__name__)

#: How often streamed text reaches the view (the design asks for 30–50 ms batches).
FLUSH_MS = 40

#: A turn or a preload: the session's events (``StreamWorker``).
Operation = Callable[[CancelToken], Iterator[SessionEvent]]
#: Any other background generator: downloads, indexing, one blocking call (``GeneratorWorker``).
BackgroundOperation = Callable[[CancelToken], Iterator[object]]


class _Runner(QThread):
    """Iterates the generator off the GUI thread. Only talks to the GUI through the queue."""

    wake = Signal()

    def __init__(
        self, operation: Operation, cancel: CancelToken, queue: _EventQueue, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._operation = operation
        self._cancel = cancel
        self._queue = queue

    def run(self) -> None:
        try:
            for item in self._operation(self._cancel):
                self._queue.put(item)
                if not isinstance(item, TextDelta):
                    self.wake.emit()  # anything but text is delivered at once
        except Exception as exc:  # never let a core bug take the window down
            log.exception("core operation failed")
            self._queue.put(Failed(f"Unexpected error: {exc}", "internal"))
            self.wake.emit()


class _EventQueue:
    """Events in the order the core yielded them, drained by the GUI thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[SessionEvent] = []

    def put(self, item: SessionEvent) -> None:
        with self._lock:
            self._items.append(item)

    def take(self) -> list[SessionEvent]:
        with self._lock:
            items, self._items = self._items, []
        return items


class StreamWorker(QObject):
    """Runs one core operation. Create one per turn; it cleans itself up when finished."""

    statusChanged = Signal(str, str)  # state, detail
    modelLoaded = Signal(object)  # ModelLoaded
    messageStored = Signal(object)  # MessageStored
    replyStarted = Signal(object)  # ReplyStarted
    contextTrimmed = Signal(object)  # ContextTrimmed
    textReady = Signal(str, int)  # batched text, number of tokens in the batch
    done = Signal(object)  # Done
    failed = Signal(object)  # Failed (also for unexpected exceptions)
    #: Any other event, in order: citations, facts saved or forgotten, tool cards and
    #: confirmations. The window dispatches on the type, so new core events need no new signal.
    other = Signal(object)
    finished = Signal()

    def __init__(self, operation: Operation, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel_token = CancelToken()
        self._queue = _EventQueue()
        self._runner = _Runner(operation, self.cancel_token, self._queue, self)
        self._runner.wake.connect(self._drain)
        self._runner.finished.connect(self._on_finished)
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._drain)
        self.tokens = 0
        self.started_at = 0.0
        self.conversation_id: int | None = None
        self.reply_id: int | None = None

    def start(self) -> None:
        self.started_at = time.perf_counter()
        self._timer.start()
        self._runner.start()

    def cancel(self) -> None:
        """Ask the engine to stop; it halts within a token and the reply is saved as stopped."""
        self.cancel_token.cancel()

    def is_running(self) -> bool:
        return self._runner.isRunning()

    def wait(self, msecs: int = 5000) -> bool:
        return self._runner.wait(msecs)

    @Slot()
    def _drain(self) -> None:
        """Deliver queued events in order, joining runs of text deltas into one batch."""
        text: list[str] = []
        for item in self._queue.take():
            if isinstance(item, TextDelta):
                text.append(item.text)
                continue
            self._emit_text(text)
            text = []
            self._dispatch(item)
        self._emit_text(text)

    def _emit_text(self, parts: list[str]) -> None:
        if parts:
            self.tokens += len(parts)
            self.textReady.emit("".join(parts), len(parts))

    def _dispatch(self, event: SessionEvent) -> None:
        if isinstance(event, StatusChanged):
            self.statusChanged.emit(event.state, event.detail)
        elif isinstance(event, ModelLoaded):
            self.modelLoaded.emit(event)
        elif isinstance(event, MessageStored):
            self.conversation_id = event.conversation_id
            self.messageStored.emit(event)
        elif isinstance(event, ReplyStarted):
            self.conversation_id = event.conversation_id
            self.reply_id = event.message_id
            self.replyStarted.emit(event)
        elif isinstance(event, ContextTrimmed):
            self.contextTrimmed.emit(event)
        elif isinstance(event, Done):
            self.done.emit(event)
        elif isinstance(event, Failed):
            self.failed.emit(event)
        else:
            self.other.emit(event)

    @Slot()
    def _on_finished(self) -> None:
        self._timer.stop()
        self._drain()
        self.finished.emit()


class GeneratorWorker(QObject):
    """Runs any event generator (a download, for instance) and re-emits each item as ``event``.

    Used for work whose events are already throttled by the core (downloads report ~10 times a
    second), so one queued signal per item is cheap. The thread is a daemon ``threading.Thread``
    rather than a ``QThread`` on purpose: a download blocked in a socket read for up to its read
    timeout must never keep the app from quitting, and a daemon thread is simply dropped at exit
    (the download's lock names our pid, so the next start takes it over; the ``.part`` resumes).
    Signals emitted from that thread reach GUI-thread slots queued, in order.
    """

    produced = Signal(object)  # each item the operation yields, on the GUI thread
    finished = Signal()

    def __init__(self, operation: BackgroundOperation, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel_token = CancelToken()
        self._operation = operation
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="generator-worker", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for item in self._operation(self.cancel_token):
                self._emit(item)
        except Exception as exc:  # a core bug must end as a visible failure, not a dead thread
            log.exception("background operation failed")
            self._emit(Failed(f"Unexpected error: {exc}", "internal"))
        finally:
            with contextlib.suppress(RuntimeError):
                self.finished.emit()

    def _emit(self, item: object) -> None:
        # The owner may be gone (window closed mid-download); the work then just ends quietly.
        with contextlib.suppress(RuntimeError):
            self.produced.emit(item)

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, msecs: int = 5000) -> bool:
        if self._thread is not None:
            self._thread.join(msecs / 1000)
        return not self.is_running()


class Relay(QObject):
    """Turns a core callback that fires on a core thread (the collection watcher's
    ``on_event``) into a queued Qt signal. Call the instance from any thread."""

    produced = Signal(object)

    def __call__(self, item: object) -> None:
        with contextlib.suppress(RuntimeError):  # the receiver is gone: the app is closing
            self.produced.emit(item)


def call_in_background(func: Callable[[], object], parent: QObject | None = None) -> GeneratorWorker:
    """Run one blocking call (a search, an ICS import) off the GUI thread. The result arrives
    as the worker's single ``produced``; an exception arrives as a ``Failed``. Call ``start()``."""

    def operation(_cancel: CancelToken) -> Iterator[object]:
        yield func()

    return GeneratorWorker(operation, parent)


#: What the background call may raise that is a sentence for the user, not a bug.
EXPECTED = (TransferError, StorageError, OSError)


def run_off_thread(
    func: Callable[[], object], on_done: Callable[[object], None], parent: QObject
) -> GeneratorWorker:
    """Run ``func`` on a background thread; ``on_done`` gets its result, or the exception it
    raised (expected ones as themselves, anything else as the worker's ``Failed``)."""

    def operation(_cancel: CancelToken) -> Iterator[object]:
        try:
            yield func()
        except EXPECTED as exc:
            yield exc

    worker = GeneratorWorker(operation, parent)
    worker.produced.connect(on_done)
    worker.start()
    return worker
