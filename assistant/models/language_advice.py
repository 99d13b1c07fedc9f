"""The note a Chinese-speaking user sees when the active model cannot write Chinese.

Given the user's words (or a Chinese interface) and the active model, ``advise`` returns the
note in Chinese with the catalog model to download instead, or None. Whether the model can
write Chinese comes from its GGUF metadata (``models.languages``) and, where that does not
already say no, a measurement by the loaded model (``models.language_check``); a remote
server is not judged (nothing to read). ``advise`` may take a second (the measurement, once
per model file): call it off the GUI thread. The window shows the note once per conversation
as a banner whose button downloads the offered model; the terminal prints it once with the
command. Both decide "once"; this module only decides whether and what.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.models.catalog import CatalogEntry, CatalogError, load_catalog
from assistant.models.language_check import FluencyCheck, combine, file_key
from assistant.models.languages import ChineseSupport, model_chinese_support
from assistant.understand.language import language_of

if TYPE_CHECKING:
    from assistant.core import Core

#: The smallest catalog model offered for Chinese: smaller ones write it, but poorly.
MIN_OFFER_PARAMETERS = 1.0  # billions
NOTE_ZH = "当前模型不擅长中文，回答可能不准确。"
#: When the vocabulary (or header) says Chinese but the measurement clearly disagrees.
MEASURED_ZH = "当前模型的词表虽含中文，但实测写不好中文，回答可能不准确。"


@dataclass(frozen=True)
class LanguageAdvice:
    text: str  # the note, in Chinese
    offer: CatalogEntry | None  # the catalog model that writes Chinese
    action: str  # the Download button's words ("" without an offer)
    reason: str = ""  # the signals that decided (ChineseSupport.reason)


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


def note(offer: CatalogEntry | None, reason: str = "") -> LanguageAdvice:
    lead = MEASURED_ZH if "+measured" in reason else NOTE_ZH
    if offer is None:
        return LanguageAdvice(lead + "可在“模型”页面换用支持中文的模型。", None, "", reason)
    if offer.installed:  # downloaded earlier: the button switches to it
        return LanguageAdvice(f"{lead}{offer.display_name} 已在本机，它能写好中文。", offer,
                              f"换用 {offer.display_name}", reason)
    text = f"{lead}可下载 {offer.display_name}，它能写好中文。"
    return LanguageAdvice(text, offer, f"下载 {offer.display_name}（{size_text(offer.size_bytes)}）", reason)


def wants_chinese(user_text: str, interface_language: str = "") -> bool:
    return language_of(user_text) == "zh" or interface_language.lower().startswith("zh")


class LanguageAdvisor:
    """Per core: remembers the decision per model file (path, size, mtime)."""

    def __init__(
        self,
        settings: Any,
        catalog: Callable[[], Sequence[CatalogEntry]] = load_catalog,
        support: Callable[[Path], ChineseSupport] = model_chinese_support,
        measure: FluencyCheck | None = None,
    ) -> None:
        """``settings``: the settings, or a function returning the current ones (the window
        replaces its settings object whenever they are saved). ``measure``: the loaded model's
        measurement (``FluencyCheck``), None to judge by the metadata alone."""
        self._settings: Callable[[], Any] = settings if callable(settings) else (lambda: settings)
        self.catalog = catalog
        self.support = support
        self.measure = measure
        self._metadata: dict[str, ChineseSupport] = {}
        self._known: dict[str, ChineseSupport] = {}

    @property
    def settings(self) -> Any:
        return self._settings()

    def forget(self) -> None:
        """Judge again (a model file replaced in place)."""
        self._metadata.clear()
        self._known.clear()

    def _model(self) -> tuple[Path, str] | None:
        """The active local model file and its cache key; None for a server or no model."""
        settings = self.settings
        if getattr(settings, "active_connection", 0):
            return None
        path = settings.effective_model_path()
        if not path:
            return None
        try:
            return Path(path), file_key(Path(path))
        except OSError:
            return Path(path), str(path)

    def _metadata_of(self, path: Path, key: str) -> ChineseSupport:
        if key not in self._metadata:
            self._metadata[key] = self.support(path)
        return self._metadata[key]

    def would_measure(self, user_text: str, interface_language: str = "") -> bool:
        """``advise`` would measure the model now (about a second, once per model file), so a
        GUI thread should call it from a worker; otherwise it returns at once."""
        model = self._model()
        if self.measure is None or model is None or not wants_chinese(user_text, interface_language):
            return False
        path, key = model
        if key in self._known or self._metadata_of(path, key).able is False:
            return False
        return self.measure.pending(path)

    def judge(self) -> ChineseSupport | None:
        """For the active local GGUF; None for a remote server or no readable model."""
        model = self._model()
        if model is None:
            return None
        path, key = model
        if key in self._known:
            return self._known[key]
        metadata = self._metadata_of(path, key)
        if metadata.able is False or self.measure is None:
            self._known[key] = metadata
            return metadata
        measured = self.measure(path)  # None: not now (the model not loaded, busy)
        decided = combine(metadata, measured)
        if measured is not None:
            self._known[key] = decided
        return decided

    def model_writes_chinese(self) -> bool | None:
        """True/False for a local GGUF; None for a remote server or no readable model."""
        judged = self.judge()
        return judged.able if judged is not None else None

    def advise(self, user_text: str, interface_language: str = "") -> LanguageAdvice | None:
        """The note, when the user wants Chinese and the active model cannot write it."""
        if not wants_chinese(user_text, interface_language):
            return None
        judged = self.judge()
        if judged is None or judged.able is not False:
            return None
        try:
            entries = self.catalog()
        except CatalogError:
            entries = []
        return note(chinese_offer(entries), judged.reason)


def core_advisor(core: Core, catalog: Callable[[], Sequence[CatalogEntry]] = load_catalog) -> LanguageAdvisor:
    """The advisor for the app's core: its current settings, and the measurement taken by its
    engine between turns (the session's gate keeps it out of a reply)."""
    check = FluencyCheck(core.engine, core.session.gate)
    return LanguageAdvisor(lambda: core.settings, catalog, measure=check)
