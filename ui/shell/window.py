"""The main window: lays out the sidebar, the chat column and the status bar, and composes
the parts that do the work. Deliberately thin.

- the conversation and its turns: :class:`ui.chat.controller.ChatController` (``self.chat``)
- the dialogs: :class:`ui.shell.dialogs.Dialogs` (``self.dialogs``)
- tray, closing, geometry, drops: :class:`ui.shell.desktop.DesktopBehaviour` (``self.desktop``)
- menus and shortcuts: the command table in :mod:`ui.shell.commands`
- views of stored data follow the core's change feed (:class:`ui.bridge.changes.CoreChanges`)
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from assistant.core import Core
from ui.agenda.reminders import AwayPanel, ReminderCenter
from ui.app.tray import AskClose, app_icon
from ui.bridge.api_server import ApiController
from ui.bridge.changes import CoreChanges
from ui.chat.composer import Composer
from ui.chat.controller import ChatController
from ui.chat.header import ChatHeader
from ui.chat.language_note import LanguageNotice
from ui.chat.parts import ChatWidgets
from ui.chat.sidebar import Sidebar
from ui.chat.view import ChatView
from ui.shell.commands import install_commands
from ui.shell.desktop import DesktopBehaviour, DesktopHooks
from ui.shell.dialogs import Dialogs
from ui.shell.status_bar import WindowStatus
from ui.widgets.banner import Banner

log = logging.getLogger(__name__)
#: How long quitting waits for a preload (a model load cannot be interrupted) before closing.
PRELOAD_WAIT_MS = 15_000


class MainWindow(QMainWindow):
    def __init__(
        self,
        core: Core,
        tray_available: Callable[[], bool] | None = None,
        ask_close: AskClose | None = None,
    ) -> None:
        """``tray_available`` and ``ask_close`` are injectable so tests decide them."""
        super().__init__()
        self.core = core
        self.setWindowTitle(self.tr("Offline Assistant"))
        self.setWindowIcon(app_icon())
        self.resize(1100, 760)
        self.setAcceptDrops(True)  # drop a .gguf anywhere on the window to add it
        self.changes = CoreChanges(core.changes, self)
        reminder_area = self._build_layout()
        self.status = WindowStatus(core, self.statusBar(), self.error_bar, self)
        widgets = ChatWidgets(self.sidebar, self.chat_view, self.composer, self.chat_header, self.notice,
                              self.error_bar)
        self.chat = ChatController(core, widgets, self.status, self.changes, self)
        self.local_api = ApiController(core, self)  # the OpenAI-compatible API, when enabled
        self.dialogs = Dialogs(core, self.chat, self.status, self.changes, self.local_api, self,
                               reveal=lambda: self.desktop.show_and_raise())
        self.reminders = ReminderCenter(core.reminders, core.due, self.changes, reminder_area,
                                        self.away_panel, lambda: self.desktop.tray.icon, self)
        self.language_notice = LanguageNotice(
            core, reminder_area, lambda model_id: self.dialogs.open_models("catalog", model_id))
        self.language_notice.modelSwitched.connect(lambda _path: self.dialogs.model_chosen())
        hooks = DesktopHooks(self._shutdown, self.chat.new_chat, self.dialogs.add_model_files)
        self.desktop = DesktopBehaviour(self, self.splitter, hooks, tray_available, ask_close)
        self.actions_by_name = install_commands(self, self, self.sidebar.list)
        self.status.modelClicked.connect(lambda: self.dialogs.open_models())
        self.chat_header.manageRequested.connect(self.dialogs.open_documents)
        self.chat_view.citationClicked.connect(self.dialogs.show_citation)
        self.chat.replyFinished.connect(
            lambda event, text: self.language_notice.after_reply(event.conversation_id, text, event.n_tokens))
        #: Tests turn this off to keep the watcher and the embedding thread out of the way.
        self.start_background = True

    def _build_layout(self) -> QVBoxLayout:
        """Sidebar | chat column (header, reminders, messages, notices, composer). Returns the
        reminder area, where reminder banners and the language note go."""
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
        for widget in (self.notice, self.error_bar, self.composer):
            column.addWidget(widget)
        self.chat_header = ChatHeader(self.core.knowledge.collections)
        reminders = QWidget()
        reminders.setObjectName("reminderArea")
        area = QVBoxLayout(reminders)
        area.setContentsMargins(12, 6, 12, 0)
        area.setSpacing(6)
        self.away_panel = AwayPanel()  # "while you were away"
        area.addWidget(self.away_panel)
        # Inserted above the messages after them, as ever: the Tab order stays as it was.
        column.insertWidget(0, self.chat_header)
        column.insertWidget(1, reminders)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 840])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        return area

    def load_initial(self) -> None:
        """Fill the window. Called once it is visible, so start-up paints first."""
        self.status.show_model_name()
        self.chat.load()  # the latest chat, then the model is warmed in a worker
        if self.start_background:  # the embedding worker and the folder watcher (core threads)
            try:
                self.core.knowledge.start_watching(on_event=self.dialogs.index_events)
                self.core.start_background()
            except Exception:  # recall and indexing are extras: the chat must still open
                log.exception("could not start the memory's background work")
        self.reminders.start()  # the timer, and once "while you were away"
        self.language_notice.at_start()
        self.local_api.stateChanged.connect(self.status.on_api_state)
        self.local_api.apply()  # serve the API if Settings has it on (started off the GUI thread)

    def _shutdown(self) -> None:
        """The window closes for good: every worker stops (or is waited for, briefly)."""
        self.reminders.scheduler.stop()
        self.dialogs.shutdown()
        self.language_notice.download.shutdown()  # the note's download pauses; its .part resumes later
        self.chat.transfer.shutdown()  # a running import is cancelled: nothing is written
        self.local_api.shutdown()  # streams to other programs are cancelled, the port freed
        self.chat.shutdown(PRELOAD_WAIT_MS)
        self.changes.close()

    # events the parts handle -----------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.desktop.close_event(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.desktop.drag_enter(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.desktop.drop(event)
