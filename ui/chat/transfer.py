"""The chat's side of export and import: opens the dialogs, pauses sending while an import
holds the database, and cancels an import on quit. The sidebar lists imported chats by itself
(the core's change feed).

The chat controller owns one :class:`TransferController`; it needs only the few parts named
in :class:`TransferHost`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QFileDialog, QWidget

from assistant.core import Core
from assistant.transfer import ImportSummary
from ui.bridge.workers import StreamWorker
from ui.chat.composer import Composer
from ui.chat.export_dialog import ExportDialog, chats_text, documents_dir
from ui.chat.import_dialog import ImportDialog
from ui.chat.sidebar import Sidebar
from ui.widgets.banner import Banner

#: How long quitting waits for a cancelled import to roll back.
CANCEL_WAIT_MS = 30_000


class Status(Protocol):
    def say(self, text: str) -> None: ...
    def text(self) -> str: ...
    def flash(self, text: str, timeout_ms: int) -> None: ...


class TransferHost(Protocol):
    composer: Composer
    notice: Banner
    sidebar: Sidebar
    worker: StreamWorker | None
    current_id: int | None

    @property
    def status(self) -> Status: ...


class TransferController(QObject):
    def __init__(self, core: Core, host: TransferHost, window: QWidget) -> None:
        super().__init__(window)
        self.core = core
        self.host = host
        self.window = window  # the dialogs' parent
        self.import_dialog: ImportDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self._state_before = ""

    @property
    def importing(self) -> bool:
        return self.import_dialog is not None and self.import_dialog.running

    # export ------------------------------------------------------------------------------
    def export_chats(self, conversation_id: int | None = None) -> ExportDialog:
        """The export dialog, on ``conversation_id`` (else the open chat, or the chats selected
        in the sidebar when there are several), not modal."""
        selection = self.host.sidebar.selected_ids() if conversation_id is None else []
        return self.export_selection(selection, conversation_id)

    def export_selection(self, selection: list[int], conversation_id: int | None = None) -> ExportDialog:
        chosen = conversation_id if conversation_id is not None else self.host.current_id
        if self.export_dialog is not None:
            self.export_dialog.close()
        dialog = ExportDialog(self.core, chosen, self.window, selection=selection)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "export_dialog", None))
        self.export_dialog = dialog
        dialog.show()
        return dialog

    # import ------------------------------------------------------------------------------
    def import_chats(self) -> ImportDialog | None:
        """Choose a file, then preview it."""
        if self.import_dialog is not None:
            self._raise(self.import_dialog)
            return self.import_dialog
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Import chats"), str(documents_dir()),
            self.tr("Chat exports (*.json *.zip);;All files (*)"),
        )
        return self.open_import(Path(chosen)) if chosen else None

    def open_import(self, path: Path) -> ImportDialog:
        """The preview of ``path`` (read in the background); Import runs it."""
        if self.import_dialog is not None:
            if self.import_dialog.running:
                self._raise(self.import_dialog)
                return self.import_dialog
            self.import_dialog.close()
        dialog = ImportDialog(self.core, path, self.window, blocked=self.blocked_reason)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.started.connect(self._on_started)
        dialog.ended.connect(self._on_ended)
        dialog.imported.connect(self._on_imported)
        dialog.destroyed.connect(lambda: setattr(self, "import_dialog", None))
        self.import_dialog = dialog
        dialog.show()
        dialog.start_preview()
        return dialog

    def blocked_reason(self) -> str:
        """Why an import cannot start now ("" when it can)."""
        if self.host.worker is not None:
            return self.tr("A reply is being written. Stop it or wait for it, then import.")
        return ""

    def pause_reason(self) -> str:
        return self.tr("Importing chats… sending is paused until the import finishes.")

    @Slot()
    def _on_started(self) -> None:
        host = self.host
        self._state_before = host.status.text()
        host.composer.set_paused(self.pause_reason())
        host.sidebar.pause_changes(True)
        host.status.say(self.pause_reason())
        host.notice.show_message(self.pause_reason(), closable=False)

    @Slot()
    def _on_ended(self) -> None:
        host = self.host
        host.composer.set_paused("")
        host.sidebar.pause_changes(False)
        if host.notice.label.text() == self.pause_reason():
            host.notice.hide()
        if host.status.text() == self.pause_reason():
            host.status.say(self._state_before or self.tr("Ready"))

    @Slot(object)
    def _on_imported(self, summary: ImportSummary) -> None:
        self.host.status.flash(self.tr("Imported %1.").replace("%1", chats_text(summary.conversations)), 8000)

    def _raise(self, dialog: QWidget) -> None:
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    # quitting ----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """The window is closing for good: cancel a running import (nothing is written) and
        wait for it to roll back, so the database is left closed cleanly."""
        dialog = self.import_dialog
        if dialog is not None and dialog.running:
            dialog.cancel_import()
            dialog.wait(CANCEL_WAIT_MS)
        if self.export_dialog is not None:
            self.export_dialog.close()
