"""What the chat controller works with: the widgets it shows the conversation in, and the
status bar it reports to (a Protocol, so the chat does not depend on the window)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from assistant.events import ModelLoaded
from ui.chat.composer import Composer
from ui.chat.header import ChatHeader
from ui.chat.sidebar import Sidebar
from ui.chat.view import ChatView
from ui.widgets.banner import Banner


class TurnStatus(Protocol):
    """The status bar, as the chat reports to it."""

    def say(self, text: str) -> None: ...
    def text(self) -> str: ...
    def flash(self, text: str, timeout_ms: int) -> None: ...
    def on_status(self, state: str, detail: str) -> None: ...
    def on_model_loaded(self, event: ModelLoaded) -> None: ...


@dataclass(frozen=True)
class ChatWidgets:
    """The parts of the window the conversation is shown in."""

    sidebar: Sidebar
    view: ChatView
    composer: Composer
    header: ChatHeader
    notice: Banner
    error_bar: Banner
