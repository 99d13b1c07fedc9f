"""The main window: wires sidebar, chat view and composer to the core. Deliberately thin.

Storage calls are one-liners on ``core.chats``; every model turn goes through
``ui.bridge.workers.StreamWorker``. No SQL, prompt building or thread handling lives here. Desktop
behaviour (tray, close policy, geometry, drops, dialogs) is in :mod:`ui.shell.desktop`.

The model is warmed by ``ChatSession.preload`` in a StreamWorker right after the window shows.
The session is used from one worker at a time, so a message sent while that runs is queued
(the composer shows Stop, the draft stays) and starts when the preload worker has finished.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import ContextTrimmed, Done, Event, Failed, MessageStored, ModelLoaded, ReplyStarted
from assistant.store.db import StorageError
from ui.app.tray import AskClose, app_icon
from ui.bridge.api_server import ApiController
from ui.bridge.workers import StreamWorker
from ui.chat.composer import Composer
from ui.chat.sidebar import Sidebar
from ui.chat.transfer import TransferController
from ui.chat_view import ChatView
from ui.shell.commands import build_menus
from ui.shell.desktop import DesktopMixin
from ui.shell.dialogs import AssistMixin
from ui.widgets.banner import Banner
from ui.widgets.errors import explain


class MainWindow(AssistMixin, DesktopMixin, QMainWindow):
    def __init__(
        self,
        core: Core,
        tray_available: Callable[[], bool] | None = None,
        ask_close: AskClose | None = None,
    ) -> None:
        """``tray_available`` and ``ask_close`` are injectable so tests decide them."""
        super().__init__()
        self.core = core
        self.current_id: int | None = None
        self.worker: StreamWorker | None = None
        self.preload_worker: StreamWorker | None = None
        self._queued: Callable[[], None] | None = None  # a send waiting for the preload
        self.last_loaded: ModelLoaded | None = None
        self._stream_text = ""
        self._first_text_at = 0.0
        self._replacing: int | None = None  # reply hidden by Regenerate, removed on ReplyStarted
        self.setWindowTitle(self.tr("Offline Assistant"))
        self.setWindowIcon(app_icon())
        self.resize(1100, 760)
        self.setAcceptDrops(True)  # drop a .gguf anywhere on the window to add it

        self.sidebar = Sidebar()
        self.chat_view = ChatView()
        self.notice = Banner("info")
        self.error_bar = Banner("error")
        self.composer = Composer()
        right = QWidget()
        right.setObjectName("chatPane")
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.chat_view, 1)
        column.addWidget(self.notice)
        column.addWidget(self.error_bar)
        column.addWidget(self.composer)
        self.init_assist(column)  # chat header, reminder banners, "while you were away"
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 840])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self.state_label = QLabel(self.tr("Ready"))
        self.model_label = QPushButton()  # a button: clicking the model name opens the Models page
        self.model_label.setObjectName("modelLabel")
        self.model_label.setFlat(True)
        self.model_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.model_label.clicked.connect(lambda: self.open_models())
        self.statusBar().addWidget(self.state_label, 1)
        self.statusBar().addPermanentWidget(self.model_label)
        self.transfer = TransferController(self)  # export and import of chats
        self.local_api = ApiController(core, self)  # the OpenAI-compatible API, when enabled
        self.actions_by_name = build_menus(self)
        self.init_desktop(tray_available, ask_close)

        self.sidebar.newRequested.connect(self.new_chat)
        self.sidebar.selected.connect(self.open_conversation)
        self.sidebar.renameRequested.connect(self.rename_conversation)
        self.sidebar.deleteRequested.connect(self.delete_conversation)
        self.sidebar.exportRequested.connect(self.transfer.export_chats)
        self.sidebar.exportSelectionRequested.connect(self.transfer.export_selection)
        self.sidebar.undoRequested.connect(self.restore_conversation)
        self.sidebar.filterChanged.connect(lambda _text: self.refresh_sidebar())
        self.composer.sendRequested.connect(self.send)
        self.composer.stopRequested.connect(self.stop)
        self.composer.editCancelled.connect(self.error_bar.hide)
        self.chat_view.editRequested.connect(self.composer.start_edit)
        self.chat_view.regenerateRequested.connect(self.regenerate)
        self.chat_view.copied.connect(
            lambda: self.statusBar().showMessage(self.tr("Copied to the clipboard"), 2000)
        )

    # start-up (after the window is shown) -------------------------------------------------
    def load_initial(self) -> None:
        """Fill the window. Called once it is visible, so start-up paints first."""
        self._show_model_name()
        conversations = self._guard(lambda: self.core.chats.list_conversations()) or []
        self.current_id = conversations[0].id if conversations else None
        self.refresh_sidebar()
        if self.current_id is not None:
            self.open_conversation(self.current_id)
        self.composer.editor.setFocus()
        self.chat_view.warm_up()
        self.preload()
        self.start_assist()
        self.start_local_api()

    def _show_model_name(self, name: str = "") -> None:
        settings = self.core.settings
        active = settings.active_connection
        connection = self.core.connections.get(active) if active else None
        if connection is not None:
            name = self.tr("%1 (remote)").replace("%1", connection.name)
        elif not name:
            path = settings.effective_model_path()
            name = path.name if path else self.tr("No model set — choose one in Models")
        self.model_label.setText(name)
        self.model_label.setToolTip(self.engine_info() + "\n" + self.tr("Click to manage models."))

    def engine_info(self) -> str:
        """The backend and why these GPU settings, from the last load (for status bar, pages)."""
        loaded = self.last_loaded
        if loaded is None:
            return self.tr("llama.cpp backend and GPU layers: decided when the model loads.")
        text = self.tr("Backend: %1 · GPU layers: %2 · context %3 · loaded in %4 s").replace(
            "%1", loaded.backend).replace("%2", str(loaded.n_gpu_layers)).replace(
            "%3", str(loaded.n_ctx)).replace("%4", f"{loaded.load_seconds:.1f}")
        return f"{text}\n{loaded.detail}" if loaded.detail else text

    # preloading ------------------------------------------------------------------------------
    def preload(self) -> None:
        """Warm the model in the background; never while a turn (or another preload) runs."""
        if self.worker is not None or self.preload_worker is not None:
            return
        session = self.core.session
        worker = StreamWorker(lambda _cancel: session.preload(), self)
        worker.statusChanged.connect(self._on_status)
        worker.modelLoaded.connect(self._on_model_loaded)
        worker.failed.connect(self._on_preload_failed)
        worker.finished.connect(self._on_preload_finished)
        self.preload_worker = worker
        worker.start()

    @Slot(object)
    def _on_preload_failed(self, event: Failed) -> None:
        # Shown quietly: the first message will say it again, with the draft kept.
        reason = explain(event.kind, event.message)
        self.state_label.setText(self.tr("Model not ready: %1").replace("%1", reason))

    @Slot()
    def _on_preload_finished(self) -> None:
        worker, self.preload_worker = self.preload_worker, None
        if worker is not None:
            worker.deleteLater()
        queued, self._queued = self._queued, None
        if queued is not None:
            self.composer.set_busy(False)
            queued()

    # conversations -----------------------------------------------------------------------
    def refresh_sidebar(self) -> None:
        title_filter = self.sidebar.filter_box.text()
        conversations = self._guard(lambda: self.core.chats.list_conversations(title_filter))
        self.sidebar.set_conversations(conversations or [], self.current_id)

    @Slot()
    def new_chat(self) -> None:
        """A chat is created on its first message, so "New" never leaves empty chats behind."""
        self.composer.cancel_edit()
        self.current_id = None
        self.sidebar.list.setCurrentRow(-1)
        self.chat_view.clear()
        self.chat_header.set_conversation(None, "")
        self.composer.editor.setFocus()

    @Slot(int)
    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id != self.current_id:
            self.composer.cancel_edit()
        self.current_id = conversation_id
        messages = self._guard(lambda: self.core.chats.messages(conversation_id)) or []
        self.chat_view.set_messages(messages)
        self.decorate_conversation(conversation_id)  # citations, tool cards, header
        worker = self.worker
        if worker is not None and worker.conversation_id == conversation_id and worker.reply_id:
            self.chat_view.begin_stream(worker.reply_id, self._stream_text)
        self.chat_view.set_busy(worker is not None)

    @Slot(int, str)
    def rename_conversation(self, conversation_id: int, title: str) -> None:
        self._guard(lambda: self.core.chats.rename_conversation(conversation_id, title))
        self.refresh_sidebar()
        if conversation_id == self.current_id:
            self.chat_header.set_conversation(conversation_id, title)

    @Slot(int)
    def delete_conversation(self, conversation_id: int) -> None:
        if self.worker is not None and self.worker.conversation_id == conversation_id:
            self.worker.cancel()
        conversation = self.core.chats.conversation(conversation_id)
        if self._guard(lambda: self.core.chats.delete_conversation(conversation_id)) is False:
            return
        if conversation_id == self.current_id:
            self.new_chat()
        self.refresh_sidebar()
        self.sidebar.show_undo(conversation_id, conversation.title if conversation else "")

    @Slot(int)
    def restore_conversation(self, conversation_id: int) -> None:
        if self._guard(lambda: self.core.chats.restore_conversation(conversation_id)) is False:
            return
        self.current_id = conversation_id
        self.refresh_sidebar()
        self.open_conversation(conversation_id)

    # a turn ------------------------------------------------------------------------------
    @Slot(str)
    def send(self, text: str) -> None:
        if self.worker is not None or not text.strip():
            return
        if self.transfer.importing:  # the import holds the database; the draft stays
            self.state_label.setText(self.transfer.pause_reason())
            return
        if self.preload_worker is not None:
            self._queued = lambda: self.send(text)
            self.composer.set_busy(True)  # Stop drops the queued message; the draft stays
            self.state_label.setText(self.tr("Loading the model… your message is sent when it is ready."))
            return
        self.error_bar.hide()
        editing = self.composer.editing_id
        session = self.core.session
        if editing is not None:
            self._start(lambda cancel: session.edit(editing, text, cancel))
            return
        if self.current_id is None:
            created = self._guard(lambda: self.core.chats.create_conversation())
            if not created:
                return  # storage failed: the error is shown and the draft stays
            self.current_id = created
            self.refresh_sidebar()
        conversation_id = self.current_id
        self._start(lambda cancel: session.send(conversation_id, text, cancel))

    @Slot()
    def regenerate(self) -> None:
        busy = self.worker is not None or self.preload_worker is not None or self.transfer.importing
        if busy or self.current_id is None:
            return
        last = self.chat_view.widgets[-1] if self.chat_view.widgets else None
        self._replacing = last.message_id if last and last.role == "assistant" else None
        conversation_id = self.current_id
        self._start(lambda cancel: self.core.session.regenerate(conversation_id, cancel))

    @Slot()
    def stop(self) -> None:
        if self._queued is not None:
            self._queued = None
            self.composer.set_busy(False)
            self.state_label.setText(self.tr("Loading the model…"))
        if self.worker is not None:
            self.worker.cancel()
            self.state_label.setText(self.tr("Stopping…"))

    def _start(self, operation: Callable[[CancelToken], Iterator[Event]]) -> None:
        worker = StreamWorker(operation, self)
        worker.conversation_id = self.current_id
        worker.statusChanged.connect(self._on_status)
        worker.modelLoaded.connect(self._on_model_loaded)
        worker.messageStored.connect(self._on_message_stored)
        worker.replyStarted.connect(self._on_reply_started)
        worker.contextTrimmed.connect(self._on_context_trimmed)
        worker.textReady.connect(self._on_text)
        worker.done.connect(self._on_done)
        worker.done.connect(self.note_language)  # the language note (ui/window_language.py)
        worker.failed.connect(self._on_failed)
        worker.other.connect(self.on_core_event)  # citations, facts, tool cards, confirmations
        worker.finished.connect(self._on_finished)
        self.worker = worker
        self._stream_text = ""
        self._first_text_at = 0.0
        self.notice.hide()
        self.composer.set_busy(True)
        self.chat_view.set_busy(True)
        worker.start()

    def _visible(self, conversation_id: int | None) -> bool:
        return conversation_id is not None and conversation_id == self.current_id

    @Slot(str, str)
    def _on_status(self, state: str, detail: str) -> None:
        texts = {
            "loading": self.tr("Loading the model…"),
            "ready": self.tr("Ready"),
            "generating": self.tr("Generating…"),
            "error": self.tr("Error"),
        }
        self.state_label.setText(texts.get(state, state))

    @Slot(object)
    def _on_model_loaded(self, event: ModelLoaded) -> None:
        self.last_loaded = event
        name = event.name if event.name and event.name != "scripted" else ""
        self._show_model_name(name)
        self.state_label.setToolTip(self.engine_info())

    @Slot(object)
    def _on_message_stored(self, event: MessageStored) -> None:
        # Only now is the draft safe in the database, so only now is the composer cleared.
        editing = self.composer.editing_id
        self.composer.clear()
        self.composer.finish_edit()
        if self._visible(event.conversation_id):
            if editing is not None:
                self.chat_view.remove_from(editing)
            self.chat_view.add_message(event.message_id, event.role, event.content)
            found = self.core.chats.conversation(event.conversation_id)
            self.chat_header.set_conversation(event.conversation_id, found.title if found else "")
        self.refresh_sidebar()

    @Slot(object)
    def _on_reply_started(self, event: ReplyStarted) -> None:
        if self._visible(event.conversation_id):
            if self._replacing is not None:
                self.chat_view.remove_from(self._replacing)
            self.chat_view.begin_stream(event.message_id)
        self._replacing = None

    @Slot(object)
    def _on_context_trimmed(self, event: ContextTrimmed) -> None:
        self.notice.show_message(
            self.tr("%1 older messages are left out of the model's view to fit its context "
                    "(they are still saved).").replace("%1", str(event.dropped_messages)),
            timeout_ms=15_000,
        )

    @Slot(str, int)
    def _on_text(self, text: str, _count: int) -> None:
        now = time.perf_counter()
        if not self._first_text_at:
            self._first_text_at = now
        self._stream_text += text
        worker = self.worker
        if worker is not None and self._visible(worker.conversation_id):
            self.chat_view.append_stream(text)
        elapsed = now - self._first_text_at
        if worker is not None and elapsed > 0.3:
            rate = f"{worker.tokens / elapsed:.1f}"
            self.state_label.setText(self.tr("Generating… %1 tokens/s").replace("%1", rate))

    @Slot(object)
    def _on_done(self, event: Done) -> None:
        if self._visible(event.conversation_id):
            self.chat_view.finish_stream(event.status)
        rate = f"{event.tokens_per_second:.1f}"  # a composed answer (no model call) has no rate
        text = self.tr("Ready — last reply %1 tokens at %2 tokens/s") if event.n_tokens else self.tr("Ready")
        self.state_label.setText(text.replace("%1", str(event.n_tokens)).replace("%2", rate))

    @Slot(object)
    def _on_failed(self, event: Failed) -> None:
        if self.chat_view.streaming is not None:
            crashed = event.kind in ("crashed", "engine", "internal")
            self.chat_view.finish_stream("interrupted" if crashed else "failed")
        elif self.composer.editing_id is not None and self._visible(event.conversation_id):
            self.open_conversation(self.current_id)  # type: ignore[arg-type]
        self.show_error(event)

    def show_error(self, event: Failed) -> None:
        # A crash's own message repeats the headline; other kinds add the specifics below it.
        text = explain(event.kind, "" if event.kind == "crashed" else event.message)
        self.error_bar.show_message(text)
        self.state_label.setText(self.tr("Error: %1").replace("%1", event.message))

    @Slot()
    def _on_finished(self) -> None:
        worker = self.worker
        self.worker = None
        self.composer.set_busy(False)
        self.chat_view.set_busy(False)
        if self.chat_view.streaming is not None:  # ended without Done/Failed: abandoned
            self.chat_view.finish_stream("interrupted")
        if worker is not None:
            worker.deleteLater()
        self.refresh_sidebar()

    # helpers -----------------------------------------------------------------------------
    def _guard(self, call: Callable[[], object]) -> object:
        """Run a storage call; on failure show the reason and return False."""
        try:
            result = call()
        except StorageError as exc:
            self.show_error(Failed(str(exc), "storage"))
            return False
        return True if result is None else result
