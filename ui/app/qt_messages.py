"""Qt's own messages that say nothing to a user, kept off the terminal.

Qt prints some warnings from its platform plugins on every start that are about the plugin,
not the app (the offscreen plugin used by ``assistant --self-test`` says "This plugin does not
support propagateSizeHints()" for each window). Those are dropped; every other message goes
to the handler that was installed before (Qt's default: stderr), unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

# Exact texts (Qt 6) of platform-plugin messages with no meaning for the user.
IGNORED = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
)

_previous: Callable[..., Any] | None = None
_installed = False


def _handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg, QtMsgType.QtWarningMsg) and message in IGNORED:
        return
    if _previous is not None:
        _previous(kind, context, message)
    else:  # no earlier handler: what Qt's default handler prints
        import sys

        print(message, file=sys.stderr)


def install_qt_message_filter() -> None:
    """Idempotent; call before the QApplication is created (plugin messages come early)."""
    global _previous, _installed
    if _installed:
        return
    _installed = True
    _previous = qInstallMessageHandler(_handler)
