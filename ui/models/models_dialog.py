"""The Models dialog: installed models, the catalog, remote engines and the search model.

Header facts are read by ``ModelLibrary.list()`` without loading weights (≤ 50 ms a model, per
the bench), so the list is built on the GUI thread; loading the chosen model happens in the
window's preload worker, and downloads in their own workers.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from assistant.core import Core
from assistant.models.download import Downloader
from ui.app.i18n import pick_locale
from ui.models.catalog_tab import CatalogSource, CatalogTab
from ui.models.connections_tab import ConnectionsTab
from ui.models.embedder_tab import EmbedderTab
from ui.models.installed_tab import InstalledTab
from ui.models.model_files import local_files


class ModelsDialog(QDialog):
    """Non-modal, so a download can keep running while the user chats."""

    modelChosen = Signal()

    def __init__(
        self,
        core: Core,
        engine_info: Callable[[], str],
        catalog: CatalogSource,
        download: Downloader,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Models"))
        self.resize(900, 640)
        self.setAcceptDrops(True)
        self.tabs = QTabWidget()
        self.installed = InstalledTab(core, engine_info)
        self.catalog = CatalogTab(catalog, download)
        self.connections = ConnectionsTab(core)
        self.search_model = EmbedderTab(core.memory, pick_locale(core.settings.language).name())
        self.tabs.addTab(self.installed, self.tr("Installed"))
        self.tabs.addTab(self.catalog, self.tr("Catalog"))
        self.tabs.addTab(self.connections, self.tr("Remote engines"))
        self.tabs.addTab(self.search_model, self.tr("Search model"))
        self.installed.modelChosen.connect(self._on_chosen)
        self.connections.activeChanged.connect(self._on_chosen)
        self.catalog.installed.connect(lambda path: self.installed.refresh(select=path))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    @Slot()
    def _on_chosen(self) -> None:
        self.installed.refresh()
        self.connections.refresh()
        self.modelChosen.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event)
        if paths:
            event.acceptProposedAction()
            self.tabs.setCurrentWidget(self.installed)
            self.installed.add_files(paths)
