"""Keyboard-only moves around the chat (Ctrl+F, Ctrl+L, Ctrl+Tab, Ctrl+Shift+C)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from ui.chat.composer import Composer
from ui.chat.sidebar import Sidebar
from ui.chat.view import ChatView


def focus_filter(sidebar: Sidebar) -> None:
    sidebar.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
    sidebar.filter_box.selectAll()


def focus_composer(composer: Composer) -> None:
    composer.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)


def copy_last_reply(view: ChatView) -> bool:
    """The last reply onto the clipboard; False when there is none."""
    reply = next((w for w in reversed(view.widgets) if w.role == "assistant"), None)
    if reply is None:
        return False
    QGuiApplication.clipboard().setText(reply.content)
    return True


def step_chat(sidebar: Sidebar, step: int) -> None:
    """Ctrl+Tab / Ctrl+Shift+Tab: the next or previous chat in the list, wrapping."""
    count = sidebar.list.count()
    if not count:
        return
    row = sidebar.list.currentRow()
    row = (0 if step > 0 else count - 1) if row < 0 else (row + step) % count
    sidebar.list.setCurrentRow(row)
