"""Issue 9, item 8: one reminder request in the window gives one confirmation card, one result
card and a one-line answer, in English and in the Chinese interface (scripted engine: an
understood request needs no model). ``SCREENSHOT_DIR=...`` also saves the window as a PNG."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from assistant.agent.store import AgentSettings
from assistant.engine.fake import ScriptedEngine
from tests.support import gui_helpers
from ui.app.i18n import install_translators
from ui.chat.cards import ToolCard
from ui.chat.message_widget import MessageWidget

pytestmark = pytest.mark.gui


@pytest.fixture
def interface(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    language: str = request.param
    installed: list[QTranslator] = install_translators(qapp, language) if language != "en" else []
    yield language
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


CASES = {
    "en": ("Remind me tomorrow at 9am to call mum", "Add reminder 'call mum'",
           "Done — I'll remind you to call mum"),
    "zh_CN": ("明天上午九点提醒我给妈妈打电话", "添加提醒「给妈妈打电话」", "好的，"),
}


@pytest.mark.parametrize("interface", ["en", "zh_CN"], indirect=True)
def test_one_confirmation_one_result_one_line(make_window, qtbot, interface: str) -> None:  # type: ignore[no-untyped-def]
    request, action, answer_start = CASES[interface]
    window = make_window(ScriptedEngine(["A model reply nobody should see."], token_delay=0.0))
    window.core.agent_store.save_settings(AgentSettings(tz="Asia/Shanghai"))
    window.resize(1000, 700)
    window.composer.set_text(request)
    window.composer.button.click()
    tool_cards = lambda: [c for c in window.chat_view.cards if isinstance(c, ToolCard)]  # noqa: E731
    qtbot.waitUntil(lambda: any(c.ticket is not None for c in tool_cards()), timeout=10_000)
    (card,) = tool_cards()
    assert card.confirm.isVisible() and action in card.action_label.text()
    if interface == "zh_CN":
        assert card.allow_button.text() != "Allow once"  # the interface is translated
    _shot(window, f"{interface}-1-confirm.png")
    card.allow_button.click()
    gui_helpers.wait_idle(qtbot, window)
    assert tool_cards() == [card] and card.status == "ok" and not card.confirm.isVisible()
    assert "09:00" in card.header.text()
    assert ("<b>提醒</b>" if interface == "zh_CN" else "<b>Reminder</b>") in card.header.text()
    replies = [w for w in window.chat_view.widgets if isinstance(w, MessageWidget) and w.role == "assistant"]
    (reply,) = replies
    assert reply.content.startswith(answer_start) and "\n" not in reply.content.strip()
    assert "09:00" in reply.content and "[called" not in reply.content and "```" not in reply.content
    (saved,) = window.core.reminders.list()
    assert saved.start.hour == 9
    _shot(window, f"{interface}-2-done.png")


def _shot(window, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        QApplication.processEvents()
        window.grab().save(str(Path(folder) / name))
