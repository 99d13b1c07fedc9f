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
    QCheckBox,
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
from assistant.engine.openai_http import key_in_clear
from assistant.models.connections import ConnectionError_, normalise_url
from assistant.store.db import StorageError
from assistant.store.secrets import IN_FILE

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
        buttons = self._list_buttons()
        form_box = self._add_form()
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

    # building --------------------------------------------------------------------------------
    def _list_buttons(self) -> QHBoxLayout:
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
        return buttons

    def _add_form(self) -> QGroupBox:
        """Name, address, key (with the http choice and where keys are kept), model, context."""
        box = QGroupBox(self.tr("Add a connection"))
        form = QFormLayout(box)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Office GPU server"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://192.168.1.20:8000/v1")
        self.url.textChanged.connect(lambda *_: self._update_http_choice())
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
        form.addRow(self._http_choice())
        self.key_note = QLabel(self._key_file_note())
        self.key_note.setWordWrap(True)
        self.key_note.setObjectName("secondaryText")
        self.key_note.setVisible(self.core.connections.key_storage() == IN_FILE)
        form.addRow(self.key_note)
        form.addRow(self.tr("Model name"), self.model)
        form.addRow(self.tr("Context length"), self.n_ctx)
        self.add_button = QPushButton(self.tr("Add connection"))
        self.add_button.clicked.connect(self.add_from_form)
        form.addRow("", self.add_button)
        return box

    def _http_choice(self) -> QWidget:
        """The explicit, visible choice a key needs to travel unencrypted (shown for http:// to
        another machine only; https and this machine need no choice)."""
        self.allow_http = QCheckBox(self.tr("Send the API key over plain http"))
        http_warning = QLabel(self.tr("Over http the key travels unencrypted: anyone on the network "
                                      "can read it. Choose this only on a network you trust."))
        http_warning.setWordWrap(True)
        http_warning.setObjectName("errorText")
        self.http_choice = QWidget()
        choice = QVBoxLayout(self.http_choice)
        choice.setContentsMargins(0, 0, 0, 0)
        choice.addWidget(self.allow_http)
        choice.addWidget(http_warning)
        self.http_choice.setVisible(False)
        return self.http_choice

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

    def _key_file_note(self) -> str:
        return self.tr("No system keyring is available, so API keys are kept in %1, a file only you "
                       "can read. They are never stored in the database or its backups."
                       ).replace("%1", self.core.connections.key_file)

    def _normalised_url(self) -> str:
        try:
            return normalise_url(self.url.text())
        except ConnectionError_:
            return ""  # add() explains it

    def _update_http_choice(self) -> None:
        url = self._normalised_url()
        needs_choice = key_in_clear(url, True, allowed=False) if url else False
        self.http_choice.setVisible(needs_choice)
        if not needs_choice:
            self.allow_http.setChecked(False)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setObjectName("errorText" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    # actions -----------------------------------------------------------------------------
    @Slot()
    def add_from_form(self) -> int | None:
        key, allowed = self.api_key.text().strip(), self.allow_http.isChecked()
        url = self._normalised_url()
        if url and key_in_clear(url, bool(key), allowed):
            self._say(self.tr("The API key would travel unencrypted over http. Use an https:// "
                              "address, or tick “Send the API key over plain http” if you trust "
                              "this network."), error=True)
            return None
        try:
            new_id = self.core.connections.add(self.name.text(), self.url.text(), self.model.text(), key,
                                               self.n_ctx.value(), allow_insecure_http=allowed)
        except (ConnectionError_, StorageError) as exc:
            self._say(str(exc), error=True)
            return None
        for field in (self.name, self.url, self.api_key, self.model):
            field.clear()
        said = self.tr("Added. Select it and press “Use this connection”.")
        if key and self.core.connections.last_key_place == IN_FILE:
            said += " " + self._key_file_note()
            self.key_note.setVisible(True)
        self._say(said)
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
