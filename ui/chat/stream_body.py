"""The body of a reply while it streams: finished blocks stay put, only the open part changes.

A QLabel lays out its whole document again on every ``setText``, so one label holding the
whole reply costs more with every batch (measured: ~130 ms per batch at 16 000 characters).
While streaming, finished blocks go into a few *chunk* labels above the body label (each
filled up to :data:`CHUNK_HTML_CHARS`, then left alone) and the body shows only the open
part, so a batch costs the same at the end of a long reply as at its start. When the reply
ends, the body gets the whole reply in one label again, exactly as a reply loaded from the
database is shown (the spacing between chunks is close to, not exactly, one document's).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.chat.markdown import MarkdownRenderer, Rendered
from ui.chat.markdown_stream import StreamingMarkdown

#: A chunk label takes finished blocks until its HTML is this long; re-setting it when a
#: block finishes then costs a bounded amount, and a long reply needs few labels.
CHUNK_HTML_CHARS = 1000
#: Shown while a reply has no text yet.
WAITING_HTML = "<i>…</i>"


class MessageLabel(QLabel):
    """A word-wrapped rich-text label that remembers its height for each width.

    QLabel lays its whole document out again for every ``heightForWidth`` query, and the
    chat's nested layouts ask for every label of a message each time one of them changes
    (measured: ~3 ms per 4 000-character label, per query). The answers only change with
    the text, the font or the style, so they are kept until one of those changes.
    """

    def __init__(self) -> None:
        super().__init__()
        self._heights: dict[int, int] = {}

    def setText(self, text: str) -> None:
        self._heights.clear()
        super().setText(text)

    def clear(self) -> None:
        self._heights.clear()
        super().clear()

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = super().heightForWidth(width)
            self._heights[width] = height
        return height

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
        super().changeEvent(event)


def message_label(on_link: Callable[[str], None]) -> MessageLabel:
    """A selectable rich-text label for a message body (the body and each chunk)."""
    label = MessageLabel()
    label.setObjectName("messageBody")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.LinksAccessibleByMouse
        | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    )
    label.setOpenExternalLinks(False)  # links go through the owner: copy:, cite:, http:
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    label.linkActivated.connect(on_link)
    return label


class StreamedBody:
    """Drives one message's labels while its reply streams."""

    def __init__(
        self,
        renderer: MarkdownRenderer,
        layout: QVBoxLayout,
        body: QLabel,
        decorate: Callable[[str], str],
        on_link: Callable[[str], None],
    ) -> None:
        self.renderer = renderer
        self.text: str | None = None  # the text last shown, as given
        self._markdown = StreamingMarkdown(renderer)
        self._layout = layout
        self._body = body
        self._decorate = decorate  # e.g. [n] citation markers into links
        self._on_link = on_link
        self._holder: QWidget | None = None
        self._holder_layout: QVBoxLayout | None = None
        self._chunks: list[QLabel] = []
        self._last_chunk_html: list[str] = []

    def show(self, text: str) -> list[str]:
        """Show ``text`` (the whole reply so far); returns its code blocks for Copy."""
        update = self._markdown.feed(text)
        self.text = text
        if update.restarted:
            self._drop_chunks()
        for html in update.finished:
            self._add_finished(self._decorate(html))
        if update.open_html or not text:
            self._body.setText(self._decorate(update.open_html) if text else WAITING_HTML)
        else:
            self._body.clear()  # only blank lines after the last finished block
        return update.code_blocks

    def final(self) -> Rendered:
        """The whole reply, identical to a one-shot render of the text last shown."""
        return self._markdown.final()

    def close(self) -> None:
        """The reply is shown whole in the body now: drop the chunk labels."""
        self._drop_chunks()
        if self._holder is not None:
            self._layout.removeWidget(self._holder)
            self._holder.hide()
            self._holder.deleteLater()
            self._holder = None
            self._holder_layout = None

    def _add_finished(self, html: str) -> None:
        size = sum(len(part) for part in self._last_chunk_html)
        if not self._chunks or size + len(html) > CHUNK_HTML_CHARS:
            self._chunks.append(self._new_chunk())
            self._last_chunk_html = []
        self._last_chunk_html.append(html)
        self._chunks[-1].setText("".join(self._last_chunk_html))

    def _new_chunk(self) -> QLabel:
        if self._holder_layout is None:
            self._holder = QWidget()
            self._holder_layout = QVBoxLayout(self._holder)
            self._holder_layout.setContentsMargins(0, 0, 0, 0)
            self._holder_layout.setSpacing(0)
            self._layout.insertWidget(self._layout.indexOf(self._body), self._holder)
        label = message_label(self._on_link)
        self._holder_layout.addWidget(label)
        return label

    def _drop_chunks(self) -> None:
        for label in self._chunks:
            label.hide()
            label.deleteLater()
        self._chunks = []
        self._last_chunk_html = []
