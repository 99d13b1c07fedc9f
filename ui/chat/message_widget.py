"""One message in the chat view: role line, Markdown body (rendered block by block while it
streams), sources, status marker and action links."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from assistant.memory.events import Citation
from ui.chat.cards import link_markers, sources_html
from ui.chat.markdown import MarkdownRenderer, Rendered, Theme
from ui.chat.stream_body import StreamedBody, message_label


def mix(a: QColor, b: QColor, amount: float) -> QColor:
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
    #: The row that aligns it in the view (right for the user); set by the ChatView showing it.
    holder: QWidget

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
        #: While the reply streams: finished blocks in their own labels (ui/chat/stream_body.py).
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
        self.link_actions: list[tuple[str, str]] = []
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
        self.link_actions = actions
        self._update_footer()

    def _update_footer(self) -> None:
        parts: list[str] = []
        marker = self.status_text()
        if marker and self.status != "complete":
            color = "#c0392b" if self.status in ("interrupted", "failed") else "#8a8a8a"
            parts.append(f'<span style="color:{color};">{marker}</span>')
        parts.extend(f'<a href="{href}">{label}</a>' for href, label in self.link_actions)
        self.footer.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))
        self.footer.setVisible(bool(parts))
