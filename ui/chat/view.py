"""The conversation: one widget per message in a scroll area.

Why widgets and not one big document: while a reply streams only its own label is re-rendered,
so a long history costs nothing per batch. The view auto-scrolls only while the user is at the
bottom; scrolling up to read stops the follow until they scroll back down.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QColor, QDesktopServices, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from assistant.memory.events import Citation
from assistant.store.chats import Message
from ui.chat_cards import citation_by_number, link_markers, sources_html
from ui.markdown import MarkdownRenderer, Rendered, Theme
from ui.stream_body import StreamedBody, message_label

#: Distance (px) from the bottom that still counts as "at the bottom".
STICKY_MARGIN = 24
#: How long a message found by search or a citation stays highlighted.
HIGHLIGHT_MS = 4000


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor(
        round(a.red() * (1 - amount) + b.red() * amount),
        round(a.green() * (1 - amount) + b.green() * amount),
        round(a.blue() * (1 - amount) + b.blue() * amount),
    )


def theme_from_palette(palette: QPalette, copy_label: str) -> Theme:
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    return Theme(dark=dark, mono_family=mono, copy_label=copy_label)


class MessageWidget(QFrame):
    """One message: role line, Markdown body, status marker and actions."""

    linkActivated = Signal(str, object)  # href, the MessageWidget

    def __init__(
        self, message_id: int, role: str, content: str, status: str, renderer: MarkdownRenderer
    ) -> None:
        super().__init__()
        self.message_id = message_id
        self.role = role
        self.content = content
        self.status = status
        self.code_blocks: list[str] = []
        #: Reference material given to the model for this reply ([n] markers link to it).
        self.citations: tuple[Citation, ...] = ()
        self._renderer = renderer
        self.setObjectName("userMessage" if role == "user" else "assistantMessage")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        layout = QVBoxLayout(self)
        self._box = layout
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        self.role_label = QLabel(self._role_text())
        self.role_label.setObjectName("roleLabel")
        self.body = message_label(self._emit_link)
        #: While the reply streams: finished blocks in their own labels (ui/stream_body.py).
        self._streamed: StreamedBody | None = None
        self.footer = QLabel()
        self.footer.setObjectName("messageFooter")
        self.footer.setTextFormat(Qt.TextFormat.RichText)
        self.footer.linkActivated.connect(lambda href: self.linkActivated.emit(href, self))
        self.sources = QLabel()
        self.sources.setObjectName("messageSources")
        self.sources.setTextFormat(Qt.TextFormat.RichText)
        self.sources.setWordWrap(True)
        self.sources.linkActivated.connect(lambda href: self.linkActivated.emit(href, self))
        self.sources.hide()
        layout.addWidget(self.role_label)
        layout.addWidget(self.body)
        layout.addWidget(self.sources)
        layout.addWidget(self.footer)
        self.actions: list[tuple[str, str]] = []
        self.holder: QWidget | None = None  # the row that aligns it; owned by the ChatView
        self.set_content(content, status)

    def _role_text(self) -> str:
        return self.tr("You") if self.role == "user" else self.tr("Assistant")

    def status_text(self) -> str:
        texts = {
            "stopped": self.tr("Stopped"),
            "interrupted": self.tr("Interrupted — the model stopped unexpectedly"),
            "failed": self.tr("Failed"),
            "streaming": self.tr("Writing…"),
        }
        return texts.get(self.status, "")

    def set_content(self, content: str, status: str | None = None) -> None:
        self.content = content
        if status is not None:
            self.status = status
        if self.role == "user":
            # The user's own text is shown as typed (escaped), not as Markdown: what they
            # wrote is what they see.
            import html

            self.body.setText(html.escape(content).replace("\n", "<br>"))
        elif self.status == "streaming":
            self.code_blocks = self._streaming_body().show(content)
        else:
            rendered = self._whole_reply(content)
            self.code_blocks = rendered.code_blocks
            self.body.setText(link_markers(rendered.html, self.citations))
        self._update_sources()
        self._update_footer()

    def _emit_link(self, href: str) -> None:
        self.linkActivated.emit(href, self)

    def _streaming_body(self) -> StreamedBody:
        streamed = self._streamed
        if streamed is None or streamed.renderer is not self._renderer:  # new, or theme changed
            self._end_streaming()
            streamed = StreamedBody(self._renderer, self._box, self.body, self._decorate, self._emit_link)
            self._streamed = streamed
        return streamed

    def _decorate(self, rendered_html: str) -> str:
        return link_markers(rendered_html, self.citations)

    def _whole_reply(self, content: str) -> Rendered:
        """The reply as one document; a reply that just streamed reuses its rendered blocks."""
        streamed = self._streamed
        reuse = streamed is not None and streamed.text == content and streamed.renderer is self._renderer
        rendered = streamed.final() if streamed is not None and reuse else self._renderer.render(content)
        self._end_streaming()
        return rendered

    def _end_streaming(self) -> None:
        if self._streamed is not None:
            self._streamed.close()
            self._streamed = None

    def set_citations(self, citations: tuple[Citation, ...]) -> None:
        self.citations = tuple(citations)
        self._end_streaming()  # the markers change in finished blocks too: show them again
        self.set_content(self.content)

    def _update_sources(self) -> None:
        # Listed once the reply is complete: which [n] it used is only known at the end.
        show = bool(self.citations) and self.status != "streaming"
        if show:
            self.sources.setText(sources_html(self.citations, self.content))
        self.sources.setVisible(show)

    def set_actions(self, actions: list[tuple[str, str]]) -> None:
        """``actions`` are (href, label) pairs shown as links under the message."""
        self.actions = actions
        self._update_footer()

    def _update_footer(self) -> None:
        parts: list[str] = []
        marker = self.status_text()
        if marker and self.status != "complete":
            color = "#c0392b" if self.status in ("interrupted", "failed") else "#8a8a8a"
            parts.append(f'<span style="color:{color};">{marker}</span>')
        parts.extend(f'<a href="{href}">{label}</a>' for href, label in self.actions)
        self.footer.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))
        self.footer.setVisible(bool(parts))


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
        self._container = QWidget()
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
                card.setParent(None)  # type: ignore[call-overload]
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
            while index < self._layout.count() - 1 and self._layout.itemAt(index).widget() in self.cards:
                index += 1
        card.setProperty("anchor", after_message_id)
        self._layout.insertWidget(index, card)
        card.show()
        self.cards.append(card)

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
        return _mix(
            palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight), 0.14
        )
