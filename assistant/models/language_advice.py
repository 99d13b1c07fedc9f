"""The note a Chinese-speaking user sees when the active model cannot write Chinese.

Given the user's words (or a Chinese interface) and the active model, ``advise`` returns the
note in Chinese with the catalog model to download instead, or None. Whether the model can
write Chinese comes from its GGUF metadata (``models.languages``); a remote server is not
judged (nothing to read). The window shows the note once per conversation as a banner with a
Download button; the terminal prints it once. Both decide "once"; this module only decides
whether and what.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.models.catalog import CatalogEntry, CatalogError, load_catalog
from assistant.models.languages import ChineseSupport, model_chinese_support
from assistant.understand.language import language_of

#: The smallest catalog model offered for Chinese: smaller ones write it, but poorly.
MIN_OFFER_PARAMETERS = 1.0  # billions
NOTE_ZH = "当前模型不擅长中文，回答可能不准确。"


@dataclass(frozen=True)
class LanguageAdvice:
    text: str  # the note, in Chinese
    offer: CatalogEntry | None  # the catalog model that writes Chinese
    action: str  # the Download button's words ("" without an offer)


def billions(parameters: str) -> float:
    found = re.fullmatch(r"\s*([\d.]+)\s*([MB])\s*", parameters.upper())
    if not found:
        return 0.0
    value = float(found.group(1))
    return value / 1000 if found.group(2) == "M" else value


def chinese_offer(entries: Sequence[CatalogEntry]) -> CatalogEntry | None:
    """The smallest catalog model that writes Chinese and is big enough to write it well."""
    speaking = [e for e in entries if "zh" in e.languages]
    good = [e for e in speaking if billions(e.parameters) >= MIN_OFFER_PARAMETERS] or speaking
    return min(good, key=lambda e: e.size_bytes) if good else None


def size_text(size_bytes: int) -> str:
    if size_bytes >= 1_000_000_000:
        return f"{size_bytes / 1e9:.1f} GB"
    return f"{round(size_bytes / 1e6)} MB"


def note(offer: CatalogEntry | None) -> LanguageAdvice:
    if offer is None:
        return LanguageAdvice(NOTE_ZH + "可在“模型”页面换用支持中文的模型。", None, "")
    text = f"{NOTE_ZH}可下载 {offer.display_name}，它能写好中文。"
    return LanguageAdvice(text, offer, f"下载 {offer.display_name}（{size_text(offer.size_bytes)}）")


def wants_chinese(user_text: str, interface_language: str = "") -> bool:
    return language_of(user_text) == "zh" or interface_language.lower().startswith("zh")


class LanguageAdvisor:
    """Per core: remembers the decision per model file (the vocabulary walk takes ~0.2 s)."""

    def __init__(
        self,
        settings: Any,
        catalog: Callable[[], Sequence[CatalogEntry]] = load_catalog,
        support: Callable[[Path], ChineseSupport] = model_chinese_support,
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.support = support
        self._known: dict[str, bool | None] = {}

    def forget(self) -> None:
        """Judge again (a model file replaced in place)."""
        self._known.clear()

    def model_writes_chinese(self) -> bool | None:
        """True/False for a local GGUF; None for a remote server or no readable model."""
        if getattr(self.settings, "active_connection", 0):
            return None
        path = self.settings.effective_model_path()
        if not path:
            return None
        key = str(path)
        if key not in self._known:
            self._known[key] = self.support(Path(path)).able
        return self._known[key]

    def advise(self, user_text: str, interface_language: str = "") -> LanguageAdvice | None:
        """The note, when the user wants Chinese and the active model cannot write it."""
        if not wants_chinese(user_text, interface_language) or self.model_writes_chinese() is not False:
            return None
        try:
            entries = self.catalog()
        except CatalogError:
            entries = []
        return note(chinese_offer(entries))
