"""GUI entry point: show the window first, then fill it.

Start-up order matters for the "window within 1.5 s" target: a second start hands over to the
running instance and exits (ms), the database opens (ms; a damaged one is asked about first),
the window is shown, and only then are the conversation list and last chat loaded and the
model warmed in a worker.

Flags (``assistant --minimized`` passes ``["--minimized"]``):
  --minimized  start hidden in the tray (shown anyway when the desktop has no tray)
  --new-chat   open a new chat, in the running instance if there is one
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from assistant.config import resources_dir
from assistant.core import Core
from assistant.engine.base import Engine
from ui.app.application import AssistantApp
from ui.app.i18n import install_translators
from ui.app.qt_messages import install_qt_message_filter
from ui.app.single_instance import NEW_CHAT, SHOW, InstanceServer, send_to_running
from ui.app.startup import open_core
from ui.app.theme import apply_theme, follow_system
from ui.app.tray import app_icon
from ui.shell.window import MainWindow

FLAGS = ("--minimized", "--new-chat")


def style_path() -> Path:
    return resources_dir() / "styles" / "app.qss"


APP_ID = "offline-assistant"  # the .desktop file's name, its Icon= and its StartupWMClass=


def make_app(argv: list[str]) -> QApplication:
    install_qt_message_filter()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        # X11 WM_CLASS is (instance, class) = ($RESOURCE_NAME or the program's name,
        # applicationName): the instance becomes "offline-assistant" like the desktop file, so
        # docks match the window to its launcher (StartupWMClass); Wayland uses the
        # desktop file name below as the app id.
        os.environ.setdefault("RESOURCE_NAME", APP_ID)
        app = AssistantApp(argv)  # it tells the window when it is asked to quit
    app.setApplicationName("Offline Assistant")
    app.setOrganizationName(APP_ID)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    # The window may be hidden in the tray: only Quit ends the app, not the last window closing.
    app.setQuitOnLastWindowClosed(False)
    return app


def apply_style(app: QApplication) -> None:
    """The stylesheet only uses palette() colours, so a dark system theme stays readable."""
    apply_theme(app)
    follow_system(app)
    try:
        app.setStyleSheet(style_path().read_text(encoding="utf-8"))
    except OSError:
        pass  # cosmetic only: run unstyled rather than fail


def build_window(core: Core) -> MainWindow:
    return MainWindow(core)


def split_flags(argv: list[str]) -> tuple[set[str], list[str]]:
    """Our flags, and what is left for Qt (program name first, as QApplication expects)."""
    flags = {arg for arg in argv if arg in FLAGS}
    rest = [arg for arg in argv if arg not in FLAGS]
    if not rest or rest[0].startswith("-"):
        rest.insert(0, sys.argv[0] if sys.argv else "assistant")
    return flags, rest


def main(argv: list[str] | None = None, engine: Engine | None = None) -> int:
    flags, qt_args = split_flags(list(sys.argv if argv is None else argv))
    app = make_app(qt_args)
    if send_to_running(NEW_CHAT if "--new-chat" in flags else SHOW):
        return 0  # the running instance raised its window; nothing more to do here
    server = InstanceServer()
    server.listen()
    core, code = open_core(engine)
    if core is None:
        server.close()
        return code
    translators = install_translators(app, core.settings.language)  # kept alive below
    apply_style(app)
    window = build_window(core)
    server.messageReceived.connect(window.desktop.handle_instance_message)
    if "--minimized" in flags and window.desktop.tray.available():
        window.desktop.tray.install()
    else:
        window.show()
    QTimer.singleShot(0, window.load_initial)
    if "--new-chat" in flags:
        QTimer.singleShot(0, window.chat.new_chat)
    try:
        return app.exec()
    finally:
        server.close()
        del translators
        core.close()
