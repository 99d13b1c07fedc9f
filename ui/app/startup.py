"""Opening the profile, with every start-up fault turned into a question or a clear message.

The decisions are injectable (``decide_damaged``, ``inform``) so tests never block on a modal
dialog: they pass a function that returns the choice a user would click.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from assistant.core import Core
from assistant.engine.base import Engine
from assistant.store.db import DatabaseDamaged, MigrationFailed, StorageError, recover

#: lupdate reads translate("Context", "text") calls by name, so this alias is still extracted.
translate = QCoreApplication.translate

RESTORE, FRESH, QUIT = "restore", "fresh", "quit"
#: (exception) -> RESTORE | FRESH | QUIT
DamagedDecision = Callable[[DatabaseDamaged], str]
#: (level "info" | "error", text) -> None
Inform = Callable[[str, str], None]


def backup_date(exc: DatabaseDamaged) -> str:
    if not exc.backups:
        return ""
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(exc.backups[0].stat().st_mtime))
    except OSError:
        return ""


def damaged_dialog(exc: DatabaseDamaged, parent: QWidget | None = None) -> QMessageBox:
    """Built apart from :func:`ask_damaged` so screenshots and tests can look at it unexecuted."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("Startup", "Offline Assistant — database damaged"))
    box.setText(translate("Startup", "Your chat database could not be opened because it is damaged."))
    info = (
        translate(
            "Startup",
            "Problem: %1\nFile: %2\n\nWhatever you choose, the damaged file is kept (renamed), "
            "never deleted.",
        )
        .replace("%1", exc.problem)
        .replace("%2", str(exc.path))
    )
    box.setInformativeText(info)
    date = backup_date(exc)
    if date:
        restore = box.addButton(
            translate("Startup", "Restore latest backup (from %1)").replace("%1", date),
            QMessageBox.ButtonRole.AcceptRole,
        )
        restore.setProperty("choice", RESTORE)
        box.setDefaultButton(restore)
    fresh = box.addButton(
        translate("Startup", "Start fresh (keep the damaged file)"), QMessageBox.ButtonRole.DestructiveRole
    )
    fresh.setProperty("choice", FRESH)
    quit_button = box.addButton(translate("Startup", "Quit"), QMessageBox.ButtonRole.RejectRole)
    quit_button.setProperty("choice", QUIT)
    box.setEscapeButton(quit_button)
    return box


def ask_damaged(exc: DatabaseDamaged) -> str:
    box = damaged_dialog(exc)
    box.exec()
    clicked = box.clickedButton()
    return str(clicked.property("choice")) if clicked is not None else QUIT


def show_message(level: str, text: str) -> None:
    title = translate("Startup", "Offline Assistant")
    if level == "error":
        QMessageBox.critical(None, title, text)
    else:
        QMessageBox.information(None, title, text)


def open_core(
    engine: Engine | None = None,
    decide_damaged: DamagedDecision = ask_damaged,
    inform: Inform = show_message,
    opener: Callable[..., Core] = Core.open,
) -> tuple[Core | None, int]:
    """(core, 0) when the app can start, else (None, exit code) after telling the user why."""
    for _attempt in range(3):  # a restored backup could itself be damaged: ask again, not forever
        try:
            return opener(engine=engine), 0
        except DatabaseDamaged as exc:
            choice = decide_damaged(exc)
            if choice not in (RESTORE, FRESH):
                return None, 0  # the user chose to quit: not an error
            try:
                inform("info", recover(exc.path, choice))
            except OSError as err:
                inform(
                    "error",
                    translate("Startup", "Could not set the damaged database aside: %1").replace(
                        "%1", str(err)
                    ),
                )
                return None, 1
        except MigrationFailed as exc:
            inform(
                "error",
                translate(
                    "Startup", "The app was upgraded but its database could not be updated.\n\n%1"
                ).replace("%1", str(exc)),
            )
            return None, 1
        except StorageError as exc:
            inform(
                "error", translate("Startup", "Offline Assistant cannot start: %1").replace("%1", str(exc))
            )
            return None, 1
    inform(
        "error", translate("Startup", "The database is still damaged after recovery; the app cannot start.")
    )
    return None, 1
