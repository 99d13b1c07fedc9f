"""The language note in the window (issue 9, item 6): a banner in Chinese with a Download button
for the catalog's Chinese-capable model; once per conversation, after a model-written reply
only, and at start for a Chinese interface. ``SCREENSHOT_DIR`` saves PNGs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from assistant.agent.store import AgentSettings
from assistant.engine.fake import ScriptedEngine
from assistant.models.languages import ChineseSupport
from tests.support import gui_helpers
from tests.support.gui_helpers import send
from ui.app.i18n import install_translators

pytestmark = pytest.mark.gui


def _window(make_window, able: bool = False):  # type: ignore[no-untyped-def]
    window = make_window(ScriptedEngine(["今天 weather is nice 你女", "Second reply."], token_delay=0.0))
    window.core.agent_store.save_settings(AgentSettings(tz="Asia/Shanghai"))
    # The scripted engine has no GGUF to read: stand in for the starter model's verdict.
    window.language_notice.advisor.support = lambda _path: ChineseSupport(able, "vocabulary")
    window.language_notice.advisor.forget()  # the window judged the missing file at start
    window.resize(1000, 700)
    return window


def test_a_chinese_question_gets_the_note_once(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _window(make_window)
    banner = window.language_notice.banner
    window.composer.set_text("明天上午九点提醒我给妈妈打电话")  # a composed answer: no note
    window.composer.button.click()
    asking = lambda: [c for c in window.chat_view.cards if getattr(c, "ticket", None) is not None]  # noqa: E731
    qtbot.waitUntil(lambda: bool(asking()), timeout=10_000)
    asking()[0].allow_button.click()
    gui_helpers.wait_idle(qtbot, window)
    assert not banner.isVisible()
    window.chat.new_chat()
    send(qtbot, window, "你好，今天天气怎么样")
    assert banner.isVisible() and banner.label.text().startswith("当前模型不擅长中文，回答可能不准确。")
    assert "Qwen2.5 1.5B" in banner.action.text() and "986 MB" in banner.action.text()
    _shot(window, "note-en-interface.png")
    banner.close_button.click()
    send(qtbot, window, "再说一遍")
    assert not banner.isVisible()  # once per conversation
    assert window.language_notice.offer_id == "qwen2.5-1.5b"  # its button downloads it: see
    # test_gui_language_download.py (against a local server; never the real catalog's address)


def test_english_or_a_chinese_model_gets_no_note(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _window(make_window)
    send(qtbot, window, "Tell me about the weather")
    assert not window.language_notice.banner.isVisible()
    window = _window(make_window, able=True)
    send(qtbot, window, "你好，今天天气怎么样")
    assert not window.language_notice.banner.isVisible()


def test_a_chinese_interface_is_told_at_start(make_window, qtbot, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    installed = install_translators(qapp, "zh_CN")
    try:
        window = _window(make_window)
        assert window.language_notice.at_start()
        assert window.language_notice.banner.isVisible()
        send(qtbot, window, "你好，今天天气怎么样")
        _shot(window, "note-zh-interface.png")
    finally:
        for translator in installed:
            QCoreApplication.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def _shot(window, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        QApplication.processEvents()
        window.grab().save(str(Path(folder) / name))
