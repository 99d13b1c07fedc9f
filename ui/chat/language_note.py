"""The language note in the window (issue 9, item 6): when the user writes Chinese (or the
interface is Chinese) and the active model cannot write it, a banner in Chinese with a Download
button that opens the Models page on the catalog's Chinese-capable model. Once at start for a
Chinese interface (before the first chat) and once per conversation after a model-written reply;
composed answers (reminders, agenda, search) are already in the user's language."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QVBoxLayout

from assistant.core import Core
from assistant.models.language_advice import LanguageAdvice, LanguageAdvisor
from ui.widgets.banner import Banner

log = logging.getLogger(__name__)


class LanguageNotice:
    def __init__(self, core: Core, area: QVBoxLayout, open_catalog: Callable[[str], object]) -> None:
        self.core = core
        self.advisor = LanguageAdvisor(core.settings)
        self.banner = Banner("info")
        self.banner.setObjectName("languageBanner")
        self.banner.action.setFlat(False)  # a real button: it starts a download
        area.addWidget(self.banner)
        self.noted: set[int] = set()
        self.offer_id = ""
        self.banner.actionClicked.connect(lambda: open_catalog(self.offer_id) if self.offer_id else None)

    def interface_language(self) -> str:
        return str(getattr(self.core.settings, "language", "") or QLocale().name())

    def at_start(self) -> bool:
        """A Chinese interface on a model that cannot write Chinese: say so before the first chat."""
        return self._show(self._advice(""))

    def after_reply(self, conversation_id: int | None, user_text: str, n_tokens: int) -> bool:
        """After a reply: only one the model wrote (tokens streamed), once per conversation."""
        if n_tokens <= 0 or conversation_id is None or conversation_id in self.noted:
            return False
        shown = self._show(self._advice(user_text))
        if shown:
            self.noted.add(conversation_id)
        return shown

    def _advice(self, user_text: str) -> LanguageAdvice | None:
        try:
            return self.advisor.advise(user_text, self.interface_language())
        except Exception:  # an extra: never in the way of the chat
            log.exception("could not judge the model's languages")
            return None

    def _show(self, advice: LanguageAdvice | None) -> bool:
        if advice is None:
            return False
        self.offer_id = advice.offer.id if advice.offer else ""
        self.banner.show_message(advice.text, advice.action)
        return True
