"""The window on the real engine (the starter model in its child process): a damaged or
missing model file is explained in the window, the chats stay, and a good model then works."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import starter_model_path
from assistant.core import Core
from assistant.engine.local import LocalEngine
from tests.support.gui_helpers import send, shown

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [("missing", "does not exist"), ("text", "not a GGUF model"), ("truncated", "truncated")],
)
def test_bad_model_file_is_explained_and_chats_stay(
    make_window, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, phrase: str
) -> None:
    starter = starter_model_path()
    assert starter is not None
    bad = tmp_path / "chosen.gguf"
    if kind == "text":
        bad.write_text("my shopping list, renamed\n")
    elif kind == "truncated":
        bad.write_bytes(starter.read_bytes()[: starter.stat().st_size // 2])
    monkeypatch.setenv("ASSISTANT_MODEL", str(bad))
    window = make_window(core=Core.open(engine=LocalEngine()))
    send(qtbot, window, "hello there", timeout=60_000)
    assert window.error_bar.isVisible()
    assert phrase in window.error_bar.label.text()
    assert [m.content for m in window.core.chats.messages(window.chat.current_id)] == ["hello there"]
    # The app keeps running: with the starter model chosen again, the next message is answered.
    monkeypatch.setenv("ASSISTANT_MODEL", str(starter))
    window.core.settings.max_reply_tokens = 8
    window.core.settings.temperature = 0.0
    send(qtbot, window, "and now?", timeout=60_000)
    roles = [role for role, _content, _status in shown(window)]
    assert roles[-1] == "assistant" and shown(window)[-1][2] == "complete"
