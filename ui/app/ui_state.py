"""Pure-UI state (window geometry, splitter, "don't ask again" answers) in a QSettings file.

It lives in the profile's data folder rather than Qt's default location, so it follows
``ASSISTANT_HOME`` like everything else (tests and portable installs stay self-contained).
Nothing here matters to the core, which is why it is not in the database's settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from assistant.config import user_dir

GEOMETRY = "window/geometry"
SPLITTER = "window/splitter"
TRAY_NOTICE_SHOWN = "tray/noticeShown"
#: "" (ask), "quit" or "minimize": what closing the window does when there is no tray.
CLOSE_ACTION = "window/closeWithoutTray"


def ui_settings() -> QSettings:
    return QSettings(str(user_dir() / "ui-state.ini"), QSettings.Format.IniFormat)
