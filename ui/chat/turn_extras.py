"""What a turn adds besides its text: citations, facts saved or proposed, tool cards and
confirmations. Also puts the stored ones back when a conversation is shown.

Events the turn's worker has no dedicated signal for arrive in :meth:`TurnExtras.on_event`.
Views that list reminders or facts (Agenda, Memory, the reminder timer) follow the core's
change feed themselves, so nothing here refreshes them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from assistant.core import Core
from assistant.events import ConfirmationNeeded, ReplyRevised, ToolCallStarted, ToolResult
from assistant.memory.events import CitationsUsed, FactSaved, FactsForgotten
from ui.chat.cards import FactCard, ToolCard
from ui.chat.view import ChatView
from ui.widgets.banner import Banner


class TurnExtras(QObject):
    def __init__(self, core: Core, view: ChatView, notice: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.view = view
        self.notice = notice
        #: Tool cards by call id; a confirmation still waiting survives switching chats.
        self.tool_cards: dict[str, ToolCard] = {}

    def decorate(self, conversation_id: int) -> None:
        """After a conversation is shown: its stored citations and tool cards."""
        # A confirmation still waiting (asked while another chat was shown) comes back with it.
        pending = {k: c for k, c in self.tool_cards.items() if c.ticket is not None}
        self.tool_cards = pending
        for widget in self.view.widgets:
            if widget.role == "assistant":
                citations = self.core.memory.citations(widget.message_id)
                if citations:
                    widget.set_citations(citations)
        for record in self.core.agent_store.calls(conversation_id):
            card = ToolCard(record.call_id, record.tool, record.arguments)
            card.finished(record.status, record.summary, record.result, record.duration)
            self.view.add_card(card, record.after_message_id)
        for card in pending.values():
            if card.conversation_id == conversation_id:
                self.view.add_card(card)

    def on_event(self, event: object, visible: bool) -> None:
        """``visible``: the event belongs to the conversation on screen."""
        if isinstance(event, CitationsUsed):
            widget = self.view.widget_for(event.message_id) if visible else None
            if widget is not None:
                widget.set_citations(event.citations)
        elif isinstance(event, ReplyRevised):  # a loop was cut: show the reply as stored
            widget = self.view.widget_for(event.message_id) if visible else None
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
                self.view.add_card(card)
        return card

    def _on_fact_saved(self, event: FactSaved) -> None:
        if event.status == "approved":
            self.notice.show_message(self.tr("Saved to memory: “%1”").replace("%1", event.text),
                                     timeout_ms=10_000)
        else:
            card = FactCard(event.fact_id, event.text)
            card.decided.connect(lambda fid, ok, c=card: self._decide_fact(c, fid, ok))
            self.view.add_card(card)

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

    def _on_forgotten(self, event: FactsForgotten) -> None:
        if event.fact_ids:
            text = self.tr("Forgot %1 facts: %2").replace("%1", str(len(event.fact_ids))).replace(
                "%2", "; ".join(event.texts))
        else:
            text = self.tr("Nothing in memory matched “%1”.").replace("%1", event.request)
        self.notice.show_message(text, timeout_ms=15_000)
