"""What changed in the profile's stored data, told to whoever listens (the window's views).

Every core operation that changes reminders, facts, documents, conversations or settings
publishes one of these after its transaction commits, whoever called it (the window, the CLI,
an agent tool, the due service, the local API, an import). A listener never has to guess
from its own actions what to refresh.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RemindersChanged:
    """A reminder or event was added, cancelled, moved, snoozed, completed, restored or fired."""


@dataclass(frozen=True)
class FactsChanged:
    """A user fact was added, proposed, approved, edited or deleted."""


@dataclass(frozen=True)
class DocumentsChanged:
    """A collection was added, removed or changed, or its documents were (re)indexed."""


@dataclass(frozen=True)
class ConversationChanged:
    conversation_id: int
    change: Literal["created", "renamed", "deleted", "restored"]
    #: The conversation's title after the change ("" for deleted).
    title: str = ""


@dataclass(frozen=True)
class SettingsChanged:
    """Settings were saved (the app's, the agent's or memory's)."""


Change = RemindersChanged | FactsChanged | DocumentsChanged | ConversationChanged | SettingsChanged
Listener = Callable[[Change], None]


class ChangeFeed:
    """Publish/subscribe for :data:`Change`. Thread-safe: ``publish`` may be called from any
    thread and calls the listeners on that thread, so a GUI listener must hand the change
    over to its own thread (a queued signal) and return at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback`` for every change from now on; returns the unsubscribe function."""
        with self._lock:
            self._listeners.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return unsubscribe

    def publish(self, change: Change) -> None:
        with self._lock:
            listeners = list(self._listeners)  # a listener may unsubscribe while being called
        for listener in listeners:
            try:
                listener(change)
            except Exception:  # one broken listener must never undo or break the change itself
                log.exception("a change listener failed on %r", change)
