"""The main window driven like a user would, on the scripted engine (offscreen Qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from assistant.engine.fake import ScriptedEngine
from assistant.store.db import StorageError
from tests.support.gui_helpers import close, send, shown, wait_idle

# Fixtures live in gui_helpers (conftest.py belongs to the core); bind them here for pytest.

pytestmark = pytest.mark.gui

LONG_REPLY = " ".join(f"word{i}" for i in range(300))


def test_send_streams_and_stores_the_reply(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["Hello **there**, human."], token_delay=0.01))
    send(qtbot, window, "Hi!")
    assert shown(window) == [
        ("user", "Hi!", "complete"),
        ("assistant", "Hello **there**, human.", "complete"),
    ]
    assert "<strong>there</strong>" in window.chat_view.widgets[1].body.text()
    stored = window.core.chats.messages(window.chat.current_id)
    assert [(m.role, m.content, m.status) for m in stored] == shown(window)
    assert window.composer.text() == ""
    assert window.sidebar.titles() == ["Hi!"]


def test_enter_sends_and_shift_enter_adds_a_line(make_window, qtbot) -> None:
    window = make_window()
    editor = window.composer.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "line one")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "line two")
    assert window.composer.text() == "line one\nline two"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert shown(window)[0] == ("user", "line one\nline two", "complete")


def test_empty_message_does_nothing(make_window, qtbot) -> None:
    window = make_window()
    window.composer.set_text("   \n ")
    assert not window.composer.button.isEnabled()
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return)
    assert window.chat.worker is None
    assert shown(window) == []


def test_stop_mid_stream_marks_the_reply_stopped(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine([LONG_REPLY], token_delay=0.01))
    window.composer.set_text("Tell me a long story")
    window.composer.button.click()
    assert window.composer.button.text() == "Stop"
    qtbot.waitUntil(lambda: len(window.chat_view.widgets) == 2 and bool(window.chat_view.widgets[1].content))
    window.composer.button.click()  # now it is Stop
    wait_idle(qtbot, window)
    _role, content, status = shown(window)[1]
    assert status == "stopped"
    assert 0 < len(content) < len(LONG_REPLY)
    assert "Stopped" in window.chat_view.widgets[1].footer.text()
    assert window.core.chats.messages(window.chat.current_id)[1].status == "stopped"
    assert window.composer.button.text() == "Send"


def test_regenerate_replaces_the_last_reply(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["First answer.", "Second answer."], token_delay=0.0))
    send(qtbot, window, "Question")
    assert shown(window)[1][1] == "First answer."
    window.chat_view.regenerateRequested.emit()
    wait_idle(qtbot, window)
    assert [m[1] for m in shown(window)] == ["Question", "Second answer."]
    assert [m.content for m in window.core.chats.messages(window.chat.current_id)] == [
        "Question",
        "Second answer.",
    ]


def test_switching_conversations_shows_the_right_history(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["Reply A", "Reply B"], token_delay=0.0))
    send(qtbot, window, "Chat A")
    first = window.chat.current_id
    window.chat.new_chat()
    assert shown(window) == []
    send(qtbot, window, "Chat B")
    second = window.chat.current_id
    assert first != second
    assert window.sidebar.titles() == ["Chat B", "Chat A"]  # latest activity first
    window.sidebar.list.setCurrentItem(window.sidebar.item_for(first))
    assert [m[1] for m in shown(window)] == ["Chat A", "Reply A"]
    window.sidebar.list.setCurrentItem(window.sidebar.item_for(second))
    assert [m[1] for m in shown(window)] == ["Chat B", "Reply B"]


def test_history_survives_a_restart(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["Remembered."], token_delay=0.0))
    send(qtbot, window, "Keep this")
    close(window, window.core)
    again = make_window(ScriptedEngine(["x"]))
    assert [m[1] for m in shown(again)] == ["Keep this", "Remembered."]
    assert again.sidebar.titles() == ["Keep this"]


def test_delete_and_undo(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["ok"], token_delay=0.0))
    send(qtbot, window, "To be deleted")
    conversation_id = window.chat.current_id
    window.sidebar.delete_current()
    assert window.sidebar.titles() == []
    assert window.chat.current_id is None
    assert window.sidebar.undo_bar.isVisible()
    window.sidebar.undo_bar.action.click()
    assert window.sidebar.titles() == ["To be deleted"]
    assert window.chat.current_id == conversation_id
    assert [m[1] for m in shown(window)] == ["To be deleted", "ok"]


def test_rename_in_place(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["ok"], token_delay=0.0))
    send(qtbot, window, "Old title")
    item = window.sidebar.item_for(window.chat.current_id)
    item.setText("Trip to 北京")  # what the inline editor does when the user presses Enter
    assert window.sidebar.titles() == ["Trip to 北京"]
    assert window.core.chats.conversation(window.chat.current_id).title == "Trip to 北京"


def test_filter_by_title(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["ok"], token_delay=0.0))
    for title in ("Apple pie", "Banana bread", "apple juice"):
        window.chat.new_chat()
        send(qtbot, window, title)
    window.sidebar.filter_box.setText("apple")
    assert sorted(window.sidebar.titles()) == ["Apple pie", "apple juice"]
    window.sidebar.filter_box.clear()
    assert len(window.sidebar.titles()) == 3


def test_edit_and_resend_continues_from_the_edit(make_window, qtbot) -> None:
    engine = ScriptedEngine(["One.", "Two.", "Edited reply."], token_delay=0.0)
    window = make_window(engine)
    send(qtbot, window, "first")
    send(qtbot, window, "second")
    first_user = window.chat_view.widgets[0]
    window.chat_view.editRequested.emit(first_user.message_id, first_user.content)
    assert window.composer.editing_id == first_user.message_id
    assert window.composer.edit_banner.isVisible()
    assert window.composer.text() == "first"
    window.composer.set_text("first, edited")
    window.composer.button.click()
    wait_idle(qtbot, window)
    assert [m[1] for m in shown(window)] == ["first, edited", "Edited reply."]
    sent = [m["content"] for m in engine.requests[-1].messages if m["role"] != "system"]
    assert sent == ["first, edited"]
    assert not window.composer.edit_banner.isVisible()


def test_storage_failure_keeps_the_draft(make_window, qtbot, monkeypatch) -> None:
    window = make_window()
    send(qtbot, window, "saved fine")

    def disk_full(*args, **kwargs):
        raise StorageError("The disk is full, so nothing new could be saved.")

    monkeypatch.setattr(window.core.chats, "add_message", disk_full)
    send(qtbot, window, "my precious draft")
    assert window.composer.text() == "my precious draft"
    assert window.error_bar.isVisible()
    assert "disk is full" in window.error_bar.label.text()
    assert len(shown(window)) == 2


def test_too_long_message_is_rejected_and_kept(make_window, qtbot) -> None:
    window = make_window()
    text = "x" * 100_000
    send(qtbot, window, text)
    assert window.composer.text() == text
    assert window.error_bar.isVisible()
    assert "limit" in window.error_bar.label.text()
    assert shown(window) == []


def test_chinese_message_and_title(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["你好！我可以帮你 **计划** 周末。"], token_delay=0.0))
    send(qtbot, window, "帮我计划一下周末")
    assert window.sidebar.titles() == ["帮我计划一下周末"]
    assert shown(window)[0][1] == "帮我计划一下周末"
    assert "<strong>计划</strong>" in window.chat_view.widgets[1].body.text()


def test_crash_keeps_partial_reply_and_next_message_works(make_window, qtbot) -> None:
    engine = ScriptedEngine(["one two three four five six", "Back again."], fail_after_tokens=3)
    window = make_window(engine)
    send(qtbot, window, "Crash please")
    _role, content, status = shown(window)[1]
    assert (content, status) == ("one two three", "interrupted")
    assert "Interrupted" in window.chat_view.widgets[1].footer.text()
    assert window.error_bar.isVisible()
    assert window.core.chats.messages(window.chat.current_id)[1].status == "interrupted"
    engine.fail_after_tokens = None
    send(qtbot, window, "Again")
    assert shown(window)[-1] == ("assistant", "Back again.", "complete")
    assert not window.error_bar.isVisible()


def test_model_output_cannot_inject_html(make_window, qtbot) -> None:
    reply = '<img src="x" onerror="boom"> <b>bold?</b>'
    window = make_window(ScriptedEngine([reply], token_delay=0.0))
    send(qtbot, window, "hi")
    body = window.chat_view.widgets[1].body.text()
    assert "<img" not in body and "<b>" not in body
    assert "&lt;b&gt;" in body


def test_copy_link_copies_raw_code(make_window, qtbot) -> None:
    reply = "Code:\n\n```python\nprint('hi')\n```"
    window = make_window(ScriptedEngine([reply], token_delay=0.0))
    send(qtbot, window, "code please")
    widget = window.chat_view.widgets[1]
    assert 'href="copy:0"' in widget.body.text()
    widget.body.linkActivated.emit("copy:0")
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "print('hi')"
