"""The language note in the window (issue 9, item 6): when the user writes Chinese (or the
interface is Chinese) and the active model cannot write it, a banner in Chinese whose button
downloads the catalog's Chinese-capable model, shows the progress and then switches to it
(``language_download.OfferDownload``). Once at start for a Chinese interface (before the first
chat) and once per conversation after a model-written reply; composed answers (reminders,
agenda, search) are already in the user's language.

Whether the model can write Chinese comes from its metadata at once; where the metadata does
not already say no, the loaded model is measured once per file (about a second), in a worker:
the note then comes a moment after the reply."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtWidgets import QVBoxLayout

from assistant.core import Core
from assistant.models.language_advice import LanguageAdvice, core_advisor
from ui.bridge.workers import run_off_thread
from ui.chat.language_download import OfferDownload
from ui.widgets.banner import Banner

log = logging.getLogger(__name__)


class LanguageNotice(QObject):
    #: The banner's switch made the downloaded model the active one (the window may preload it).
    modelSwitched = Signal(object)

    def __init__(self, core: Core, area: QVBoxLayout, open_catalog: Callable[[str], object]) -> None:
        banner = Banner("info")
        super().__init__(banner)
        self.banner = banner
        self.core = core
        self.advisor = core_advisor(core)
        self.banner.setObjectName("languageBanner")
        self.banner.action.setFlat(False)  # a real button: it starts a download
        area.addWidget(self.banner)
        self.noted: set[int] = set()
        self.download = OfferDownload(core, self.banner, open_catalog)
        self.download.switched.connect(self.modelSwitched)
        self.banner.actionClicked.connect(self.download.clicked)

    @property
    def offer_id(self) -> str:
        entry = self.download.entry
        return entry.id if entry is not None else ""

    def interface_language(self) -> str:
        return str(getattr(self.core.settings, "language", "") or QLocale().name())

    def at_start(self) -> bool:
        """A Chinese interface on a model that cannot write Chinese: say so before the first chat."""
        return self._judge("", None)

    def after_reply(self, conversation_id: int | None, user_text: str, n_tokens: int) -> bool:
        """After a reply: only one the model wrote (tokens streamed), once per conversation.
        True when the note is shown now (False also when it may follow from the measurement)."""
        if n_tokens <= 0 or conversation_id is None or conversation_id in self.noted:
            return False
        return self._judge(user_text, conversation_id)

    def _judge(self, user_text: str, conversation_id: int | None) -> bool:
        language = self.interface_language()
        try:
            measuring = self.advisor.would_measure(user_text, language)
        except Exception:  # an extra: never in the way of the chat
            log.exception("could not judge the model's languages")
            return False
        if not measuring:
            return self._show(self._advice(user_text, language), conversation_id)
        run_off_thread(lambda: self._advice(user_text, language),
                       lambda result: self._measured(result, conversation_id), self)
        return False

    def _measured(self, result: object, conversation_id: int | None) -> None:
        if conversation_id is not None and conversation_id in self.noted:
            return
        self._show(result if isinstance(result, LanguageAdvice) else None, conversation_id)

    def _advice(self, user_text: str, language: str) -> LanguageAdvice | None:
        try:
            return self.advisor.advise(user_text, language)
        except Exception:  # an extra: never in the way of the chat
            log.exception("could not judge the model's languages")
            return None

    def _show(self, advice: LanguageAdvice | None, conversation_id: int | None) -> bool:
        if advice is None:
            return False
        if conversation_id is not None:
            self.noted.add(conversation_id)
        if self.download.busy and advice.offer is not None and advice.offer.id == self.offer_id:
            self.banner.show()  # the download's own progress or result stays on it
            return True
        self.download.offer(advice.offer)
        self.banner.show_message(advice.text, advice.action)
        return True
