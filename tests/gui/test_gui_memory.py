"""Memory and documents in the window: citations, search, the Memory and Documents panels.

Offscreen Qt, real SQLite; the memory uses the fast hashing embedder from memory_fixtures so
no test waits for the real model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engine.fake import ScriptedEngine
from assistant.knowledge.events import IndexFinished, IndexProgress, IndexStarted
from assistant.memory.worker import pending_count
from tests.support.gui_helpers import send
from tests.support.memory_fixtures import HashEmbedder
from ui.chat.cards import FactCard
from ui.memory.memory_dialog import TEXT, WHERE

pytestmark = pytest.mark.gui
SECRET = "The wifi password at the lake cabin is bluefalcon42"


def window_with(make_window, replies: list[str], background: bool = False):  # type: ignore[no-untyped-def]
    engine = ScriptedEngine(replies, token_delay=0.0)
    return make_window(engine, embedder=HashEmbedder(), background=background)


def wait_embedded(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Earlier chats are recalled by meaning only once the background worker embedded them."""
    memory = window.core.memory
    qtbot.waitUntil(lambda: pending_count(memory.database, memory.embedder.model_id) == 0, timeout=15_000)


def test_citation_opens_the_earlier_conversation(make_window, qtbot) -> None:
    window = window_with(make_window, ["Noted.", "It is bluefalcon42 [1]."], background=True)
    send(qtbot, window, SECRET)
    wait_embedded(qtbot, window)
    first = window.chat.current_id
    source_id = window.chat_view.widgets[0].message_id
    window.chat.new_chat()
    send(qtbot, window, "What is the wifi password at the lake cabin?")
    reply = window.chat_view.widgets[-1]
    assert reply.citations, "the earlier chat was given to the model as reference material"
    assert 'href="cite:1"' in reply.body.text()  # the [1] marker in the text is a link
    assert not reply.sources.isHidden() and "Sources" in reply.sources.text()
    citation = reply.citations[0]
    assert citation.kind == "message" and citation.conversation_id == first
    reply.sources.linkActivated.emit("cite:1")
    dialog = window.dialogs.citation_dialog
    assert dialog is not None and "bluefalcon42" in dialog.passage.toPlainText()
    assert dialog.open_button is not None
    dialog.open_button.click()
    assert window.chat.current_id == first
    assert window.sidebar.current_id() == first
    qtbot.waitUntil(lambda: bool(window.chat_view.widget_for(citation.message_id or source_id)
                                 .property("highlighted")))
    # Reopening the second chat shows its citations again (stored with the reply).
    second = window.sidebar.list.item(0)
    window.sidebar.list.setCurrentItem(second)
    assert window.chat_view.widgets[-1].citations


def test_search_finds_a_message_and_opens_it(make_window, qtbot) -> None:
    window = window_with(make_window, ["Noted.", "Sure."])
    send(qtbot, window, SECRET)
    first = window.chat.current_id
    target = window.chat_view.widgets[0].message_id
    window.chat.new_chat()
    send(qtbot, window, "Something else entirely")
    dialog = window.dialogs.open_search()
    dialog.box.setText("bluefalcon")
    qtbot.waitUntil(lambda: bool(dialog.hits) and dialog.worker is None, timeout=10_000)
    hit = dialog.hits[0]
    assert hit.conversation_id == first and hit.message_id == target
    label = dialog.results.itemWidget(dialog.results.item(0))
    assert "background-color" in label.text()  # the matched word is highlighted
    dialog.results.itemClicked.emit(dialog.results.item(0))
    assert window.chat.current_id == first
    qtbot.waitUntil(lambda: bool(window.chat_view.widget_for(target).property("highlighted")))


def test_memory_panel_edit_delete_and_turn_off(make_window, qtbot) -> None:
    window = window_with(make_window, ["Okay."])
    send(qtbot, window, "Remember that my sister's birthday is 3 May")
    assert window.notice.isVisible() and "Saved to memory" in window.notice.label.text()
    panel = window.dialogs.open_memory()
    assert panel.tree.topLevelItemCount() == 1
    item = panel.tree.topLevelItem(0)
    assert "3 May" in item.text(TEXT)
    assert item.text(WHERE) == window.core.chats.conversation(window.chat.current_id).title
    item.setText(TEXT, "My sister's birthday is 4 May")  # what the in-place editor does
    (fact,) = window.core.memory.facts.list()
    assert fact.text == "My sister's birthday is 4 May"
    panel.tree.topLevelItem(0).setSelected(True)
    panel.delete_selected()
    assert window.core.memory.facts.list() == [] and panel.tree.topLevelItemCount() == 0
    panel.enabled.setChecked(False)
    assert window.core.memory.settings.enabled is False
    assert panel.off_note.isVisible()
    send(qtbot, window, "Remember that I like green tea")
    assert window.core.memory.facts.list() == []


def test_proposed_fact_needs_one_click(make_window, qtbot) -> None:
    window = window_with(make_window, ["Good to know."])
    send(qtbot, window, "I'm vegetarian")
    (card,) = [c for c in window.chat_view.cards if isinstance(c, FactCard)]
    (fact,) = window.core.memory.facts.list()
    assert fact.status == "proposed"
    card.approve_button.click()
    assert window.core.memory.facts.get(fact.id).status == "approved"  # type: ignore[union-attr]
    assert "Saved to memory" in card.label.text()


def test_forget_shows_how_many(make_window, qtbot) -> None:
    window = window_with(make_window, ["Okay.", "Done."])
    send(qtbot, window, "Remember that my locker code is 4711")
    send(qtbot, window, "Forget my locker code")
    assert "Forgot 1" in window.notice.label.text()


def test_documents_add_folder_progress_and_skipped(make_window, qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "budget.md").write_text("# Budget\n\nThe travel budget for 2031 is 4 000 euros.\n")
    (folder / "plants.txt").write_text("Water the fern every Tuesday.\n")
    (folder / "broken.md").write_bytes(bytes(range(256)) * 64)  # binary named .md
    window = window_with(make_window, ["ok"])
    panel = window.dialogs.open_documents()
    seen: list[object] = []
    panel.handle_event = (lambda original: lambda e: (seen.append(e), original(e)))(panel.handle_event)
    panel.add(folder)
    (collection,) = window.core.knowledge.collections.list()
    card = panel.cards[collection.id]
    qtbot.waitUntil(lambda: not panel.jobs, timeout=60_000)
    kinds = [type(e) for e in seen]
    assert IndexStarted in kinds and IndexProgress in kinds and IndexFinished in kinds
    progress = [e for e in seen if isinstance(e, IndexProgress)]
    assert progress[-1].files_done == progress[-1].files_total == 3
    assert not card.progress.isVisible()
    assert "2 of 3 files indexed" in card.status_label.text() and "last indexed" in card.status_label.text()
    assert card.skipped_toggle.isVisible() and "(1)" in card.skipped_toggle.text()
    card.skipped_toggle.click()
    assert "broken.md" in card.skipped_list.text()
    # The chat header lists it, and a chat can switch it off.
    send(qtbot, window, "hello")
    assert window.chat_header.enabled_ids() == [collection.id]
    window.chat_header.set_enabled(collection.id, False)
    assert window.core.knowledge.collections.enabled_for(window.chat.current_id) == []
    assert "0 of 1" in window.chat_header.documents.text()
