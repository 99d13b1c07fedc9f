"""The terminal's language note: once per ``assistant chat`` run, after the first free-text
reply to a Chinese request from a model that cannot write Chinese (see models.language_advice)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from assistant.events import Done
from assistant.models.language_advice import LanguageAdvice, LanguageAdvisor, size_text

if TYPE_CHECKING:
    from assistant.chat.hooks import SessionEvent


def terminal_text(advice: LanguageAdvice) -> str:
    if advice.offer is None:
        return advice.text
    size = size_text(advice.offer.size_bytes)
    return f"{advice.text}\n下载（{size}）：assistant models download {advice.offer.id}"


class TerminalLanguageNote:
    def __init__(self, advisor: LanguageAdvisor, interface_language: str, out: TextIO) -> None:
        self.advisor = advisor
        self.interface_language = interface_language
        self.out = out
        self.shown = False

    def watch(self, events: Iterable[SessionEvent], user_text: str) -> Iterator[SessionEvent]:
        """Pass the turn's events through; after a model-written reply (tokens streamed: not a
        composed answer), print the note the first time it applies. Judged once the turn is
        over, so the model is free for the measurement (models.language_check)."""
        wrote = False
        for event in events:
            yield event
            wrote = wrote or (isinstance(event, Done) and event.n_tokens > 0)
        if wrote and not self.shown:
            self.maybe_show(user_text)

    def maybe_show(self, user_text: str) -> None:
        try:
            advice = self.advisor.advise(user_text, self.interface_language)
        except Exception:  # advice is an extra: never let it break the chat
            return
        if advice is not None:
            self.shown = True
            self.out.write(f"\n{terminal_text(advice)}\n")
            self.out.flush()
