"""The core's change feed as Qt signals: every view that shows stored data subscribes here and
refreshes itself, whoever made the change (the window, an agent tool, the due service, the
local API, an import) and on whatever thread (Anki's ``operation_did_execute``).

``core.changes`` calls its listeners on the thread that committed the change. The one listener
here only queues the change and wakes the GUI thread; there the queue is drained in order, equal
changes told once per batch (an import of 500 chats refreshes the chat list once).
"""

from __future__ import annotations

import contextlib
import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot

from assistant.changes import (
    Change,
    ChangeFeed,
    ConversationChanged,
    DocumentsChanged,
    FactsChanged,
    RemindersChanged,
    SettingsChanged,
)


class CoreChanges(QObject):
    """Subscribes to ``core.changes`` once; signals are emitted on the GUI thread."""

    remindersChanged = Signal()
    factsChanged = Signal()
    documentsChanged = Signal()
    settingsChanged = Signal()
    #: One ConversationChanged (created, renamed, deleted or restored), for views of one chat.
    conversationChanged = Signal(object)
    #: Once per batch that changed any conversation, for views that list them.
    conversationsChanged = Signal()
    _arrived = Signal()

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: dict[Change, None] = {}  # insertion-ordered set: equal changes once
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = feed.subscribe(self._on_change)

    def close(self) -> None:
        """Stop listening (the window is closing; the core may outlive it in tests)."""
        self._unsubscribe()

    def _on_change(self, change: Change) -> None:
        """Called on the committing thread: queue and wake the GUI thread, nothing more."""
        with self._lock:
            wake = not self._pending
            self._pending.setdefault(change, None)
        if wake:
            with contextlib.suppress(RuntimeError):  # the window is gone: nobody to tell
                self._arrived.emit()

    @Slot()
    def _deliver(self) -> None:
        with self._lock:
            changes, self._pending = list(self._pending), {}
        any_conversation = False
        for change in changes:
            if isinstance(change, ConversationChanged):
                any_conversation = True
                self.conversationChanged.emit(change)
            elif isinstance(change, RemindersChanged):
                self.remindersChanged.emit()
            elif isinstance(change, FactsChanged):
                self.factsChanged.emit()
            elif isinstance(change, DocumentsChanged):
                self.documentsChanged.emit()
            elif isinstance(change, SettingsChanged):
                self.settingsChanged.emit()
        if any_conversation:
            self.conversationsChanged.emit()
