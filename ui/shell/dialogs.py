"""The dialogs the window opens: Models, Settings, Search, Memory, Documents, Agenda, a
citation's passage and the Help menu's. Each is created on first use and kept, so reopening
is instant and Documents keeps following indexing progress. The panels refresh themselves
from the core's change feed; nothing here refreshes them by hand.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QDialog, QWidget

from assistant.core import Core
from assistant.desktop import autostart
from assistant.memory.events import Citation
from assistant.models.catalog import load_catalog
from assistant.models.download import download_entry
from ui.agenda.agenda_dialog import AgendaDialog
from ui.bridge.api_server import ApiController
from ui.bridge.changes import CoreChanges
from ui.bridge.workers import Relay
from ui.chat.cards import CitationDialog
from ui.chat.controller import ChatController
from ui.documents.documents_dialog import DocumentsDialog
from ui.memory.memory_dialog import MemoryDialog
from ui.models.model_files import add_model_files, choose_model_file
from ui.models.models_dialog import ModelsDialog
from ui.search.search_dialog import SearchDialog
from ui.settings.agent_page import AgentPage
from ui.settings.local_api_page import LocalApiPage
from ui.settings.settings_dialog import SettingsDialog
from ui.shell.help_dialogs import ShortcutsDialog, about_box, copy_diagnostics, shortcut_rows
from ui.shell.status_bar import WindowStatus


class Dialogs(QObject):
    def __init__(
        self,
        core: Core,
        chat: ChatController,
        status: WindowStatus,
        changes: CoreChanges,
        local_api: ApiController,
        window: QWidget,
        reveal: Callable[[], None],
    ) -> None:
        """``reveal``: show and raise the window (after jumping to a message)."""
        super().__init__(window)
        self.core, self.chat, self.status, self.changes = core, chat, status, changes
        self.local_api = local_api
        self.window = window
        self.reveal = reveal
        self.models_dialog: ModelsDialog | None = None
        self.search_dialog: SearchDialog | None = None
        self.memory_dialog: MemoryDialog | None = None
        self.documents_dialog: DocumentsDialog | None = None
        self.agenda_dialog: AgendaDialog | None = None
        self.citation_dialog: CitationDialog | None = None
        #: The folder watcher's indexing progress (a core thread), for the Documents panel.
        self.index_events = Relay(self)
        self.index_events.produced.connect(self._on_index_event)
        #: Injectable so tests serve the catalog from 127.0.0.1 over plain http.
        self.catalog_source = load_catalog
        self.downloader = download_entry

    def _show(self, dialog: QDialog) -> None:
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    # models ----------------------------------------------------------------------------------
    def open_models(self, tab: str = "installed", model_id: str = "") -> ModelsDialog:
        """``model_id``: a catalog entry to bring into view (the Catalog tab)."""
        if self.models_dialog is None:
            self.models_dialog = ModelsDialog(
                self.core, self.status.engine_info, self.catalog_source, self.downloader, self.window
            )
            self.models_dialog.modelChosen.connect(self.model_chosen)
        dialog = self.models_dialog
        pages = {"installed": dialog.installed, "catalog": dialog.catalog, "remote": dialog.connections}
        dialog.tabs.setCurrentWidget(pages.get(tab, dialog.installed))
        dialog.installed.refresh()
        self._show(dialog)
        if model_id:
            dialog.catalog.highlight(model_id)
        return dialog

    def model_chosen(self) -> None:
        self.status.forget_load()
        self.chat.preload()

    def add_model_files(self, paths: list[Path]) -> None:
        """Dropped on the window or chosen from the Models menu."""
        added, errors = add_model_files(self.core.models, paths)
        if errors:
            self.chat.error_bar.show_message("\n".join(errors))
        if added:
            self.chat.notice.show_message(
                self.tr("Added %1. Open Models (Ctrl+Shift+M) to use it.").replace("%1", ", ".join(added)),
                timeout_ms=15_000,
            )
            if self.models_dialog is not None:
                self.models_dialog.installed.refresh()

    def add_model_file(self) -> None:
        path = choose_model_file(self.window)
        if path is not None:
            self.add_model_files([path])

    # settings --------------------------------------------------------------------------------
    def settings_dialog(self) -> SettingsDialog:
        current = self.chat.current_id
        conversation = self.core.chats.conversation(current) if current else None
        enabled: bool | None
        try:
            enabled = autostart.is_enabled()
        except Exception:  # no registry / odd platform: hide the option rather than fail
            enabled = None
        return SettingsDialog(
            self.core.settings,
            conversation.system_prompt if conversation else None,
            conversation is not None,
            self.window,
            engine_info=self.status.engine_info(),
            autostart=enabled,
            pages=[(self.tr("Agent"), AgentPage(self.core.agent_store)),
                   (LocalApiPage.title(), LocalApiPage(self.core, self.local_api))],
        )

    def open_settings(self) -> None:
        dialog = self.settings_dialog()
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.apply_settings(dialog)

    def apply_settings(self, dialog: SettingsDialog) -> None:
        guard = self.chat.guard
        old = self.core.settings
        new_settings = replace(dialog.result_settings(), active_connection=old.active_connection)
        guard(lambda: self.core.save_settings(new_settings))
        guard(dialog.save_pages)
        conversation_id = self.chat.current_id
        if dialog.has_conversation and conversation_id is not None:
            prompt = dialog.conversation_prompt()
            guard(lambda: self.core.chats.set_system_prompt(conversation_id, prompt))
        wanted = dialog.autostart_enabled()
        if wanted is not None and wanted != dialog.autostart_initial:
            try:
                autostart.set_enabled(wanted)
            except OSError as exc:
                self.chat.error_bar.show_message(
                    self.tr("Could not change start at login: %1").replace("%1", str(exc))
                )
        self.status.show_model_name()
        if new_settings.model_path != old.model_path:
            self.model_chosen()

    # the panels ------------------------------------------------------------------------------
    def open_at(self, conversation_id: int, message_id: int = 0) -> None:
        """A search hit, a fact's source or a citation: that chat, at that message."""
        self.chat.open_at(conversation_id, message_id)
        self.reveal()

    def open_search(self) -> SearchDialog:
        if self.search_dialog is None:
            self.search_dialog = SearchDialog(self.core.memory, self.window)
            self.search_dialog.openMessage.connect(self.open_at)
            self.search_dialog.openFile.connect(lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(p)))
            self.search_dialog.openFact.connect(lambda fid: self.open_memory().select(fid))
        self._show(self.search_dialog)
        self.search_dialog.focus()
        return self.search_dialog

    def open_memory(self) -> MemoryDialog:
        if self.memory_dialog is None:
            self.memory_dialog = MemoryDialog(self.core.memory, self.core.chats, self.changes, self.window)
            self.memory_dialog.openMessage.connect(self.open_at)
        self.memory_dialog.refresh()
        self._show(self.memory_dialog)
        return self.memory_dialog

    def open_documents(self) -> DocumentsDialog:
        if self.documents_dialog is None:
            self.documents_dialog = DocumentsDialog(self.core.knowledge, self.window)
        self.documents_dialog.refresh()
        self._show(self.documents_dialog)
        return self.documents_dialog

    def open_agenda(self) -> AgendaDialog:
        if self.agenda_dialog is None:
            zone = lambda: self.core.agent_store.load_settings().zone()  # noqa: E731
            self.agenda_dialog = AgendaDialog(self.core.reminders, zone, self.changes, self.window)
        self.agenda_dialog.refresh()
        self._show(self.agenda_dialog)
        return self.agenda_dialog

    def show_citation(self, citation: Citation) -> CitationDialog:
        if self.citation_dialog is not None:
            self.citation_dialog.close()
        dialog = CitationDialog(citation, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openConversation.connect(self.open_at)
        dialog.destroyed.connect(lambda: setattr(self, "citation_dialog", None))
        self.citation_dialog = dialog
        dialog.show()
        return dialog

    def _on_index_event(self, event: object) -> None:
        if self.documents_dialog is not None:
            with contextlib.suppress(RuntimeError):
                self.documents_dialog.handle_event(event)

    # help ------------------------------------------------------------------------------------
    def show_shortcuts(self, actions: dict[str, QAction]) -> ShortcutsDialog:
        dialog = ShortcutsDialog(shortcut_rows(actions), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def about(self) -> None:
        about_box(self.window).exec()

    def copy_diagnostics(self) -> str:
        text = copy_diagnostics(self.core, self.status.last_loaded)
        with contextlib.suppress(RuntimeError):
            self.status.flash(self.tr("Diagnostics copied to the clipboard (no chat content)."), 5000)
        return text

    # quitting --------------------------------------------------------------------------------
    def shutdown(self) -> None:
        if self.documents_dialog is not None:
            self.documents_dialog.shutdown()  # indexing jobs stop; pending files resume later
        if self.models_dialog is not None:
            self.models_dialog.catalog.shutdown()  # downloads pause; their .part files resume later
            self.models_dialog.search_model.shutdown()  # the same for an embedding model
            self.models_dialog.close()
