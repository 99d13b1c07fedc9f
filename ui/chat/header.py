"""The strip above the conversation: its title and which document collections it may use."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from assistant.knowledge.collections import Collections


class ChatHeader(QWidget):
    manageRequested = Signal()  # open the Documents panel

    def __init__(self, collections: Collections, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatHeader")
        self.collections = collections
        self.conversation_id: int | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 12, 6)
        self.title = QLabel()
        self.title.setObjectName("chatTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.documents = QToolButton()
        self.documents.setObjectName("documentsButton")
        self.documents.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.documents.setToolTip(self.tr("Which document collections this chat may cite"))
        self.menu = QMenu(self)
        self.menu.aboutToShow.connect(self._fill)
        self.documents.setMenu(self.menu)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.documents)
        self.refresh()

    def set_conversation(self, conversation_id: int | None, title: str) -> None:
        self.conversation_id = conversation_id
        self.title.setText(title or self.tr("New chat"))
        self.refresh()

    def refresh(self) -> None:
        total = self.collections.list()
        if not total:
            self.documents.setText(self.tr("Documents: none"))
            return
        on = self.enabled_ids()
        self.documents.setText(
            self.tr("Documents: %1 of %2").replace("%1", str(len(on))).replace("%2", str(len(total)))
        )

    def enabled_ids(self) -> list[int]:
        if self.conversation_id is None:  # a new chat starts with each collection's default
            return [c.id for c in self.collections.list() if c.enabled_by_default]
        return self.collections.enabled_for(self.conversation_id)

    @Slot()
    def _fill(self) -> None:
        self.menu.clear()
        on = set(self.enabled_ids())
        for collection in self.collections.list():
            action = self.menu.addAction(collection.name)
            action.setCheckable(True)
            action.setChecked(collection.id in on)
            action.setToolTip(collection.root)
            if self.conversation_id is None:
                action.setEnabled(False)  # the chat exists from its first message on
            action.toggled.connect(lambda checked, cid=collection.id: self.set_enabled(cid, checked))
        if self.conversation_id is None and self.menu.actions():
            hint = self.menu.addAction(self.tr("Send a message first to choose for this chat"))
            hint.setEnabled(False)
        if self.menu.actions():
            self.menu.addSeparator()
        self.menu.addAction(self.tr("Manage documents…"), self.manageRequested.emit)

    def set_enabled(self, collection_id: int, enabled: bool) -> None:
        if self.conversation_id is not None:
            self.collections.set_enabled(self.conversation_id, collection_id, enabled)
            self.refresh()
