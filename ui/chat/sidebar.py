"""Conversation list: New, filter by title, rename in place, delete with Undo."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.store.chats import Conversation
from ui.widgets.banner import Banner

ID_ROLE = Qt.ItemDataRole.UserRole
#: How long the "Chat deleted — Undo" bar stays up.
UNDO_MS = 10_000
EDIT_TRIGGERS = QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked


class Sidebar(QWidget):
    """Shows conversations; the owner does the storage work when a signal arrives."""

    newRequested = Signal()
    selected = Signal(int)
    renameRequested = Signal(int, str)
    deleteRequested = Signal(int)
    exportRequested = Signal(int)
    #: Export several chats at once (the ids of a Ctrl/Shift-click selection).
    exportSelectionRequested = Signal(list)
    undoRequested = Signal(int)
    filterChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self._populating = False
        self._deleted_id: int | None = None
        #: While an import holds the database, renaming and deleting would make the GUI
        #: thread wait for its lock, so they are switched off until it ends.
        self.changes_paused = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        self.new_button = QPushButton(self.tr("New chat"))
        self.new_button.setObjectName("newChatButton")
        self.new_button.clicked.connect(self.newRequested)
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText(self.tr("Filter by title"))
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.filterChanged)
        self.list = QListWidget()
        self.list.setObjectName("conversationList")
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Long titles are elided (full title in the tooltip) instead of scrolling sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setEditTriggers(EDIT_TRIGGERS)
        # Ctrl/Shift-click selects several chats, for exporting them together.
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemChanged.connect(self._on_item_changed)
        self.undo_bar = Banner("undo")
        self.undo_bar.actionClicked.connect(self._on_undo)

        delete_action = QAction(self)
        delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_action.triggered.connect(self.delete_current)
        self.list.addAction(delete_action)

        layout.addWidget(self.new_button)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.undo_bar)

    # content ---------------------------------------------------------------------------
    def set_conversations(self, conversations: Iterable[Conversation], current: int | None) -> None:
        """Rebuild the list (it is short and already sorted by last activity)."""
        self._populating = True
        try:
            self.list.clear()
            for conversation in conversations:
                item = QListWidgetItem(conversation.title)
                item.setData(ID_ROLE, conversation.id)
                item.setToolTip(conversation.title)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.list.addItem(item)
                if conversation.id == current:
                    self.list.setCurrentItem(item)
            if current is None:
                self.list.setCurrentRow(-1)
        finally:
            self._populating = False

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def selected_ids(self) -> list[int]:
        """The selected chats, in list order."""
        return [int(self.list.item(row).data(ID_ROLE)) for row in range(self.list.count())
                if self.list.item(row).isSelected()]

    def item_for(self, conversation_id: int) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == conversation_id:
                return item
        return None

    def titles(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def show_undo(self, conversation_id: int, title: str) -> None:
        self._deleted_id = conversation_id
        self.undo_bar.show_message(
            self.tr("Deleted “%1”.").replace("%1", title), self.tr("Undo"), UNDO_MS
        )

    # actions ---------------------------------------------------------------------------
    def pause_changes(self, paused: bool) -> None:
        """Switch renaming, deleting and undo off (``True``) or back on."""
        self.changes_paused = paused
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if paused else EDIT_TRIGGERS)
        self.undo_bar.setEnabled(not paused)

    def start_rename(self, conversation_id: int | None = None) -> None:
        if self.changes_paused:
            return
        item = self.item_for(conversation_id) if conversation_id else self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    @Slot()
    def delete_current(self) -> None:
        conversation_id = self.current_id()
        if conversation_id is not None and not self.changes_paused:
            self.deleteRequested.emit(conversation_id)

    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        conversation_id = int(item.data(ID_ROLE))
        menu = QMenu(self)
        rename = menu.addAction(self.tr("Rename"), lambda: self.list.editItem(item))
        chosen = self.selected_ids()
        if item.isSelected() and len(chosen) > 1:
            menu.addAction(self.tr("Export %1 selected chats…").replace("%1", str(len(chosen))),
                           lambda: self.exportSelectionRequested.emit(chosen))
        else:
            menu.addAction(self.tr("Export…"), lambda: self.exportRequested.emit(conversation_id))
        menu.addSeparator()
        delete = menu.addAction(self.tr("Delete"), lambda: self.deleteRequested.emit(conversation_id))
        for action in (rename, delete):
            action.setEnabled(not self.changes_paused)
        menu.exec(self.list.viewport().mapToGlobal(pos))

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if not self._populating and current is not None:
            self.selected.emit(int(current.data(ID_ROLE)))

    @Slot(QListWidgetItem)
    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if not self._populating:
            self.renameRequested.emit(int(item.data(ID_ROLE)), item.text())

    @Slot()
    def _on_undo(self) -> None:
        if self._deleted_id is not None:
            self.undoRequested.emit(self._deleted_id)
            self._deleted_id = None
        self.undo_bar.hide()
