"""Living in the system tray, and what closing the window means when there is no tray.

With a tray, closing the window hides it (reminders keep firing) and Quit is in the tray menu;
the first time, a notice says so. Without one (common on Linux desktops without an
AppIndicator extension) closing asks whether to quit or minimise, optionally remembered.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QCheckBox, QMenu, QMessageBox, QSystemTrayIcon, QWidget

from assistant.config import resources_dir
from ui.app.ui_state import CLOSE_ACTION, TRAY_NOTICE_SHOWN, ui_settings

translate = QCoreApplication.translate

QUIT, MINIMIZE, CANCEL = "quit", "minimize", "cancel"
#: (parent) -> (QUIT | MINIMIZE | CANCEL, remember the answer)
AskClose = Callable[[QWidget], tuple[str, bool]]


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        path = resources_dir() / "icons" / f"offline-assistant-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon


def ask_close(parent: QWidget) -> tuple[str, bool]:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("Tray", "Quit Offline Assistant?"))
    box.setText(translate("Tray", "Quit Offline Assistant?"))
    box.setInformativeText(
        translate(
            "Tray",
            "This desktop has no system tray, so the app cannot keep running in the "
            "background. Reminders only appear while it runs; minimise it to keep them.",
        )
    )
    quit_button = box.addButton(translate("Tray", "Quit"), QMessageBox.ButtonRole.AcceptRole)
    minimize = box.addButton(translate("Tray", "Minimize"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    remember = QCheckBox(translate("Tray", "Remember my choice"))
    box.setCheckBox(remember)
    box.setDefaultButton(quit_button)
    box.exec()
    clicked = box.clickedButton()
    choice = QUIT if clicked is quit_button else MINIMIZE if clicked is minimize else CANCEL
    return choice, remember.isChecked() and choice != CANCEL


class TrayController(QObject):
    """Owns the tray icon (when there is a tray) and decides what a window close does."""

    showRequested = Signal()
    newChatRequested = Signal()
    quitRequested = Signal()

    def __init__(
        self,
        parent: QWidget,
        available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        ask: AskClose = ask_close,
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self._available = available
        self.ask = ask
        self.icon: QSystemTrayIcon | None = None

    def available(self) -> bool:
        return bool(self._available())

    def install(self) -> None:
        """Create the tray icon if the desktop has a tray (checked again on every call)."""
        if self.icon is not None or not self.available():
            return
        icon = QSystemTrayIcon(app_icon(), self)
        icon.setToolTip(self.tr("Offline Assistant"))
        menu = QMenu(self._window)
        menu.addAction(self.tr("Show"), self.showRequested.emit)
        menu.addAction(self.tr("New chat"), self.newChatRequested.emit)
        menu.addSeparator()
        menu.addAction(self.tr("Quit"), self.quitRequested.emit)
        icon.setContextMenu(menu)
        icon.activated.connect(self._on_activated)
        icon.show()
        self.icon = icon

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.showRequested.emit()

    def close_action(self) -> str:
        """What a click on the window's close button should do: hide, quit, minimize or cancel."""
        if self.available():
            self.install()
            return "hide"
        remembered = str(ui_settings().value(CLOSE_ACTION, "") or "")
        if remembered in (QUIT, MINIMIZE):
            return remembered
        choice, remember = self.ask(self._window)
        if remember:
            ui_settings().setValue(CLOSE_ACTION, choice)
        return choice

    def notice_once(self) -> None:
        """The first close-to-tray explains where the window went."""
        state = ui_settings()
        if state.value(TRAY_NOTICE_SHOWN, False, type=bool) or self.icon is None:
            return
        state.setValue(TRAY_NOTICE_SHOWN, True)
        self.icon.showMessage(
            self.tr("Offline Assistant is still running"),
            self.tr("It keeps running in the tray so reminders can fire. Use Quit in the tray menu to exit."),
            QSystemTrayIcon.MessageIcon.Information,
            8000,
        )

    def hide_icon(self) -> None:
        if self.icon is not None:
            self.icon.hide()
