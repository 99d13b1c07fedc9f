"""The conversation: one widget per message in a scroll area.

Why widgets and not one big document: while a reply streams only its own label is re-rendered,
so a long history costs nothing per batch. The view auto-scrolls only while the user is at the
bottom; scrolling up to read stops the follow until they scroll back down.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from assistant.store.chats import Message
from ui.chat.cards import citation_by_number
from ui.chat.markdown import MarkdownRenderer
from ui.chat.message_widget import MessageWidget, mix, theme_from_palette

#: Distance (px) from the bottom that still counts as "at the bottom".
STICKY_MARGIN = 24
#: How long a message found by search or a citation stays highlighted.
HIGHLIGHT_MS = 4000


class _Messages(QWidget):
    """The column of messages inside the scroll area.

    Its size hint is its minimum size hint. The scroll area asks for the size hint on every
    layout request, and a layout's size hint asks every message its height at the *preferred*
    width (QLabel's ~80 characters) while the scroll area lays them out at the viewport's
    width: Qt's layouts keep one width's answer, so each batch of a streaming reply walked
    the whole conversation twice, and a change of the preferred width (a wide code block
    finishing) laid every message out again (measured with 200 messages: ~400 label queries
    per batch, ~110 ms when a reply ended). Nothing uses the preferred height here: the
    scroll area sizes the column from its height at the viewport's width.
    """

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()


class ChatView(QScrollArea):
    """Shows one conversation; the owner feeds it messages and stream batches."""

    editRequested = Signal(int, str)  # message id, its text
    regenerateRequested = Signal()
    copied = Signal()
    citationClicked = Signal(object)  # Citation

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._renderer = MarkdownRenderer(theme_from_palette(self.palette(), self.tr("Copy")))
        self._container = _Messages()
        self._container.setObjectName("chatContainer")
        self._layout = QVBoxLayout(self._container)
        self._layout.setContentsMargins(24, 16, 24, 16)
        self._layout.setSpacing(12)
        self._layout.addStretch(1)
        self.setWidget(self._container)
        self._placeholder = QLabel(self.tr("Start a conversation: type a message below."))
        self._placeholder.setObjectName("placeholder")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.insertWidget(0, self._placeholder)
        self.widgets: list[MessageWidget] = []
        #: Tool and fact cards between the messages; each has an ``anchor`` message id.
        self.cards: list[QWidget] = []
        self.streaming: MessageWidget | None = None
        self._busy = False
        self._stick = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)
        self._apply_bubble_tint()

    def _apply_bubble_tint(self) -> None:
        # The user bubble's tint is computed from the palette so dark themes stay readable.
        tint = self.user_bubble_color().name()
        self.setStyleSheet(f"QFrame#userMessage {{ background-color: {tint}; border-radius: 12px; }}")

    def changeEvent(self, event: QEvent) -> None:
        """The system switched light/dark: re-render with matching code colours."""
        super().changeEvent(event)
        if event.type() != QEvent.Type.PaletteChange:
            return
        theme = theme_from_palette(self.palette(), self.tr("Copy"))
        if theme == self._renderer.theme:
            return
        self._renderer = MarkdownRenderer(theme)
        for widget in self.widgets:
            widget._renderer = self._renderer
            widget.set_content(widget.content)
        self._apply_bubble_tint()

    # content ---------------------------------------------------------------------------
    def set_messages(self, messages: Iterable[Message]) -> None:
        """Replace the view (switching conversations); the only full rebuild there is."""
        self.clear()
        for message in messages:
            self._append(message.id, message.role, message.content, message.status)
        self._refresh_actions()
        self._stick = True
        self.scroll_to_bottom()

    def clear(self) -> None:
        for widget in self.widgets:
            self._drop(widget)
        for card in self.cards:
            self._layout.removeWidget(card)
            if card.property("pending"):  # a confirmation still waiting: the window keeps it
                card.hide()
                card.setParent(None)
            else:
                card.hide()
                card.deleteLater()
        self.widgets = []
        self.cards = []
        self.streaming = None
        self._placeholder.show()

    def add_message(self, message_id: int, role: str, content: str, status: str = "complete") -> None:
        self._append(message_id, role, content, status)
        self._refresh_actions()
        if role == "user":
            self._stick = True  # the user just sent something: follow the reply
            self.scroll_to_bottom()

    def begin_stream(self, message_id: int, text: str = "") -> None:
        existing = self.widget_for(message_id)
        if existing is None:
            existing = self._append(message_id, "assistant", text, "streaming")
        else:
            existing.set_content(text, "streaming")
        self.streaming = existing
        self._refresh_actions()

    def append_stream(self, text: str) -> None:
        if self.streaming is not None:
            self.streaming.set_content(self.streaming.content + text)

    def finish_stream(self, status: str) -> None:
        if self.streaming is not None:
            self.streaming.set_content(self.streaming.content, status)
            self.streaming = None
        self._refresh_actions()

    def remove_from(self, message_id: int) -> None:
        """Drop this message and everything after it (an edit hides the old branch)."""
        keep = [w for w in self.widgets if w.message_id < message_id]
        for widget in self.widgets[len(keep):]:
            self._drop(widget)
        self.widgets = keep
        for card in [c for c in self.cards if int(c.property("anchor") or 0) >= message_id]:
            self._layout.removeWidget(card)
            card.hide()
            card.deleteLater()
            self.cards.remove(card)
        self._refresh_actions()

    def set_busy(self, busy: bool) -> None:
        """While a reply streams, Edit and Regenerate are hidden (one turn at a time)."""
        self._busy = busy
        self._refresh_actions()

    def warm_up(self) -> None:
        """Render a code block once so pygments is imported before the first reply needs it
        (measured: ~50 ms, a visible hitch if it happens mid-stream)."""
        self._renderer.render("```python\npass\n```")

    def add_card(self, card: QWidget, after_message_id: int | None = None) -> None:
        """Put a tool or fact card after that message (and its earlier cards), or at the end."""
        self._placeholder.hide()
        anchor = self.widget_for(after_message_id) if after_message_id else None
        if anchor is None:
            index = self._layout.count() - 1
            after_message_id = self.widgets[-1].message_id if self.widgets else 0
        else:
            index = self._layout.indexOf(anchor.holder) + 1
            while index < self._layout.count() - 1 and self._is_card(index):
                index += 1
        card.setProperty("anchor", after_message_id)
        self._layout.insertWidget(index, card)
        card.show()
        self.cards.append(card)

    def _is_card(self, index: int) -> bool:
        item = self._layout.itemAt(index)
        return item is not None and item.widget() in self.cards

    def jump_to(self, message_id: int) -> bool:
        """Scroll to a message and highlight it for a moment (search results, citations)."""
        widget = self.widget_for(message_id)
        if widget is None:
            return False
        self._stick = False  # reading an old message: do not follow the bottom
        widget.setProperty("highlighted", True)
        widget.setStyleSheet(
            f"QFrame#{widget.objectName()} {{ border: 2px solid palette(highlight); border-radius: 10px; }}"
        )
        self.ensureWidgetVisible(widget.holder, 0, 60)
        QTimer.singleShot(0, self, lambda: self._reveal(widget))  # again once the layout settled
        QTimer.singleShot(HIGHLIGHT_MS, self, lambda: self._unhighlight(widget))
        return True

    def _shown(self, widget: MessageWidget) -> bool:
        # Identity, not ==: the view may have switched conversations and deleted the widget.
        return any(w is widget for w in self.widgets)

    def _reveal(self, widget: MessageWidget) -> None:
        if self._shown(widget):
            self.ensureWidgetVisible(widget.holder, 0, 60)

    def _unhighlight(self, widget: MessageWidget) -> None:
        if self._shown(widget):
            widget.setProperty("highlighted", False)
            widget.setStyleSheet("")

    def widget_for(self, message_id: int) -> MessageWidget | None:
        return next((w for w in self.widgets if w.message_id == message_id), None)

    # internals -------------------------------------------------------------------------
    def _append(self, message_id: int, role: str, content: str, status: str) -> MessageWidget:
        self._placeholder.hide()
        widget = MessageWidget(message_id, role, content, status, self._renderer)
        widget.linkActivated.connect(self._on_link)
        row = QHBoxLayout()
        # User messages sit on the right as bubbles; replies use the full width.
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        if role == "user":
            row.addStretch(1)
            row.addWidget(widget, 4)
        else:
            row.addWidget(widget)
        self._layout.insertWidget(self._layout.count() - 1, holder)
        widget.holder = holder
        self.widgets.append(widget)
        return widget

    def _drop(self, widget: MessageWidget) -> None:
        self._layout.removeWidget(widget.holder)
        widget.holder.hide()  # gone at once, even before the deferred delete runs
        widget.holder.deleteLater()

    def _refresh_actions(self) -> None:
        last_assistant = next((w for w in reversed(self.widgets) if w.role == "assistant"), None)
        for widget in self.widgets:
            actions: list[tuple[str, str]] = []
            if widget.status != "streaming":
                actions.append(("action:copy", self.tr("Copy")))
            if not self._busy:
                if widget.role == "user":
                    actions.append(("action:edit", self.tr("Edit")))
                elif widget is last_assistant and widget is self.widgets[-1]:
                    actions.append(("action:regenerate", self.tr("Regenerate")))
            widget.set_actions(actions)

    @Slot(str, object)
    def _on_link(self, href: str, widget: MessageWidget) -> None:
        clipboard = QGuiApplication.clipboard()
        if href.startswith("copy:"):
            index = int(href.split(":", 1)[1])
            if 0 <= index < len(widget.code_blocks):
                clipboard.setText(widget.code_blocks[index])
                self.copied.emit()
        elif href == "action:copy":
            clipboard.setText(widget.content)
            self.copied.emit()
        elif href == "action:edit":
            self.editRequested.emit(widget.message_id, widget.content)
        elif href == "action:regenerate":
            self.regenerateRequested.emit()
        elif href.startswith("cite:"):
            found = citation_by_number(widget.citations, int(href.split(":", 1)[1]))
            if found is not None:
                self.citationClicked.emit(found)
        elif href.startswith(("http://", "https://")):
            QDesktopServices.openUrl(QUrl(href))

    def scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._stick = value >= bar.maximum() - STICKY_MARGIN

    @Slot(int, int)
    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._stick:
            self.verticalScrollBar().setValue(maximum)

    def user_bubble_color(self) -> QColor:
        palette = self.palette()
        return mix(
            palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight), 0.14
        )
