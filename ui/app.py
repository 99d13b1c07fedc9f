"""GUI entry point: show the window first, then fill it.

Start-up order matters for the "window within 1.5 s" target: the database opens (ms), the
window is shown, and only then are the conversation list and last chat loaded. The model is
never loaded here; it loads in a worker on the first message.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from assistant.core import Core
from assistant.engine.base import Engine
from assistant.store.db import StorageError
from ui.i18n import install_translators
from ui.main_window import MainWindow

STYLE_PATH = Path(__file__).resolve().parent.parent / "resources" / "styles" / "app.qss"


def make_app(argv: list[str]) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv)
    app.setApplicationName("Offline Assistant")
    app.setOrganizationName("offline-assistant")
    app.setDesktopFileName("offline-assistant")
    return app


def apply_style(app: QApplication) -> None:
    """The stylesheet only uses palette() colours, so a dark system theme stays readable."""
    try:
        app.setStyleSheet(STYLE_PATH.read_text(encoding="utf-8"))
    except OSError:
        pass  # cosmetic only: run unstyled rather than fail


def build_window(core: Core) -> MainWindow:
    return MainWindow(core)


def main(argv: list[str] | None = None, engine: Engine | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    app = make_app(argv)
    try:
        core = Core.open(engine=engine)
    except StorageError as exc:
        QMessageBox.critical(None, "Offline Assistant", str(exc))
        return 1
    translators = install_translators(app, core.settings.language)  # kept alive below
    apply_style(app)
    window = build_window(core)
    window.show()
    QTimer.singleShot(0, window.load_initial)
    try:
        return app.exec()
    finally:
        del translators
        core.close()

