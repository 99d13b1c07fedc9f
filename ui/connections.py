"""Remote engines: OpenAI-compatible servers (vLLM, llama.cpp server, Ollama, LM Studio).

"Use" stores the connection id in ``Settings.active_connection``; the core's EngineSwitch then
sends the next message to that server (streaming, same chat history). "Use the local model"
sets it back to 0. Connecting happens in the preload worker, never on the GUI thread.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant.core import Core
from assistant.models.connections import ConnectionError_
from assistant.store.db import StorageError

ID_ROLE = Qt.ItemDataRole.UserRole


class ConnectionsTab(QWidget):
    activeChanged = Signal()

    def __init__(self, core: Core, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.core = core
        intro = QLabel(
            self.tr("Use a model on another machine through an OpenAI-compatible server (vLLM, "
                    "llama.cpp server, Ollama, LM Studio). Chats stay on this computer; the "
                    "messages of a chat are sent to that server.")
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.use_button = QPushButton(self.tr("Use this connection"))
        self.use_button.clicked.connect(self.use_selected)
        self.local_button = QPushButton(self.tr("Back to the local model"))
        self.local_button.clicked.connect(self.use_local)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.local_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)

        form_box = QGroupBox(self.tr("Add a connection"))
        form = QFormLayout(form_box)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Office GPU server"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("http://192.168.1.20:8000/v1")
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(self.tr("optional"))
        self.model = QLineEdit()
        self.model.setPlaceholderText(self.tr("e.g. Qwen/Qwen2.5-7B-Instruct or llama3"))
        self.n_ctx = QSpinBox()
        self.n_ctx.setRange(512, 1_048_576)
        self.n_ctx.setSingleStep(1024)
        self.n_ctx.setValue(8192)
        self.n_ctx.setSuffix(self.tr(" tokens"))
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Server address"), self.url)
        form.addRow(self.tr("API key"), self.api_key)
        form.addRow(self.tr("Model name"), self.model)
        form.addRow(self.tr("Context length"), self.n_ctx)
        self.add_button = QPushButton(self.tr("Add connection"))
        self.add_button.clicked.connect(self.add_from_form)
        form.addRow("", self.add_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(form_box)
        layout.addWidget(self.message)
        self.refresh()

    # content -----------------------------------------------------------------------------
    def refresh(self) -> None:
        active = self.core.settings.active_connection
        selected = self.selected_id()
        self.list.clear()
        for connection in self.core.connections.list():
            text = f"{connection.name} — {connection.model} @ {connection.base_url}"
            if connection.id == active:
                text = self.tr("✓ In use: %1").replace("%1", text)
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, connection.id)
            if connection.id == active:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
            if connection.id in (selected, active):
                self.list.setCurrentItem(item)
        self._update_buttons()

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def _update_buttons(self) -> None:
        selected = self.selected_id()
        active = self.core.settings.active_connection
        self.use_button.setEnabled(selected is not None and selected != active)
        self.remove_button.setEnabled(selected is not None)
        self.local_button.setEnabled(bool(active))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setObjectName("errorText" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    # actions -----------------------------------------------------------------------------
    @Slot()
    def add_from_form(self) -> int | None:
        try:
            new_id = self.core.connections.add(
                self.name.text(), self.url.text(), self.model.text(), self.api_key.text(), self.n_ctx.value()
            )
        except (ConnectionError_, StorageError) as exc:
            self._say(str(exc), error=True)
            return None
        for field in (self.name, self.url, self.api_key, self.model):
            field.clear()
        self._say(self.tr("Added. Select it and press “Use this connection”."))
        self.refresh()
        item = next((self.list.item(i) for i in range(self.list.count())
                     if self.list.item(i).data(ID_ROLE) == new_id), None)
        if item is not None:
            self.list.setCurrentItem(item)
        return new_id

    @Slot()
    def use_selected(self) -> None:
        selected = self.selected_id()
        if selected is not None:
            self._activate(selected)
            self._say(self.tr("The next message goes to this server."))

    @Slot()
    def use_local(self) -> None:
        self._activate(0)
        self._say(self.tr("Back to the local model."))

    @Slot()
    def remove_selected(self) -> None:
        selected = self.selected_id()
        if selected is None:
            return
        try:
            if selected == self.core.settings.active_connection:
                self._activate(0)
            self.core.connections.remove(selected)
        except StorageError as exc:
            self._say(str(exc), error=True)
            return
        self._say(self.tr("Connection removed."))
        self.refresh()

    def _activate(self, connection_id: int) -> None:
        try:
            self.core.save_settings(replace(self.core.settings, active_connection=connection_id))
        except StorageError as exc:
            self._say(str(exc), error=True)
            return
        self.refresh()
        self.activeChanged.emit()
