"""The confirmation round-trip: the agent waits on a Ticket that the UI (or CLI) answers.

Someone who will answer *takes* the ticket: reading ``ConfirmationNeeded.ticket`` does that
(the window's card, the terminal, a test answering at once all read it). A program that uses the
session as a library and ignores the event never does, and nobody will ever answer: the action
is then refused within ``CLAIM_SECONDS`` with a message that it needs confirmation, instead of
the turn hanging for ``ANSWER_SECONDS``. (The window reads the event on its own thread a moment
after the agent's thread moves on, hence a short grace rather than none.)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from assistant.agent.execute import Outcome
from assistant.engine.base import CancelToken

#: Nobody answered in this long: treat as "no", so a forgotten dialog never runs the action.
ANSWER_SECONDS = 600.0
#: Nobody took the ticket in this long: nobody is there to ask.
CLAIM_SECONDS = 1.0
#: The summary of an action refused because nobody could be asked (the answer says so).
NOBODY_TO_ASK = "Not done: it needs your confirmation"


@dataclass
class Answer:
    allow: bool
    always: bool = False  # "always allow this tool" (the agent saves it in the settings)
    nobody: bool = False  # no one took the ticket: there was nobody to ask


class Ticket:
    """Answered once, from any thread; ``wait`` returns a "no" if the turn was cancelled."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._taken = threading.Event()
        self._answer: Answer | None = None

    def take(self) -> None:
        """Someone will answer (``ConfirmationNeeded.ticket`` calls this when read)."""
        self._taken.set()

    @property
    def taken(self) -> bool:
        return self._taken.is_set()

    def answer(self, allow: bool, always: bool = False) -> None:
        if not self._event.is_set():
            self._answer = Answer(allow, always and allow)
            self._taken.set()
            self._event.set()

    @property
    def answered(self) -> bool:
        return self._event.is_set()

    def wait(
        self, cancel: CancelToken, timeout: float = ANSWER_SECONDS, claim: float = CLAIM_SECONDS
    ) -> Answer:
        waited = 0.0
        while not self._event.wait(0.05):
            waited += 0.05
            if cancel.cancelled or waited >= timeout:
                return Answer(False)
            if waited >= claim and not self._taken.is_set():
                return Answer(False, nobody=True)
        assert self._answer is not None
        return self._answer


def nobody_to_ask(action: str) -> Outcome:
    """The outcome of an action nobody could confirm: refused, nothing done."""
    return Outcome(
        "denied",
        f"{NOBODY_TO_ASK}: {action}",
        f"Not done: {action}. It needs the user's confirmation and nobody could be asked. "
        "Tell the user it was not done and needs their confirmation.",
    )
