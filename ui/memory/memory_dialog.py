"""The Memory panel: every saved fact with when and where it was learned; edit, delete,
approve proposals, and one switch that turns memory off entirely.

Fact writes are single-row SQLite statements (milliseconds); re-embedding an edited fact is
the memory's background worker's job, so nothing here blocks on the model. A fact saved,
approved or forgotten anywhere (a chat, a card) shows up while the panel is open: it follows
the core's change feed.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.memory.facts import Fact
from assistant.memory.service import Memory
from assistant.store.chats import ChatStore
from ui.bridge.changes import CoreChanges

ID_ROLE = Qt.ItemDataRole.UserRole
TEXT, LEARNED, WHERE, STATUS = range(4)


class MemoryDialog(QDialog):
    openMessage = Signal(int, int)  # conversation id, message id

    def __init__(
        self, memory: Memory, chats: ChatStore, changes: CoreChanges, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("memoryDialog")
        self.setWindowTitle(self.tr("Memory"))
        self.resize(760, 480)
        self.memory = memory
        self.chats = chats
        self._filling = False
        self.enabled = QCheckBox(self.tr("Use memory: save facts I ask for and recall earlier chats"))
        self.enabled.setChecked(memory.settings.enabled)
        self.enabled.toggled.connect(self._set_enabled)
        self.recall_chats = QCheckBox(self.tr("Recall earlier conversations in replies"))
        self.recall_chats.setChecked(memory.settings.recall_chats)
        self.recall_chats.toggled.connect(self._set_recall)
        self.off_note = QLabel(
            self.tr("Memory is off: nothing new is saved and nothing is recalled. "
                    "Saved facts stay until you delete them.")
        )
        self.off_note.setObjectName("secondaryText")
        self.off_note.setWordWrap(True)
        self.tree = self._fact_tree()
        self.empty = QLabel(
            self.tr("No facts yet. Say “Remember that …” in a chat, or approve one the assistant proposes.")
        )
        self.empty.setObjectName("secondaryText")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(self.recall_chats)
        layout.addWidget(self.off_note)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addLayout(self._buttons())
        self.refresh()
        changes.factsChanged.connect(self._on_facts_changed)

    # building --------------------------------------------------------------------------------
    def _fact_tree(self) -> QTreeWidget:
        """Fact, when and where it was learned, its status; several can be selected."""
        tree = QTreeWidget()
        tree.setObjectName("factList")
        tree.setHeaderLabels([self.tr("Fact"), self.tr("Learned"), self.tr("Where"), self.tr("Status")])
        tree.setRootIsDecorated(False)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Double-click edits the fact's text, or opens the chat it came from (other columns).
        tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        header = tree.header()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for column in (LEARNED, STATUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Chat titles can be long: the fact itself gets the room, the title is elided.
        header.setSectionResizeMode(WHERE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(WHERE, 200)
        tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        tree.itemChanged.connect(self._on_edited)
        tree.itemSelectionChanged.connect(self._update_buttons)
        tree.itemDoubleClicked.connect(self._on_double_clicked)
        return tree

    def _buttons(self) -> QHBoxLayout:
        self.edit_button = QPushButton(self.tr("Edit"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.approve_button = QPushButton(self.tr("Approve"))
        self.open_button = QPushButton(self.tr("Open conversation"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.approve_button.clicked.connect(self.approve_selected)
        self.open_button.clicked.connect(self.open_selected)
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.delete_button, self.approve_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        return buttons

    # content ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._filling = True
        try:
            self.tree.clear()
            facts = self.memory.facts.list()
            # Proposals first: they are waiting for the user.
            for fact in sorted(facts, key=lambda f: (f.status != "proposed", -f.created_at)):
                self.tree.addTopLevelItem(self._item(fact))
        finally:
            self._filling = False
        self.empty.setVisible(self.tree.topLevelItemCount() == 0)
        self.off_note.setVisible(not self.memory.settings.enabled)
        self.recall_chats.setEnabled(self.memory.settings.enabled)
        self._update_buttons()

    @Slot()
    def _on_facts_changed(self) -> None:
        """Changed anywhere: refresh while shown, keeping the selection."""
        if not self.isVisible():
            return  # refreshed when opened
        chosen = self.selected_ids()
        self.refresh()
        for fact_id in chosen:
            item = self.item_for(fact_id)
            if item is not None:
                item.setSelected(True)

    def _item(self, fact: Fact) -> QTreeWidgetItem:
        learned = datetime.datetime.fromtimestamp(fact.created_at).strftime("%Y-%m-%d %H:%M")
        where = ""
        if fact.conversation_id is not None:
            conversation = self.chats.conversation(fact.conversation_id)
            where = conversation.title if conversation else self.tr("(deleted chat)")
        else:
            where = self.tr("added here")
        status = self.tr("proposed — approve?") if fact.status == "proposed" else self.tr("saved")
        item = QTreeWidgetItem([fact.text, learned, where, status])
        item.setData(TEXT, ID_ROLE, fact.id)
        item.setData(WHERE, ID_ROLE, (fact.conversation_id, fact.message_id))
        item.setToolTip(TEXT, fact.text)
        if fact.conversation_id is not None:
            item.setToolTip(WHERE, where + "\n" + self.tr("Double-click to open this conversation"))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        if fact.status == "proposed":
            font = item.font(STATUS)
            font.setItalic(True)
            item.setFont(STATUS, font)
        return item

    def selected_ids(self) -> list[int]:
        return [int(i.data(TEXT, ID_ROLE)) for i in self.tree.selectedItems()]

    def item_for(self, fact_id: int) -> QTreeWidgetItem | None:
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item is not None and item.data(TEXT, ID_ROLE) == fact_id:
                return item
        return None

    def select(self, fact_id: int) -> None:
        item = self.item_for(fact_id)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)

    @Slot()
    def _update_buttons(self) -> None:
        ids = self.selected_ids()
        facts = [self.memory.facts.get(i) for i in ids]
        self.edit_button.setEnabled(len(ids) == 1)
        self.delete_button.setEnabled(bool(ids))
        self.approve_button.setEnabled(any(f is not None and f.status == "proposed" for f in facts))
        self.open_button.setEnabled(len(facts) == 1 and facts[0] is not None and
                                    facts[0].conversation_id is not None)

    # actions ----------------------------------------------------------------------------
    @Slot(bool)
    def _set_enabled(self, on: bool) -> None:
        self.memory.update_settings(replace(self.memory.settings, enabled=on))
        self.refresh()

    @Slot(bool)
    def _set_recall(self, on: bool) -> None:
        self.memory.update_settings(replace(self.memory.settings, recall_chats=on))

    @Slot()
    def edit_selected(self) -> None:
        items = self.tree.selectedItems()
        if len(items) == 1:
            self.tree.editItem(items[0], TEXT)

    @Slot(QTreeWidgetItem, int)
    def _on_edited(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != TEXT:
            return
        fact_id = int(item.data(TEXT, ID_ROLE))
        try:
            self.memory.facts.edit(fact_id, item.text(TEXT))
        except ValueError as exc:  # empty text: keep the old one and say why
            QMessageBox.warning(self, self.tr("Memory"), str(exc))
        self.memory.notify()  # the worker embeds the new text
        self.refresh()
        self.select(fact_id)

    @Slot()
    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.memory.facts.delete(ids)  # vectors and search rows go with them (cascade)
            self.refresh()

    @Slot()
    def approve_selected(self) -> None:
        for fact_id in self.selected_ids():
            self.memory.facts.approve(fact_id)
        self.memory.notify()
        self.refresh()

    @Slot()
    def open_selected(self) -> None:
        items = self.tree.selectedItems()
        if len(items) == 1:
            self._open(items[0])

    @Slot(QTreeWidgetItem, int)
    def _on_double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        if column == TEXT:
            self.tree.editItem(item, TEXT)
        else:
            self._open(item)

    def _open(self, item: QTreeWidgetItem) -> None:
        conversation_id, message_id = item.data(WHERE, ID_ROLE) or (None, None)
        if conversation_id is not None:
            self.openMessage.emit(int(conversation_id), int(message_id or 0))
