"""What makes the window a desktop citizen, composed into it: the tray and the close policy,
quitting (from the menu, the tray or the session), requests from a second start, remembered
geometry and files dropped on the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QSystemTrayIcon

from ui.app.application import AssistantApp
from ui.app.single_instance import NEW_CHAT
from ui.app.tray import MINIMIZE, QUIT, AskClose, TrayController
from ui.app.tray import ask_close as ask_close_dialog
from ui.app.ui_state import GEOMETRY, SPLITTER, ui_settings
from ui.models.model_files import local_files


@dataclass(frozen=True)
class DesktopHooks:
    """What desktop events ask of the rest of the window."""

    shutdown: Callable[[], None]  # the window really closes: stop every worker
    new_chat: Callable[[], None]  # "New chat" from the tray or a second start
    model_files: Callable[[list[Path]], None]  # model files dropped on the window


class DesktopBehaviour(QObject):
    def __init__(
        self,
        window: QMainWindow,
        splitter: QSplitter,
        hooks: DesktopHooks,
        tray_available: Callable[[], bool] | None,
        ask_close: AskClose | None,
    ) -> None:
        """``tray_available`` and ``ask_close`` are injectable so tests decide them."""
        super().__init__(window)
        self.window = window
        self.splitter = splitter
        self.hooks = hooks
        self.tray = TrayController(window, tray_available or QSystemTrayIcon.isSystemTrayAvailable,
                                   ask_close or ask_close_dialog)
        self.tray.showRequested.connect(self.show_and_raise)
        self.tray.newChatRequested.connect(lambda: self.handle_instance_message(NEW_CHAT))
        self.tray.quitRequested.connect(self.quit_app)
        self.tray.install()
        self.quitting = False
        #: Ends the event loop after Quit; tests replace it (there is no loop to end).
        self.quit_hook: Callable[[], None] = QApplication.quit
        # QApplication.quit() from anywhere (session logout, macOS Cmd+Q, the bench) first asks
        # every window to close; those closes must quit, not hide in the tray or ask.
        app = QApplication.instance()
        if isinstance(app, AssistantApp):  # an application made elsewhere (tests) has no signal
            app.quitRequested.connect(self.application_quitting)
        self.restore_geometry()

    def application_quitting(self) -> None:
        """The application was asked to quit: the closes that follow really close."""
        self.quitting = True

    # single instance and tray ----------------------------------------------------------------
    def handle_instance_message(self, message: str) -> None:
        """Another start of the app asked us to show up (and maybe open a new chat). A reply
        being generated keeps going: a new chat only changes what the view shows."""
        self.show_and_raise()
        if message == NEW_CHAT:
            self.hooks.new_chat()

    def show_and_raise(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    # closing ---------------------------------------------------------------------------------
    def close_event(self, event: QCloseEvent) -> None:
        """The window's closeEvent: hide in the tray, minimise, ask, or really close."""
        self.save_geometry()
        if not self.quitting:
            action = self.tray.close_action()
            if action == "hide":
                event.ignore()
                self.window.hide()
                self.tray.notice_once()
                return
            if action == MINIMIZE:
                event.ignore()
                self.window.showMinimized()
                return
            if action != QUIT:
                event.ignore()
                return
            self.quitting = True
            self._finish_close(event)
            self.quit_hook()  # the user chose Quit in the "no tray" question
            return
        self._finish_close(event)

    def _finish_close(self, event: QCloseEvent) -> None:
        self.hooks.shutdown()
        self.tray.hide_icon()
        event.accept()

    def quit_app(self) -> None:
        """Ctrl+Q and the tray's Quit: close for real and end the app."""
        self.quitting = True
        self.window.close()
        self.quit_hook()

    # geometry --------------------------------------------------------------------------------
    def save_geometry(self) -> None:
        state = ui_settings()
        state.setValue(GEOMETRY, self.window.saveGeometry())
        state.setValue(SPLITTER, self.splitter.saveState())
        state.sync()

    def restore_geometry(self) -> None:
        state = ui_settings()
        geometry, splitter = state.value(GEOMETRY), state.value(SPLITTER)
        if isinstance(geometry, QByteArray | bytes):
            self.window.restoreGeometry(QByteArray(geometry))
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(splitter))

    # dropping model files --------------------------------------------------------------------
    def drag_enter(self, event: QDragEnterEvent) -> None:
        if local_files(event):
            event.acceptProposedAction()

    def drop(self, event: QDropEvent) -> None:
        paths = local_files(event)
        if paths:
            event.acceptProposedAction()
            self.hooks.model_files(paths)
