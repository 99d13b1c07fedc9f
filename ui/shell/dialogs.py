"""The main window's memory, documents, agent and reminder parts, apart from the chat flow.

Events the turn's worker does not turn into dedicated signals arrive in
:meth:`AssistMixin.on_core_event` (citations, facts, tool cards, confirmations). The panels
(Search, Memory, Documents, Agenda) are created on first use and kept, so reopening them is
instant and the Documents panel keeps following indexing progress.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QMainWindow, QVBoxLayout, QWidget

from assistant.core import Core
from assistant.events import ConfirmationNeeded, Done, ReplyRevised, ToolCallStarted, ToolResult
from assistant.memory.events import Citation, CitationsUsed, FactSaved, FactsForgotten
from ui.agenda.agenda_dialog import AgendaDialog
from ui.agenda.reminders import AwayPanel, ReminderCenter
from ui.bridge.workers import Relay
from ui.chat.header import ChatHeader
from ui.chat.language_note import LanguageNotice
from ui.chat.sidebar import Sidebar
from ui.chat_cards import CitationDialog, FactCard, ToolCard
from ui.chat_view import ChatView
from ui.documents.documents_dialog import DocumentsDialog
from ui.memory.memory_dialog import MemoryDialog
from ui.search.search_dialog import SearchDialog
from ui.settings.agent_page import AgentPage
from ui.widgets.banner import Banner

log = logging.getLogger(__name__)


class AssistMixin:
    """Mixed into MainWindow; relies on the attributes declared below."""

    core: Core
    chat_view: ChatView
    sidebar: Sidebar
    notice: Banner
    error_bar: Banner
    current_id: int | None
    tr: Callable[[str], str]

    def init_assist(self, column: QVBoxLayout) -> None:
        """Build the header, reminder area and away panel at the top of the chat column."""
        self.chat_header = ChatHeader(self.core.knowledge.collections)
        self.chat_header.manageRequested.connect(self.open_documents)
        self.reminder_area = QWidget()
        self.reminder_area.setObjectName("reminderArea")
        area = QVBoxLayout(self.reminder_area)
        area.setContentsMargins(12, 6, 12, 0)
        area.setSpacing(6)
        self.away_panel = AwayPanel()
        area.addWidget(self.away_panel)
        column.insertWidget(0, self.chat_header)
        column.insertWidget(1, self.reminder_area)
        self.tool_cards: dict[str, ToolCard] = {}
        self.search_dialog: SearchDialog | None = None
        self.memory_dialog: MemoryDialog | None = None
        self.documents_dialog: DocumentsDialog | None = None
        self.agenda_dialog: AgendaDialog | None = None
        self.citation_dialog: CitationDialog | None = None
        self.index_relay = Relay(self._window())
        self.index_relay.event.connect(self._on_index_event)
        self.reminders = ReminderCenter(
            self.core.reminders, self.core.due, area, self.away_panel,
            lambda: self.tray.icon, self._window(),  # type: ignore[attr-defined]
        )
        self.reminders.changed.connect(self._refresh_agenda)
        self.language_notice = LanguageNotice(
            self.core, area, lambda model_id: self.open_models("catalog", model_id)  # type: ignore[attr-defined]
        )
        self.chat_view.citationClicked.connect(self.show_citation)
        #: Tests turn this off to keep the watcher and the embedding thread out of the way.
        self.start_background = True

    def _window(self) -> QMainWindow:
        assert isinstance(self, QMainWindow)
        return self

    def start_assist(self) -> None:
        """After the window shows: the embedding worker and folder watcher (core threads), and
        the reminder timer with its one-time "while you were away"."""
        if self.start_background:
            try:
                self.core.knowledge.start_watching(on_event=self.index_relay)
                self.core.start_background()
            except Exception:  # recall and indexing are extras: the chat must still open
                log.exception("could not start the memory's background work")
        self.reminders.start()
        self.language_notice.at_start()

    def note_language(self, event: Done) -> None:
        """After a turn: the language note, if the model that wrote the reply cannot write Chinese."""
        users = [w for w in self.chat_view.widgets if w.role == "user"]
        text = users[-1].content if users else ""
        self.language_notice.after_reply(event.conversation_id, text, event.n_tokens)

    def shutdown_assist(self) -> None:
        self.reminders.scheduler.stop()
        if self.documents_dialog is not None:
            self.documents_dialog.shutdown()

    def settings_pages(self) -> list[tuple[str, QWidget]]:
        return [(self.tr("Agent"), AgentPage(self.core.agent_store))]

    # the conversation's extras ------------------------------------------------------------
    def decorate_conversation(self, conversation_id: int) -> None:
        """After a conversation is shown: its stored citations and tool cards."""
        conversation = self.core.chats.conversation(conversation_id)
        self.chat_header.set_conversation(conversation_id, conversation.title if conversation else "")
        # A confirmation still waiting (asked while another chat was shown) comes back with it.
        pending = {k: c for k, c in self.tool_cards.items() if c.ticket is not None}
        self.tool_cards = pending
        for widget in self.chat_view.widgets:
            if widget.role == "assistant":
                citations = self.core.memory.citations(widget.message_id)
                if citations:
                    widget.set_citations(citations)
        for record in self.core.agent_store.calls(conversation_id):
            card = ToolCard(record.call_id, record.tool, record.arguments)
            card.finished(record.status, record.summary, record.result, record.duration)
            self.chat_view.add_card(card, record.after_message_id)
        for card in pending.values():
            if card.conversation_id == conversation_id:
                self.chat_view.add_card(card)

    def on_core_event(self, event: object) -> None:
        visible = getattr(event, "conversation_id", self.current_id) == self.current_id
        if isinstance(event, CitationsUsed):
            widget = self.chat_view.widget_for(event.message_id) if visible else None
            if widget is not None:
                widget.set_citations(event.citations)
        elif isinstance(event, ReplyRevised):  # a loop was cut: show the reply as stored
            widget = self.chat_view.widget_for(event.message_id) if visible else None
            if widget is not None:
                widget.set_content(event.text)
        elif isinstance(event, FactSaved):
            self._on_fact_saved(event)
        elif isinstance(event, FactsForgotten):
            self._on_forgotten(event)
        elif isinstance(event, ConfirmationNeeded):
            card = self._card(event.call_id, event.tool, event.arguments, visible, event.conversation_id)
            card.ask(event.action, event.online, event.ticket, event.can_always_allow)
            if not visible:  # never leave the agent waiting on a card nobody can see
                self.notice.show_message(self.tr("A chat in the background is waiting for your "
                                                 "permission to run %1.").replace("%1", event.tool))
        elif isinstance(event, ToolCallStarted):
            self._card(event.call_id, event.tool, event.arguments, visible, event.conversation_id).started(
                event.action)
        elif isinstance(event, ToolResult):
            card = self._card(event.call_id, event.tool, {}, visible, event.conversation_id)
            card.finished(event.status, event.summary, event.content, event.duration_seconds)
            self.reminders.scheduler.rearm()  # a tool may have added, moved or snoozed a reminder
            self._refresh_agenda()

    def _card(
        self,
        call_id: str,
        tool: str,
        arguments: dict[str, object],
        visible: bool,
        conversation: int | None = None,
    ) -> ToolCard:
        card = self.tool_cards.get(call_id)
        if card is None:
            card = ToolCard(call_id, tool, arguments)
            card.conversation_id = conversation
            self.tool_cards[call_id] = card
            if visible:
                self.chat_view.add_card(card)
        return card

    def _on_fact_saved(self, event: FactSaved) -> None:
        if event.status == "approved":
            self.notice.show_message(self.tr("Saved to memory: “%1”").replace("%1", event.text),
                                     timeout_ms=10_000)
        else:
            card = FactCard(event.fact_id, event.text)
            card.decided.connect(lambda fid, ok, c=card: self._decide_fact(c, fid, ok))
            self.chat_view.add_card(card)
        self._refresh_memory()

    def _decide_fact(self, card: FactCard, fact_id: int, approved: bool) -> None:
        fact = self.core.memory.facts.get(fact_id)
        text = fact.text if fact else ""
        if approved:
            self.core.memory.facts.approve(fact_id)
            self.core.memory.notify()
            card.settle(self.tr("Saved to memory: “%1”").replace("%1", text))
        else:
            self.core.memory.facts.delete([fact_id])
            card.settle(self.tr("Not saved: “%1”").replace("%1", text))
        self._refresh_memory()

    def _on_forgotten(self, event: FactsForgotten) -> None:
        if event.fact_ids:
            text = self.tr("Forgot %1 facts: %2").replace("%1", str(len(event.fact_ids))).replace(
                "%2", "; ".join(event.texts))
        else:
            text = self.tr("Nothing in memory matched “%1”.").replace("%1", event.request)
        self.notice.show_message(text, timeout_ms=15_000)
        self._refresh_memory()

    # citations and jumping -----------------------------------------------------------------
    def show_citation(self, citation: Citation) -> CitationDialog:
        if self.citation_dialog is not None:
            self.citation_dialog.close()
        dialog = CitationDialog(citation, self._window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openConversation.connect(self.open_at)
        dialog.destroyed.connect(lambda: setattr(self, "citation_dialog", None))
        self.citation_dialog = dialog
        dialog.show()
        return dialog

    def open_at(self, conversation_id: int, message_id: int = 0) -> None:
        """Show a conversation (selected in the sidebar) scrolled to one message."""
        self.sidebar.filter_box.clear()
        item = self.sidebar.item_for(conversation_id)
        if item is not None:
            self.sidebar.list.setCurrentItem(item)  # opens it through the selected signal
        if self.current_id != conversation_id:
            self.open_conversation(conversation_id)  # type: ignore[attr-defined]
        if message_id:
            QTimer.singleShot(0, lambda: self.chat_view.jump_to(message_id))
        self.show_and_raise()  # type: ignore[attr-defined]

    # panels ------------------------------------------------------------------------------
    def _show(self, dialog: QDialog) -> None:
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def open_search(self) -> SearchDialog:
        if self.search_dialog is None:
            self.search_dialog = SearchDialog(self.core.memory, self._window())
            self.search_dialog.openMessage.connect(self.open_at)
            self.search_dialog.openFile.connect(lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(p)))
            self.search_dialog.openFact.connect(lambda fid: self.open_memory().select(fid))
        self._show(self.search_dialog)
        self.search_dialog.focus()
        return self.search_dialog

    def open_memory(self) -> MemoryDialog:
        if self.memory_dialog is None:
            self.memory_dialog = MemoryDialog(self.core.memory, self.core.chats, self._window())
            self.memory_dialog.openMessage.connect(self.open_at)
        self.memory_dialog.refresh()
        self._show(self.memory_dialog)
        return self.memory_dialog

    def open_documents(self) -> DocumentsDialog:
        if self.documents_dialog is None:
            self.documents_dialog = DocumentsDialog(self.core.knowledge, self._window())
            self.documents_dialog.changed.connect(self.chat_header.refresh)
        self.documents_dialog.refresh()
        self._show(self.documents_dialog)
        return self.documents_dialog

    def open_agenda(self) -> AgendaDialog:
        if self.agenda_dialog is None:
            self.agenda_dialog = AgendaDialog(
                self.core.reminders, lambda: self.core.agent_store.load_settings().zone(), self._window()
            )
            self.agenda_dialog.changed.connect(self.reminders.scheduler.rearm)
        self.agenda_dialog.refresh()
        self._show(self.agenda_dialog)
        return self.agenda_dialog

    def _refresh_memory(self) -> None:
        if self.memory_dialog is not None and self.memory_dialog.isVisible():
            self.memory_dialog.refresh()

    def _refresh_agenda(self) -> None:
        if self.agenda_dialog is not None and self.agenda_dialog.isVisible():
            self.agenda_dialog.refresh()

    def _on_index_event(self, event: object) -> None:
        if self.documents_dialog is not None:
            with contextlib.suppress(RuntimeError):
                self.documents_dialog.handle_event(event)
