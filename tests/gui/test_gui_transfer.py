"""Export and import in the window: the dialogs, real files, a real second profile, sending
paused while an import holds the database, Cancel, and closing the window mid-import.

Offscreen Qt, real SQLite, the scripted engine. A gate in front of the real ``run_import``
holds the worker at its start where a test must look at the window *while* it imports.
"""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractItemView

from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.transfer import export_conversations, preview_import
from tests.support import gui_helpers
from tests.support.gui_helpers import send
from ui.chat import import_dialog
from ui.chat.export_dialog import default_name, unused_path
from ui.chat.import_dialog import ImportDialog

#: A bound on background work, generous because a shared 2-core machine can stall it for seconds.
BACKGROUND_MS = 30_000

pytestmark = pytest.mark.gui
TITLES = ["Trip to Lisbon", "Tax <b>questions</b> 税务"]


@pytest.fixture
def other_export(tmp_path: Path) -> Path:
    """A JSON export of another profile: two chats, five messages."""
    core = Core.open(engine=ScriptedEngine(), path=tmp_path / "other" / "assistant.db")
    try:
        first = core.chats.create_conversation()
        core.chats.add_message(first, "user", "Where should we eat in Lisbon?")
        core.chats.add_message(first, "assistant", "Try Alfama.")
        core.chats.add_message(first, "user", "And for dessert?")
        core.chats.rename_conversation(first, TITLES[0])
        second = core.chats.create_conversation()
        core.chats.add_message(second, "user", "When is the tax deadline?")
        core.chats.add_message(second, "assistant", "It depends on the country.")
        core.chats.rename_conversation(second, TITLES[1])
        out = tmp_path / "other-export.json"
        export_conversations(core, None, "json", out)
    finally:
        core.close()
    return out


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The import worker waits for ``gate.set()`` before it calls the real run_import."""
    event = threading.Event()
    real = import_dialog.run_import

    def gated(*args: object, **kwargs: object) -> object:
        assert event.wait(10), "the test never opened the gate"
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(import_dialog, "run_import", gated)
    yield event
    event.set()  # never leave a worker waiting


def previewed(qtbot, window, path: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    dialog = window.chat.transfer.open_import(path)
    qtbot.waitUntil(lambda: dialog.preview is not None or dialog.import_button.isHidden(),
                    timeout=BACKGROUND_MS)
    return dialog


def wait_ended(qtbot, dialog: ImportDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not dialog.running, timeout=BACKGROUND_MS)


def test_default_export_names_are_safe_and_never_overwrite(tmp_path: Path) -> None:
    day = datetime.date(2026, 12, 3)
    assert default_name('Plans: a/b "x"?', "markdown", day) == "Plans a b x-2026-12-03.md"
    assert default_name(None, "json", day) == "chats-2026-12-03.json"
    assert default_name("...", "json", day) == "chats-2026-12-03.json"
    taken = tmp_path / "chats.json"
    taken.write_text("{}")
    assert unused_path(taken) == tmp_path / "chats (2).json"


def test_export_dialog_writes_a_file_that_import_accepts(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window(ScriptedEngine(["Hello there, friend."], token_delay=0.0))
    send(qtbot, window, "Say hello to 世界")
    send(qtbot, window, "Once more")
    dialog = window.chat.transfer.export_chats()
    assert dialog.one.isChecked() and "Say hello" in dialog.one.text()
    assert dialog.path().suffix == ".md" and dialog.path().name.startswith("Say hello")
    dialog.json.setChecked(True)
    assert dialog.path().suffix == ".json"  # the suggested name follows the format

    target = tmp_path / "out" / "one-chat.json"
    target.parent.mkdir()
    dialog.set_path(target)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=BACKGROUND_MS)
    assert dialog.status.text().startswith("Exported 1 chat (4 messages) to ")
    assert str(target) in dialog.status.text() and dialog.show_folder.isVisible()
    preview = preview_import(target)
    assert preview.ok and preview.format == "ours"
    assert (preview.conversations, preview.messages) == (1, 4)
    # Into this same profile it would add nothing: the chat is already here.
    assert preview_import(target, window.core).already_imported == 1

    dialog.markdown.setChecked(True)
    assert dialog.path() == target.with_suffix(".md")  # the user's name keeps, the suffix follows
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.summary is not None and dialog.summary.path.suffix == ".md",
                    timeout=BACKGROUND_MS)
    text = target.with_suffix(".md").read_text(encoding="utf-8")
    assert "Say hello to 世界" in text and "Hello there, friend." in text


def test_export_of_all_chats_and_a_clear_error(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window(ScriptedEngine(["Fine."], token_delay=0.0))
    send(qtbot, window, "first chat")
    window.chat.new_chat()
    send(qtbot, window, "second chat")
    dialog = window.chat.transfer.export_chats()
    dialog.all.setChecked(True)
    assert dialog.ids() is None and dialog.path().name.startswith("chats-")
    dialog.set_path(tmp_path / "missing-folder" / "all.md")
    dialog.export_button.click()
    assert "does not exist" in dialog.status.text() and dialog.summary is None
    dialog.set_path(tmp_path / "all.md")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=BACKGROUND_MS)
    assert dialog.summary.conversations == 2
    assert "first chat" in (tmp_path / "all.md").read_text(encoding="utf-8")


def test_sidebar_export_opens_the_dialog_on_that_chat(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["Ok."], token_delay=0.0))
    send(qtbot, window, "about gardening")
    garden = window.chat.current_id
    window.chat.new_chat()
    send(qtbot, window, "about cooking")
    window.sidebar.exportRequested.emit(garden)
    dialog = window.chat.transfer.export_dialog
    assert dialog is not None and dialog.conversation_id == garden and "gardening" in dialog.one.text()
    assert {"export", "import"} <= set(window.actions_by_name)


def test_a_selection_of_chats_is_exported_together(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window(ScriptedEngine(["Ok."], token_delay=0.0))
    for text in ("about gardening", "about cooking", "about sailing"):
        window.chat.new_chat()
        send(qtbot, window, text)
    ids = {title: window.sidebar.item_for(cid) for cid, title in
           ((c.id, c.title) for c in window.core.chats.list_conversations())}
    picked = [item for title, item in ids.items() if "sailing" not in title]
    window.sidebar.list.clearSelection()
    for item in picked:
        item.setSelected(True)  # what Ctrl-click does
    chosen = window.sidebar.selected_ids()
    assert len(chosen) == 2
    dialog = window.chat.transfer.export_chats()  # File → Export chats… with two chats selected
    assert dialog.some.isVisible() and dialog.some.isChecked() and "2" in dialog.some.text()
    assert sorted(dialog.ids() or []) == sorted(chosen)
    dialog.json.setChecked(True)
    dialog.set_path(tmp_path / "two.json")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=BACKGROUND_MS)
    assert dialog.summary.conversations == 2
    preview = preview_import(tmp_path / "two.json")
    assert preview.ok and preview.conversations == 2
    text = (tmp_path / "two.json").read_text(encoding="utf-8")
    assert "gardening" in text and "cooking" in text and "sailing" not in text
    window.sidebar.list.clearSelection()
    window.sidebar.item_for(chosen[0]).setSelected(True)  # type: ignore[union-attr]
    assert not window.chat.transfer.export_chats().some.isVisible()  # one chat: no selection choice


def test_import_preview_then_import_pauses_sending_and_fills_the_sidebar(
    make_window, qtbot, other_export: Path, gate: threading.Event
) -> None:
    window = make_window(ScriptedEngine(["Reply."], token_delay=0.0))
    dialog = previewed(qtbot, window, other_export)
    assert dialog.kind.text() == "An export of Offline Assistant"
    assert dialog.counts.text() == "2 chats, 5 messages"
    today = datetime.date.today().isoformat()
    assert dialog.dates.text() == today  # all written just now
    assert dialog.import_button.isEnabled() and not window.core.chats.list_conversations()

    dialog.import_button.click()
    # The worker waits at the gate: the window is importing now.
    assert window.chat.transfer.importing and window.composer.paused
    assert not window.composer.button.isEnabled()
    assert "paused" in window.status.state_label.text() and "paused" in window.composer.button.toolTip()
    assert window.notice.isVisible() and "paused" in window.notice.label.text()
    # Renaming and deleting would wait on the import's lock on the GUI thread: switched off.
    assert window.sidebar.changes_paused
    assert window.sidebar.list.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    window.composer.set_text("a message during the import")
    window.composer._on_submit()  # Enter
    window.chat.send("a message during the import")  # and straight at the window
    assert window.chat.worker is None and window.composer.text() == "a message during the import"

    gate.set()
    wait_ended(qtbot, dialog)
    assert dialog.summary is not None and dialog.summary.conversations == 2
    assert dialog.heading.text() == "Imported 2 chats with 5 messages."
    assert not window.composer.paused and window.composer.button.isEnabled()
    assert not window.notice.isVisible() and not window.sidebar.changes_paused
    assert window.sidebar.list.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    assert set(window.sidebar.titles()) == set(TITLES)  # shown as text, tags and all
    # Sending works again.
    send(qtbot, window, "after the import")
    assert window.chat.worker is None
    assert window.core.chats.messages(window.chat.current_id)[-1].content == "Reply."

    # The same file again: nothing new, and the dialog says so.
    again = previewed(qtbot, window, other_export)
    qtbot.waitUntil(lambda: again.preview is not None, timeout=BACKGROUND_MS)
    assert again.preview.conversations == 0 and again.preview.already_imported == 2
    assert "Nothing new" in again.heading.text() and again.import_button.isHidden()


def test_preview_of_a_bad_file_explains_and_offers_no_import(make_window, qtbot, tmp_path: Path) -> None:
    window = make_window()
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps({"format": "offline-assistant-chats"})[:-5], encoding="utf-8")
    dialog = previewed(qtbot, window, bad)
    qtbot.waitUntil(lambda: dialog.import_button.isHidden(), timeout=BACKGROUND_MS)
    assert dialog.heading.text() == "This file cannot be imported."
    assert "ends too early" in dialog.details.text()  # the core's reason, below the headline
    assert dialog.heading.objectName() == "errorText" and dialog.cancel_button.text() == "Close"


def test_cancel_imports_nothing(make_window, qtbot, other_export: Path, gate: threading.Event) -> None:
    window = make_window()
    dialog = previewed(qtbot, window, other_export)
    dialog.import_button.click()
    assert window.composer.paused
    dialog.cancel_button.click()
    assert dialog.heading.text() == "Cancelling…" and dialog.isVisible()
    gate.set()
    wait_ended(qtbot, dialog)
    assert dialog.heading.text() == "Import cancelled; nothing was imported."
    assert dialog.summary is None and window.core.chats.list_conversations() == []
    assert not window.composer.paused and window.sidebar.titles() == []


def test_import_waits_for_a_reply_being_written(make_window, qtbot, other_export: Path) -> None:
    window = make_window(ScriptedEngine(["a slow reply " * 20], token_delay=0.05))
    dialog = previewed(qtbot, window, other_export)
    window.composer.set_text("write slowly")
    window.composer.button.click()
    qtbot.waitUntil(lambda: window.chat.worker is not None, timeout=5000)
    dialog.import_button.click()
    assert not dialog.running and "reply is being written" in dialog.heading.text()
    window.chat.stop()
    gui_helpers.wait_idle(qtbot, window)


def test_closing_the_window_mid_import_cancels_it(
    make_window, qtbot, other_export: Path, gate: threading.Event
) -> None:
    window = make_window()
    dialog = previewed(qtbot, window, other_export)
    dialog.import_button.click()
    worker = dialog.import_worker
    assert worker is not None
    opener = threading.Timer(0.2, gate.set)  # the worker reaches its cancel check after this
    opener.start()
    window.desktop.quit_app()
    opener.join()
    assert not worker.is_running()
    assert window.core.chats.list_conversations() == []  # rolled back: nothing half-imported

