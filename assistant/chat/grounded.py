"""Whether the active model can use retrieved passages, and the extractive answer when it cannot.

The automatic default is the notion the answer after tools uses (``agent/setup.py``,
``writes_answers``): a remote server or a local GGUF of at least 3B parameters uses passages;
smaller local models (the bundled starter model) loop or garble them, as measured by
``assistant bench --only grounded``. The user's setting (``MemorySettings.passages``) goes on
top: "model" always hands passages to the model, "extract" always answers extractively.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from assistant.chat import extract
from assistant.config import Settings
from assistant.memory import recall as recall_mod
from assistant.memory.service import Memory
from assistant.store.chats import ChatStore

#: ``MemorySettings.passages``: decided from the model, always the model, always extractive.
PASSAGE_MODES = ("auto", "model", "extract")


def uses_passages(setting: str, capable: Callable[[], bool]) -> bool:
    """Whether the model answers from the passages (else the extractive answer, when one fits)."""
    if setting == "model":
        return True
    if setting == "extract":
        return False
    return capable()


class ActiveModel(Protocol):
    """What the choice reads (``Core`` has both)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def memory(self) -> Memory: ...


def model_uses_passages(core: ActiveModel) -> bool:
    """For the active model of ``core``: the user's setting on top of the size default."""
    from assistant.agent.setup import writes_answers

    return uses_passages(core.memory.settings.passages, lambda: writes_answers(core.settings))


class Extractive:
    """The session's hook: the extractive answer for this turn's recall, or None (the model
    answers). It also narrows the turn's citations to the quoted sources, numbered as quoted."""

    def __init__(self, memory: Memory, chats: ChatStore, uses: Callable[[], bool]) -> None:
        self.memory = memory
        self.chats = chats
        self.uses = uses

    def __call__(self, conversation_id: int) -> str | None:
        found = self.memory.pending_recall(conversation_id)
        if found is None or not found.hits or self.uses():
            return None
        question = self._question(conversation_id)
        picks = extract.choose(list(found.hits), question)
        if not picks:
            return None
        text, cited = extract.compose(picks, question)
        citations = tuple(recall_mod.citation(n, hit) for n, hit in enumerate(cited, 1))
        narrowed = recall_mod.Recall(found.block, citations, found.untrusted, tuple(cited))
        self.memory.set_pending_recall(conversation_id, narrowed)
        return text

    def _question(self, conversation_id: int) -> str:
        users = [m for m in self.chats.messages(conversation_id) if m.role == "user"]
        return users[-1].content if users else ""

