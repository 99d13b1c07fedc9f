"""The window shows a reply that fell into a loop as stored: one copy and the note."""

from __future__ import annotations

import pytest

from assistant.chat.loops import NOTES
from assistant.engine.fake import ScriptedEngine
from tests.support.gui_helpers import send, shown

pytestmark = pytest.mark.gui
STORY = "Once upon a time there was a lighthouse. " + (
    "Max and his friend loved to visit the famous lighthouse. " * 20
)


def test_window_shows_the_trimmed_reply(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(ScriptedEngine([STORY]))
    send(qtbot, window, "Write a long story about a lighthouse.")
    role, content, status = shown(window)[-1]
    assert role == "assistant" and status == "stopped"
    assert content.endswith(NOTES["en"]) and content.count("famous lighthouse") == 1
