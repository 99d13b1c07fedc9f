"""The conversation on screen and its turns (gpt4all-chat's long-lived chat controller).

Owns which conversation is open, the turn's worker, the preload worker and a send queued
behind the preload. Storage calls are one-liners on ``core.chats``; every model turn goes
through :class:`ui.bridge.workers.StreamWorker`, whose events arrive here on the GUI thread.

The model is warmed by ``ChatSession.preload`` in a worker right after the window shows. The
session is used from one worker at a time, so a message sent while that runs is queued (the
composer shows Stop, the draft stays) and starts when the preload worker has finished.
Regenerate and Edit hide stored messages: the core says which (``MessagesSuperseded``) before
the new reply starts, and exactly those leave the view.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from assistant.changes import ConversationChanged
from assistant.core import Core
from assistant.events import (
    ContextTrimmed,
    ConversationCreated,
    ConversationRenamed,
    Done,
    Failed,
    MessagesSuperseded,
    MessageStored,
    ReplyStarted,
)
from assistant.store.db import StorageError
from ui.bridge.changes import CoreChanges
from ui.bridge.workers import Operation, StreamWorker
from ui.chat import navigation
from ui.chat.parts import ChatWidgets, TurnStatus
from ui.chat.transfer import TransferController
from ui.chat.turn_extras import TurnExtras
from ui.widgets.errors import explain

T = TypeVar("T")


class ChatController(QObject):
    #: A reply finished (Done), with the user's message it answers (for the language note).
    replyFinished = Signal(object, str)

    def __init__(
        self, core: Core, widgets: ChatWidgets, status: TurnStatus, changes: CoreChanges, window: QWidget
    ) -> None:
        super().__init__(window)
        self.core = core
        self.sidebar, self.view, self.composer = widgets.sidebar, widgets.view, widgets.composer
        self.header, self.notice, self.error_bar = widgets.header, widgets.notice, widgets.error_bar
        self.status = status
        self.current_id: int | None = None
        self.worker: StreamWorker | None = None
        self.preload_worker: StreamWorker | None = None
        self._queued: Callable[[], None] | None = None  # a send waiting for the preload
        self._stream_text = ""
        self._first_text_at = 0.0
        #: A send in a new chat: the conversation it creates becomes the one on screen.
        self._adopt_created = False
        self.extras = TurnExtras(core, self.view, self.notice, self)
        self.transfer = TransferController(core, self, window)  # export and import of chats
        self._connect(changes)

    def _connect(self, changes: CoreChanges) -> None:
        self.sidebar.newRequested.connect(self.new_chat)
        self.sidebar.selected.connect(self.open_conversation)
        self.sidebar.renameRequested.connect(self.rename_conversation)
        self.sidebar.deleteRequested.connect(self.delete_conversation)
        self.sidebar.undoRequested.connect(self.restore_conversation)
        self.sidebar.filterChanged.connect(lambda _text: self.refresh_sidebar())
        self.composer.sendRequested.connect(self.send)
        self.composer.stopRequested.connect(self.stop)
        self.composer.editCancelled.connect(self.error_bar.hide)
        self.view.editRequested.connect(self.composer.start_edit)
        self.view.regenerateRequested.connect(self.regenerate)
        self.view.copied.connect(lambda: self.status.flash(self.tr("Copied to the clipboard"), 2000))
        self.sidebar.exportRequested.connect(self.transfer.export_chats)
        self.sidebar.exportSelectionRequested.connect(self.transfer.export_selection)
        changes.conversationsChanged.connect(self.refresh_sidebar)
        changes.documentsChanged.connect(self.header.refresh)  # "Documents: 1 of 2"
        changes.conversationChanged.connect(self._on_conversation_changed)

    # start-up --------------------------------------------------------------------------------
    def load(self) -> None:
        """The latest conversation, shown; then the model is warmed."""
        conversations = self.fetch(lambda: self.core.chats.list_conversations())
        self.current_id = conversations[0].id if conversations else None
        self.refresh_sidebar()
        if self.current_id is not None:
            self.open_conversation(self.current_id)
        self.composer.editor.setFocus()
        self.view.warm_up()
        self.preload()

    def preload(self) -> None:
        """Warm the model in the background; never while a turn (or another preload) runs."""
        if self.worker is not None or self.preload_worker is not None:
            return
        session = self.core.session
        worker = StreamWorker(lambda _cancel: session.preload(), self)
        worker.statusChanged.connect(self.status.on_status)
        worker.modelLoaded.connect(self.status.on_model_loaded)
        worker.failed.connect(self._on_preload_failed)
        worker.finished.connect(self._on_preload_finished)
        self.preload_worker = worker
        worker.start()

    @Slot(object)
    def _on_preload_failed(self, event: Failed) -> None:
        # Shown quietly: the first message will say it again, with the draft kept.
        reason = explain(event.kind, event.message)
        self.status.say(self.tr("Model not ready: %1").replace("%1", reason))

    @Slot()
    def _on_preload_finished(self) -> None:
        worker, self.preload_worker = self.preload_worker, None
        if worker is not None:
            worker.deleteLater()
        queued, self._queued = self._queued, None
        if queued is not None:
            self.composer.set_busy(False)
            queued()

    # which conversation is shown -------------------------------------------------------------
    def refresh_sidebar(self) -> None:
        title_filter = self.sidebar.filter_box.text()
        conversations = self.fetch(lambda: self.core.chats.list_conversations(title_filter))
        self.sidebar.set_conversations(conversations, self.current_id)

    @Slot()
    def new_chat(self) -> None:
        """A chat is created on its first message, so "New" never leaves empty chats behind."""
        self.composer.cancel_edit()
        self.current_id = None
        self._adopt_created = False
        self.sidebar.list.setCurrentRow(-1)
        self.view.clear()
        self.header.set_conversation(None, "")
        self.composer.editor.setFocus()

    @Slot(int)
    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id != self.current_id:
            self.composer.cancel_edit()
        self.current_id = conversation_id
        self._adopt_created = False
        self.view.set_messages(self.fetch(lambda: self.core.chats.messages(conversation_id)))
        conversation = self.core.chats.conversation(conversation_id)
        self.header.set_conversation(conversation_id, conversation.title if conversation else "")
        self.extras.decorate(conversation_id)  # stored citations and tool cards
        worker = self.worker
        if worker is not None and worker.conversation_id == conversation_id and worker.reply_id:
            self.view.begin_stream(worker.reply_id, self._stream_text)
        self.view.set_busy(worker is not None)

    @Slot(int, str)
    def rename_conversation(self, conversation_id: int, title: str) -> None:
        self.guard(lambda: self.core.chats.rename_conversation(conversation_id, title))
        self.refresh_sidebar()
        if conversation_id == self.current_id:
            self.header.set_conversation(conversation_id, title)

    @Slot(int)
    def delete_conversation(self, conversation_id: int) -> None:
        if self.worker is not None and self.worker.conversation_id == conversation_id:
            self.worker.cancel()
        conversation = self.core.chats.conversation(conversation_id)
        if not self.guard(lambda: self.core.chats.delete_conversation(conversation_id)):
            return
        if conversation_id == self.current_id:
            self.new_chat()
        self.refresh_sidebar()
        self.sidebar.show_undo(conversation_id, conversation.title if conversation else "")

    @Slot(int)
    def restore_conversation(self, conversation_id: int) -> None:
        if not self.guard(lambda: self.core.chats.restore_conversation(conversation_id)):
            return
        self.current_id = conversation_id
        self.refresh_sidebar()
        self.open_conversation(conversation_id)

    def open_at(self, conversation_id: int, message_id: int = 0) -> None:
        """Show a conversation (selected in the sidebar) scrolled to one message."""
        self.sidebar.filter_box.clear()
        item = self.sidebar.item_for(conversation_id)
        if item is not None:
            self.sidebar.list.setCurrentItem(item)  # opens it through the selected signal
        if self.current_id != conversation_id:
            self.open_conversation(conversation_id)
        if message_id:
            QTimer.singleShot(0, lambda: self.view.jump_to(message_id))

    def copy_last_reply(self) -> None:
        if navigation.copy_last_reply(self.view):
            self.status.flash(self.tr("Copied to the clipboard"), 2000)

    @Slot(object)
    def _on_conversation_changed(self, change: ConversationChanged) -> None:
        """Renamed anywhere (the sidebar, the first message, an agent tool): the header follows."""
        if change.conversation_id == self.current_id and change.change in ("created", "renamed"):
            self.header.set_conversation(change.conversation_id, change.title)

    # a turn ----------------------------------------------------------------------------------
    @Slot(str)
    def send(self, text: str) -> None:
        if self.worker is not None or not text.strip():
            return
        if self.transfer.importing:  # the import holds the database; the draft stays
            self.status.say(self.transfer.pause_reason())
            return
        if self.preload_worker is not None:
            self._queued = lambda: self.send(text)
            self.composer.set_busy(True)  # Stop drops the queued message; the draft stays
            self.status.say(self.tr("Loading the model… your message is sent when it is ready."))
            return
        self.error_bar.hide()
        editing = self.composer.editing_id
        session = self.core.session
        if editing is not None:
            self._start(lambda cancel: session.edit(editing, text, cancel))
            return
        conversation_id = self.current_id
        self._adopt_created = conversation_id is None  # the core creates it, titled after the text
        self._start(lambda cancel: session.send(conversation_id, text, cancel))

    @Slot()
    def regenerate(self) -> None:
        busy = self.worker is not None or self.preload_worker is not None or self.transfer.importing
        if busy or self.current_id is None:
            return
        conversation_id = self.current_id
        self._start(lambda cancel: self.core.session.regenerate(conversation_id, cancel))

    @Slot()
    def stop(self) -> None:
        if self._queued is not None:
            self._queued = None
            self.composer.set_busy(False)
            self.status.say(self.tr("Loading the model…"))
        if self.worker is not None:
            self.worker.cancel()
            self.status.say(self.tr("Stopping…"))

    def _start(self, operation: Operation) -> None:
        worker = StreamWorker(operation, self)
        worker.conversation_id = self.current_id
        worker.statusChanged.connect(self.status.on_status)
        worker.modelLoaded.connect(self.status.on_model_loaded)
        worker.messageStored.connect(self._on_message_stored)
        worker.replyStarted.connect(self._on_reply_started)
        worker.contextTrimmed.connect(self._on_context_trimmed)
        worker.textReady.connect(self._on_text)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        worker.other.connect(self._on_other)  # conversation events, citations, facts, tool cards
        worker.finished.connect(self._on_finished)
        self.worker = worker
        self._stream_text = ""
        self._first_text_at = 0.0
        self.notice.hide()
        self.composer.set_busy(True)
        self.view.set_busy(True)
        worker.start()

    def _visible(self, conversation_id: int | None) -> bool:
        return conversation_id is not None and conversation_id == self.current_id

    @Slot(object)
    def _on_other(self, event: object) -> None:
        if isinstance(event, ConversationCreated):
            self._on_created(event)
        elif isinstance(event, ConversationRenamed):
            if self._visible(event.conversation_id):
                self.header.set_conversation(event.conversation_id, event.title)
        elif isinstance(event, MessagesSuperseded):
            if self._visible(event.conversation_id) and event.message_ids:
                self.view.remove_from(min(event.message_ids))  # the hidden ones are the tail
        else:
            visible = getattr(event, "conversation_id", self.current_id) == self.current_id
            self.extras.on_event(event, visible)

    def _on_created(self, event: ConversationCreated) -> None:
        if self.worker is not None:
            self.worker.conversation_id = event.conversation_id
        if self._adopt_created and self.current_id is None:
            self.current_id = event.conversation_id
            self.header.set_conversation(event.conversation_id, event.title)
            self.refresh_sidebar()
        self._adopt_created = False

    @Slot(object)
    def _on_message_stored(self, event: MessageStored) -> None:
        # Only now is the draft safe in the database, so only now is the composer cleared.
        self.composer.clear()
        self.composer.finish_edit()
        if self._visible(event.conversation_id):
            self.view.add_message(event.message_id, event.role, event.content)
        self.refresh_sidebar()  # the chat moves to the top of the list

    @Slot(object)
    def _on_reply_started(self, event: ReplyStarted) -> None:
        if self._visible(event.conversation_id):
            self.view.begin_stream(event.message_id)

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
            self.view.append_stream(text)
        elapsed = now - self._first_text_at
        if worker is not None and elapsed > 0.3:
            rate = f"{worker.tokens / elapsed:.1f}"
            self.status.say(self.tr("Generating… %1 tokens/s").replace("%1", rate))

    @Slot(object)
    def _on_done(self, event: Done) -> None:
        if self._visible(event.conversation_id):
            self.view.finish_stream(event.status)
        rate = f"{event.tokens_per_second:.1f}"  # a composed answer (no model call) has no rate
        text = self.tr("Ready — last reply %1 tokens at %2 tokens/s") if event.n_tokens else self.tr("Ready")
        self.status.say(text.replace("%1", str(event.n_tokens)).replace("%2", rate))
        users = [w for w in self.view.widgets if w.role == "user"]
        self.replyFinished.emit(event, users[-1].content if users else "")

    @Slot(object)
    def _on_failed(self, event: Failed) -> None:
        if self.view.streaming is not None:
            crashed = event.kind in ("crashed", "engine", "internal")
            self.view.finish_stream("interrupted" if crashed else "failed")
        elif self.composer.editing_id is not None and event.conversation_id is not None:
            if self._visible(event.conversation_id):  # the edit did not go through: as stored
                self.open_conversation(event.conversation_id)
        self.show_error(event)

    def show_error(self, event: Failed) -> None:
        # A crash's own message repeats the headline; other kinds add the specifics below it.
        text = explain(event.kind, "" if event.kind == "crashed" else event.message)
        self.error_bar.show_message(text)
        self.status.say(self.tr("Error: %1").replace("%1", event.message))

    @Slot()
    def _on_finished(self) -> None:
        worker = self.worker
        self.worker = None
        self._adopt_created = False
        self.composer.set_busy(False)
        self.view.set_busy(False)
        if self.view.streaming is not None:  # ended without Done/Failed: abandoned
            self.view.finish_stream("interrupted")
        if worker is not None:
            worker.deleteLater()
        self.refresh_sidebar()

    # quitting --------------------------------------------------------------------------------
    def shutdown(self, preload_wait_ms: int) -> None:
        """Stop the turn (the reply is saved as stopped) and wait for a preload (a model load
        cannot be interrupted) at most ``preload_wait_ms``."""
        worker = self.worker
        if worker is not None:
            worker.cancel()  # the engine stops within a token; the reply is saved as stopped
            worker.wait(5000)
        if self.preload_worker is not None:
            self.preload_worker.wait(preload_wait_ms)

    # storage calls ---------------------------------------------------------------------------
    def guard(self, call: Callable[[], object]) -> bool:
        """Run a storage call; on failure show the reason and return False."""
        try:
            call()
        except StorageError as exc:
            self.show_error(Failed(str(exc), "storage"))
            return False
        return True

    def fetch(self, call: Callable[[], list[T]]) -> list[T]:
        """A storage read of a list; on failure the reason is shown and the list is empty."""
        try:
            return call()
        except StorageError as exc:
            self.show_error(Failed(str(exc), "storage"))
            return []
