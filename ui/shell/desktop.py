"""The main window's desktop behaviour, kept apart from the chat flow in ``main_window``.

Tray and close policy, single-instance requests, remembered geometry, dropped model files,
keyboard-only navigation and the dialogs (Models, Settings, shortcuts, About, diagnostics).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMainWindow, QSplitter, QSystemTrayIcon

from assistant.core import Core
from assistant.desktop import autostart
from assistant.events import ModelLoaded
from assistant.models.catalog import load_catalog
from assistant.models.download import download_entry
from assistant.store.db import StorageError
from ui.app.single_instance import NEW_CHAT
from ui.app.tray import MINIMIZE, QUIT, AskClose, TrayController
from ui.app.tray import ask_close as ask_close_dialog
from ui.app.ui_state import GEOMETRY, SPLITTER, ui_settings
from ui.bridge.api_server import ERROR, RUNNING, ApiController
from ui.bridge.workers import StreamWorker
from ui.chat.composer import Composer
from ui.chat.sidebar import Sidebar
from ui.chat.transfer import TransferController
from ui.chat_view import ChatView
from ui.models.models_dialog import ModelsDialog, local_files
from ui.settings.local_api_page import LocalApiPage
from ui.settings.settings_dialog import SettingsDialog
from ui.shell.commands import ShortcutsDialog, about_box, copy_diagnostics, shortcut_rows
from ui.widgets.banner import Banner

#: How long quitting waits for a preload (a model load cannot be interrupted) before closing.
PRELOAD_WAIT_MS = 15_000


class _QuitWatcher(QObject):
    """Marks the window as quitting when the application is asked to quit."""

    def __init__(self, owner: DesktopMixin, parent: QObject) -> None:
        super().__init__(parent)
        self._owner = owner

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Quit and watched is QApplication.instance():
            self._owner._quitting = True
        return False


class DesktopMixin:
    """Mixed into MainWindow (a QMainWindow); relies on the attributes declared below."""

    core: Core
    sidebar: Sidebar
    chat_view: ChatView
    composer: Composer
    notice: Banner
    error_bar: Banner
    splitter: QSplitter
    state_label: QLabel
    worker: StreamWorker | None
    preload_worker: StreamWorker | None
    last_loaded: ModelLoaded | None
    transfer: TransferController
    local_api: ApiController
    current_id: int | None
    tr: Callable[[str], str]  # QObject.tr; annotated only, so the real method is used

    def init_desktop(self, tray_available: Callable[[], bool] | None, ask_close: AskClose | None) -> None:
        window = self._window()
        self.tray = TrayController(window, tray_available or QSystemTrayIcon.isSystemTrayAvailable,
                                   ask_close or ask_close_dialog)
        self.tray.showRequested.connect(self.show_and_raise)
        self.tray.newChatRequested.connect(lambda: self.handle_instance_message(NEW_CHAT))
        self.tray.quitRequested.connect(self.quit_app)
        self.tray.install()
        self._quitting = False
        #: Ends the event loop after Quit; tests replace it (there is no loop to end).
        self.quit_hook: Callable[[], None] = QApplication.quit
        # QApplication.quit() from anywhere (session logout, macOS Cmd+Q, the bench) first asks
        # every window to close; those closes must quit, not hide in the tray or ask.
        self._quit_watcher = _QuitWatcher(self, window)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._quit_watcher)
        #: Injectable so tests serve the catalog from 127.0.0.1 over plain http.
        self.catalog_source = load_catalog
        self.downloader = download_entry
        self.models_dialog: ModelsDialog | None = None
        self.restore_geometry()

    def _window(self) -> QMainWindow:
        assert isinstance(self, QMainWindow)
        return self

    # single instance and tray ----------------------------------------------------------------
    def handle_instance_message(self, message: str) -> None:
        """Another start of the app asked us to show up (and maybe open a new chat). A reply
        being generated keeps going: new_chat only changes what the view shows."""
        self.show_and_raise()
        if message == NEW_CHAT:
            self.new_chat()  # type: ignore[attr-defined]

    def show_and_raise(self) -> None:
        window = self._window()
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    # closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        window = self._window()
        self.save_geometry()
        if not self._quitting:
            action = self.tray.close_action()
            if action == "hide":
                event.ignore()
                window.hide()
                self.tray.notice_once()
                return
            if action == MINIMIZE:
                event.ignore()
                window.showMinimized()
                return
            if action != QUIT:
                event.ignore()
                return
            self._quitting = True
            self._finish_close(event)
            self.quit_hook()  # the user chose Quit in the "no tray" question
            return
        self._finish_close(event)

    def _finish_close(self, event: QCloseEvent) -> None:
        self._shutdown_workers()
        self.tray.hide_icon()
        event.accept()
        QMainWindow.closeEvent(self._window(), event)

    def quit_app(self) -> None:
        """Ctrl+Q and the tray's Quit: close for real and end the app."""
        self._quitting = True
        self._window().close()
        self.quit_hook()

    def _shutdown_workers(self) -> None:
        self.shutdown_assist()  # type: ignore[attr-defined]  # reminder timer, indexing jobs
        if self.models_dialog is not None:
            self.models_dialog.catalog.shutdown()  # downloads pause; their .part files resume later
            self.models_dialog.search_model.shutdown()  # the same for an embedding model
            self.models_dialog.close()
        self.transfer.shutdown()  # a running import is cancelled: nothing is written
        self.local_api.shutdown()  # streams to other programs are cancelled, the port freed
        worker = self.worker
        if worker is not None:
            worker.cancel()  # the engine stops within a token; the reply is saved as stopped
            worker.wait(5000)
        if self.preload_worker is not None:
            self.preload_worker.wait(PRELOAD_WAIT_MS)

    # geometry ------------------------------------------------------------------------------
    def save_geometry(self) -> None:
        state = ui_settings()
        state.setValue(GEOMETRY, self._window().saveGeometry())
        state.setValue(SPLITTER, self.splitter.saveState())
        state.sync()

    def restore_geometry(self) -> None:
        state = ui_settings()
        geometry, splitter = state.value(GEOMETRY), state.value(SPLITTER)
        if isinstance(geometry, QByteArray | bytes):
            self._window().restoreGeometry(QByteArray(geometry))
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(splitter))

    # dropping model files --------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event)
        if not paths:
            return
        event.acceptProposedAction()
        self.add_model_files(paths)

    def add_model_files(self, paths: list[Path]) -> None:
        added: list[str] = []
        errors: list[str] = []
        for path in paths:
            try:
                added.append(self.core.models.add(path).name)
            except (ValueError, StorageError) as exc:  # ModelLibraryError is a ValueError
                errors.append(str(exc))
        if errors:
            self.error_bar.show_message("\n".join(errors))
        if added:
            self.notice.show_message(
                self.tr("Added %1. Open Models (Ctrl+Shift+M) to use it.").replace("%1", ", ".join(added)),
                timeout_ms=15_000,
            )
            if self.models_dialog is not None:
                self.models_dialog.installed.refresh()

    def add_model_file(self) -> None:
        window = self._window()
        path, _ = QFileDialog.getOpenFileName(
            window, self.tr("Add a model"), str(Path.home()), self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.add_model_files([Path(path)])

    # keyboard navigation ---------------------------------------------------------------------
    def focus_filter(self) -> None:
        self.sidebar.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.sidebar.filter_box.selectAll()

    def focus_composer(self) -> None:
        self.composer.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def copy_last_reply(self) -> None:
        reply = next((w for w in reversed(self.chat_view.widgets) if w.role == "assistant"), None)
        if reply is not None:
            QGuiApplication.clipboard().setText(reply.content)
            self._window().statusBar().showMessage(self.tr("Copied to the clipboard"), 2000)

    def step_chat(self, step: int) -> None:
        """Ctrl+Tab / Ctrl+Shift+Tab: the next or previous chat in the list, wrapping."""
        count = self.sidebar.list.count()
        if not count:
            return
        row = self.sidebar.list.currentRow()
        row = (0 if step > 0 else count - 1) if row < 0 else (row + step) % count
        self.sidebar.list.setCurrentRow(row)

    # dialogs -------------------------------------------------------------------------------
    def open_models(self, tab: str = "installed", model_id: str = "") -> ModelsDialog:
        """``model_id``: a catalog entry to bring into view (the Catalog tab)."""
        if self.models_dialog is None:
            dialog = ModelsDialog(
                self.core, self.engine_info, self.catalog_source, self.downloader, self._window()  # type: ignore[attr-defined]
            )
            dialog.modelChosen.connect(self._on_model_chosen)
            self.models_dialog = dialog
        dialog = self.models_dialog
        pages = {"installed": dialog.installed, "catalog": dialog.catalog, "remote": dialog.connections}
        dialog.tabs.setCurrentWidget(pages.get(tab, dialog.installed))
        dialog.installed.refresh()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if model_id:
            dialog.catalog.highlight(model_id)
        return dialog

    def _on_model_chosen(self) -> None:
        self.last_loaded = None  # the next load decides the backend and layers again
        self._show_model_name()  # type: ignore[attr-defined]
        self.preload()  # type: ignore[attr-defined]

    def settings_dialog(self) -> SettingsDialog:
        conversation = self.core.chats.conversation(self.current_id) if self.current_id else None
        enabled: bool | None
        try:
            enabled = autostart.is_enabled()
        except Exception:  # no registry / odd platform: hide the option rather than fail
            enabled = None
        return SettingsDialog(
            self.core.settings,
            conversation.system_prompt if conversation else None,
            conversation is not None,
            self._window(),
            engine_info=self.engine_info(),  # type: ignore[attr-defined]
            autostart=enabled,
            pages=[*self.settings_pages(),  # type: ignore[attr-defined]
                   (LocalApiPage.title(), LocalApiPage(self.core, self.local_api))],
        )

    def open_settings(self) -> None:
        dialog = self.settings_dialog()
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.apply_settings(dialog)

    def apply_settings(self, dialog: SettingsDialog) -> None:
        guard = self._guard  # type: ignore[attr-defined]
        old = self.core.settings
        new_settings = replace(dialog.result_settings(), active_connection=old.active_connection)
        guard(lambda: self.core.save_settings(new_settings))
        guard(dialog.save_pages)
        if dialog.has_conversation and self.current_id is not None:
            prompt = dialog.conversation_prompt()
            conversation_id = self.current_id
            guard(lambda: self.core.chats.set_system_prompt(conversation_id, prompt))
        wanted = dialog.autostart_enabled()
        if wanted is not None and wanted != dialog.autostart_initial:
            try:
                autostart.set_enabled(wanted)
            except OSError as exc:
                self.error_bar.show_message(
                    self.tr("Could not change start at login: %1").replace("%1", str(exc))
                )
        self._show_model_name()  # type: ignore[attr-defined]
        if new_settings.model_path != old.model_path:
            self._on_model_chosen()

    # the local API ---------------------------------------------------------------------------
    def start_local_api(self) -> None:
        """After the window shows: serve the API if Settings has it on (started off the GUI
        thread); its errors and its address are reported as they come."""
        self.local_api.stateChanged.connect(self._on_api_state)
        self.local_api.apply()

    def _on_api_state(self, state: str, detail: str) -> None:
        if state == ERROR:
            self.error_bar.show_message(detail)
        elif state == RUNNING:
            self._window().statusBar().showMessage(
                self.tr("Local API running at %1").replace("%1", detail), 8000
            )

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(shortcut_rows(self.actions_by_name), self._window())  # type: ignore[attr-defined]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def about(self) -> None:
        about_box(self._window()).exec()

    def copy_diagnostics(self) -> str:
        text = copy_diagnostics(self)  # type: ignore[arg-type]
        with contextlib.suppress(RuntimeError):
            self._window().statusBar().showMessage(
                self.tr("Diagnostics copied to the clipboard (no chat content)."), 5000
            )
        return text
