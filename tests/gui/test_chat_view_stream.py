"""A long reply streamed into the ChatView: per batch only the open block is shown again, and
the finished reply is exactly (HTML and pixels) what a one-shot render of it shows."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget

from assistant.memory.events import Citation
from assistant.store.chats import Message
from ui.chat.stream_body import MessageLabel
from ui.chat.view import ChatView

pytestmark = pytest.mark.gui

SECTION = (
    "## Step {i}\n\nSome text for step {i} with **bold**, `code` and 中文（第{i}步）[1].\n\n"
    "1. first\n2. second\n\n   more of the second\n\n"
    "```python\nfor n in range({i}):\n    print(n)\n```\n\n"
    "| key | value |\n|-----|-------|\n| {i}   | yes   |\n\n"
)
OPEN_FENCE = "The end, and an open fence:\n\n```sh\necho unfinished"
LONG = "".join(SECTION.format(i=i) for i in range(40)) + OPEN_FENCE


def pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def settle() -> None:
    for _ in range(5):  # nested layouts settle over a few passes of posted events
        QApplication.processEvents()


def labels(widget: QWidget) -> list[MessageLabel]:
    """The body labels on show (dropped chunk labels are hidden until their deferred delete)."""
    return [label for label in widget.findChildren(MessageLabel) if not label.isHidden()]


@pytest.fixture
def make_view(qtbot) -> Iterator[Callable[[], ChatView]]:  # type: ignore[no-untyped-def]
    views: list[ChatView] = []

    def factory() -> ChatView:
        view = ChatView()
        qtbot.addWidget(view)
        view.resize(720, 900)
        view.show()
        views.append(view)
        return view

    yield factory
    # Deleted now, not at interpreter exit: PySide 6.12 can abort while collecting widgets
    # that are still alive then (seen with the old view as well).
    for view in views:
        view.close()
        view.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def stream(view: ChatView, text: str, size: int = 29) -> None:
    view.begin_stream(2)
    for index, piece in enumerate(pieces(text, size)):
        view.append_stream(piece)
        if index % 4 == 0:  # lay out and paint now and then, as the window does between batches
            QApplication.processEvents()


def loaded_view(make_view: Callable[[], ChatView], text: str) -> ChatView:
    """The same reply as opening the conversation shows it: one render of the whole text."""
    view = make_view()
    view.set_messages([Message(2, 1, "assistant", text, "complete", 0.0)])
    settle()
    return view


def test_a_streamed_reply_ends_as_the_one_shot_render(make_view: Callable[[], ChatView]) -> None:
    view = make_view()
    stream(view, LONG, 31)
    widget = view.widgets[0]
    assert len(labels(widget)) > 5  # finished blocks sit in their own labels
    view.finish_stream("complete")
    settle()
    one_shot = view._renderer.render(LONG)
    assert widget.body.text() == one_shot.html
    assert widget.code_blocks == one_shot.code_blocks
    assert labels(widget) == [widget.body]  # one document again
    loaded_chat = loaded_view(make_view, LONG)
    loaded = loaded_chat.widgets[0].body
    assert loaded.text() == widget.body.text()
    assert widget.body.size() == loaded.size()
    assert widget.body.grab().toImage() == loaded.grab().toImage()


def test_each_batch_shows_only_the_open_block(make_view: Callable[[], ChatView]) -> None:
    view = make_view()
    view.begin_stream(2)
    widget = view.widgets[0]
    per_batch = []
    for piece in pieces(LONG, 23):
        before = {id(label): label.text() for label in labels(widget)}
        view.append_stream(piece)
        changed = [label.text() for label in labels(widget) if before.get(id(label)) != label.text()]
        per_batch.append(sum(len(text) for text in changed))
    # The old view set the whole reply (tens of kB of HTML) on every batch; now a batch sets
    # the open block and, when a block finishes, one chunk label of at most ~1 kB plus it.
    assert len(view._renderer.render(LONG).html) > 30_000
    assert max(per_batch) < 3_000
    assert len(labels(widget)) > 5


def test_a_revised_reply_and_a_stop_mid_block_end_as_one_shot(make_view: Callable[[], ChatView]) -> None:
    view = make_view()
    stream(view, LONG[:3000])
    widget = view.widgets[0]
    revised = LONG[:1200] + "\n\n(The reply repeated itself and was cut here.)"
    widget.set_content(revised)  # as the window does on ReplyRevised, still streaming
    view.append_stream("\n\n```py\nstill open")  # a stop in the middle of a code block
    view.finish_stream("stopped")
    settle()
    content = revised + "\n\n```py\nstill open"
    assert widget.content == content
    assert widget.body.text() == view._renderer.render(content).html
    assert "Stopped" in widget.footer.text()
    assert labels(widget) == [widget.body]


def test_citations_that_arrive_mid_stream_link_in_finished_blocks(make_view: Callable[[], ChatView]) -> None:
    view = make_view()
    stream(view, LONG[:2500])
    widget = view.widgets[0]
    widget.set_citations((Citation(1, "fact", "A saved fact", "snippet"),))
    shown = "".join(label.text() for label in labels(widget))
    assert 'href="cite:1"' in shown
    view.append_stream(LONG[2500:3000])
    view.finish_stream("complete")
    assert widget.body.text().count('href="cite:1"') == LONG[:3000].count("[1]")


def test_an_empty_reply_waits_then_shows_text(make_view: Callable[[], ChatView]) -> None:
    view = make_view()
    view.begin_stream(2)
    assert view.widgets[0].body.text() == "<i>…</i>"
    view.append_stream("Hi")
    assert view.widgets[0].body.text() == "<p>Hi</p>\n"
