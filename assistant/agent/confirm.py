"""The confirmation round-trip: the agent waits on a Ticket that the UI (or CLI) answers."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from assistant.engine.base import CancelToken

#: Nobody answered in this long: treat as "no", so a forgotten dialog never runs the action.
ANSWER_SECONDS = 600.0


@dataclass
class Answer:
    allow: bool
    always: bool = False  # "always allow this tool" (the agent saves it in the settings)


class Ticket:
    """Answered once, from any thread; ``wait`` returns None if the turn was cancelled."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._answer: Answer | None = None

    def answer(self, allow: bool, always: bool = False) -> None:
        if not self._event.is_set():
            self._answer = Answer(allow, always and allow)
            self._event.set()

    @property
    def answered(self) -> bool:
        return self._event.is_set()

    def wait(self, cancel: CancelToken, timeout: float = ANSWER_SECONDS) -> Answer:
        waited = 0.0
        while not self._event.wait(0.05):
            waited += 0.05
            if cancel.cancelled or waited >= timeout:
                return Answer(False)
        assert self._answer is not None
        return self._answer
