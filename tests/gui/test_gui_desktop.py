"""Desktop citizen and start-up faults: single instance, tray/close policy, geometry, shortcuts,
preload queueing, damaged / unmigratable / unwritable databases (offscreen Qt)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication

from assistant.core import Core
from assistant.desktop import autostart
from assistant.engine.base import EngineConfig, EngineEvent
from assistant.engine.fake import ScriptedEngine
from assistant.store import backup
from assistant.store.db import MigrationFailed
from tests.support import gui_helpers
from tests.support.gui_helpers import send, shown, wait_idle
from ui.app import startup
from ui.app.single_instance import NEW_CHAT, SHOW, InstanceServer, send_to_running, server_name
from ui.app.tray import CANCEL, MINIMIZE, QUIT
from ui.shell.help_dialogs import about_text, shortcut_rows
from ui.shell.window import MainWindow

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
LONG_REPLY = " ".join(f"word{i}" for i in range(200))


# single instance ---------------------------------------------------------------------------
@pytest.fixture
def instance_server(home: Path) -> Iterator[InstanceServer]:
    server = InstanceServer()
    assert server.listen()
    yield server
    server.close()


def test_second_start_raises_the_window(make_window, instance_server, qtbot) -> None:
    window = make_window()
    instance_server.messageReceived.connect(window.desktop.handle_instance_message)
    window.hide()
    assert send_to_running(SHOW)
    qtbot.waitUntil(window.isVisible)


def test_second_start_with_new_chat_while_generating(make_window, instance_server, qtbot) -> None:
    """The first instance keeps generating; the view switches to a new, empty chat."""
    # Long enough (≤ 30 s) to still be generating after a Python process has started.
    window = make_window(ScriptedEngine([LONG_REPLY * 5], token_delay=0.03))
    instance_server.messageReceived.connect(window.desktop.handle_instance_message)
    window.composer.set_text("write a lot")
    window.composer.button.click()
    qtbot.waitUntil(lambda: window.chat.worker is not None and window.chat.worker.tokens > 3)
    first = window.chat.current_id
    # A real second process, exactly as the desktop's "New chat" action starts it.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    code = "from ui.app.main import main; raise SystemExit(main(['--new-chat']))"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20_000)
    assert proc.returncode == 0
    qtbot.waitUntil(lambda: window.chat.current_id is None)
    assert window.chat.worker is not None, "the reply is still being generated"
    tokens = window.chat.worker.tokens
    qtbot.waitUntil(lambda: window.chat.worker is not None and window.chat.worker.tokens > tokens + 3)
    window.chat.stop()  # keep the test short; the reply so far is saved with the first chat
    wait_idle(qtbot, window)
    reply = window.core.chats.messages(first)[-1]
    assert reply.status == "stopped" and reply.content.startswith("word0 word1")
    assert window.chat.current_id is None


def test_server_name_depends_on_the_profile(home: Path, monkeypatch) -> None:
    name = server_name()
    monkeypatch.setenv("ASSISTANT_HOME", str(home / "other"))
    assert server_name() != name
    assert not send_to_running(NEW_CHAT)  # nobody listens for that profile


# tray and closing --------------------------------------------------------------------------
def test_no_tray_close_asks_and_respects_the_answer(home: Path, qtbot) -> None:
    answers = [CANCEL, MINIMIZE, QUIT]
    asked: list[str] = []

    def ask(_parent: object) -> tuple[str, bool]:
        asked.append(answers[len(asked)])
        return asked[-1], False

    core = Core.open(engine=ScriptedEngine())
    window = MainWindow(core, tray_available=lambda: False, ask_close=ask)
    window.desktop.quit_hook = lambda: None
    qtbot.addWidget(window)
    window.show()
    window.close()
    assert window.isVisible() and not window.desktop.quitting  # Cancel
    window.close()
    assert window.isVisible() and not window.desktop.quitting  # Minimize keeps it running
    window.close()
    assert window.desktop.quitting and not window.isVisible()  # Quit
    assert asked == [CANCEL, MINIMIZE, QUIT]
    core.close()


def test_remembered_close_answer_is_not_asked_again(home: Path, qtbot) -> None:
    asked: list[int] = []
    core = Core.open(engine=ScriptedEngine())
    window = MainWindow(core, tray_available=lambda: False,
                        ask_close=lambda _p: (asked.append(1), (MINIMIZE, True))[1])
    qtbot.addWidget(window)
    window.show()
    window.close()
    window.close()
    assert asked == [1]
    window.desktop.quit_hook = lambda: None
    window.desktop.quit_app()
    core.close()


def test_with_a_tray_close_hides_and_keeps_running(make_window, qtbot) -> None:
    window = make_window(tray=True)
    assert window.desktop.tray.icon is not None
    window.close()
    assert not window.isVisible() and not window.desktop.quitting
    window.desktop.handle_instance_message(SHOW)
    assert window.isVisible()


# geometry, shortcuts, about, diagnostics ---------------------------------------------------
def test_geometry_and_splitter_are_restored(make_window) -> None:
    window = make_window()
    window.setGeometry(QRect(40, 30, 700, 520))  # fits the 800x600 offscreen screen
    window.splitter.setSizes([300, 400])
    saved = window.splitter.sizes()[0]
    gui_helpers.close(window, window.core)
    again = make_window()
    assert (again.width(), again.height()) == (700, 520)
    assert again.splitter.sizes()[0] == saved


def test_shortcuts_are_listed_and_work(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["ok"]))
    rows = dict(shortcut_rows(window.actions_by_name))
    for name in ("New chat", "Find chat", "Regenerate last reply", "Settings", "Quit", "Next chat"):
        assert name in rows, name
    assert "Ctrl+N" in rows["New chat"] and "Ctrl+K" in rows["Find chat"]
    assert "assistant --new-chat" in rows.values()
    dialog = window.dialogs.show_shortcuts(window.actions_by_name)
    assert dialog.table.rowCount() == len(rows)
    dialog.close()
    send(qtbot, window, "first")
    window.chat.new_chat()
    send(qtbot, window, "second")
    window.actions_by_name["next"].trigger()
    assert [m[1] for m in shown(window)] == ["first", "ok"]
    window.actions_by_name["new"].trigger()
    assert window.chat.current_id is None


def test_about_and_diagnostics(make_window, qtbot) -> None:
    window = make_window(ScriptedEngine(["a private reply"]))
    text = about_text()
    assert "PySide6" in text and "llama-cpp-python" in text and "Qt" in text
    assert "llama_cpp" not in sys.modules  # versions come from metadata, never an import
    send(qtbot, window, "my secret question")
    copied = window.dialogs.copy_diagnostics()
    assert QGuiApplication.clipboard().text() == copied
    assert "data folder" in copied and "backend" in copied
    assert "secret" not in copied and "private" not in copied


def test_settings_shows_backend_and_sets_autostart(make_window, home: Path) -> None:
    window = make_window()
    dialog = window.dialogs.settings_dialog()
    assert "Backend: CPU" in dialog.engine_label.text()
    assert not dialog.autostart.isChecked()
    dialog.autostart.setChecked(True)
    window.dialogs.apply_settings(dialog)
    assert autostart.is_enabled()
    assert (home.parent / "config" / "autostart" / "offline-assistant.desktop").is_file()


def test_backend_is_decided_at_load(home: Path, qtbot) -> None:
    core = Core.open(engine=ScriptedEngine())
    window = MainWindow(core, tray_available=lambda: False)
    qtbot.addWidget(window)
    assert "decided when the model loads" in window.dialogs.settings_dialog().engine_label.text()
    window.desktop.quit_hook = lambda: None
    window.desktop.quit_app()
    core.close()


# preload ----------------------------------------------------------------------------------
class GatedEngine(ScriptedEngine):
    """Loading waits for the test to open the gate, like a big model loading from disk."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()

    def ensure_loaded(self, config: EngineConfig) -> Iterator[EngineEvent]:
        self.gate.wait(10)
        yield from super().ensure_loaded(config)


def test_send_while_preloading_is_queued_not_loaded_twice(home: Path, qtbot) -> None:
    engine = GatedEngine(["Warm reply."])
    core = Core.open(engine=engine)
    window = MainWindow(core, tray_available=lambda: False)
    window.desktop.quit_hook = lambda: None
    qtbot.addWidget(window)
    window.show()
    window.load_initial()
    assert window.chat.preload_worker is not None
    window.composer.set_text("hello")
    window.composer.button.click()
    assert window.chat.worker is None and window.composer.button.text() == "Stop"
    assert "Loading the model" in window.status.state_label.text()
    engine.gate.set()
    qtbot.waitUntil(lambda: len(shown(window)) == 2 and window.chat.worker is None, timeout=10_000)
    assert shown(window)[1] == ("assistant", "Warm reply.", "complete")
    assert engine.load_count == 1
    window.desktop.quit_app()
    core.close()


# start-up faults ---------------------------------------------------------------------------
def record() -> tuple[list[tuple[str, str]], startup.Inform]:
    seen: list[tuple[str, str]] = []
    return seen, lambda level, text: seen.append((level, text))


def damage(path: Path) -> None:
    path.write_bytes(b"this is not a database at all" * 100)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def test_damaged_database_start_fresh_keeps_the_file(home: Path) -> None:
    home.mkdir(parents=True)
    db = home / "assistant.db"
    damage(db)
    seen, inform = record()
    core, code = startup.open_core(ScriptedEngine(), decide_damaged=lambda exc: startup.FRESH, inform=inform)
    assert core is not None and code == 0
    assert core.chats.list_conversations() == []
    kept = list(home.glob("assistant.db.damaged-*"))
    assert kept and kept[0].read_bytes().startswith(b"this is not a database")
    assert "kept as" in seen[0][1]
    core.close()


def test_damaged_database_restore_backup(home: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    core = Core.open(engine=ScriptedEngine())
    conversation = core.chats.create_conversation()
    core.chats.add_message(conversation, "user", "keep me")
    core.close()
    db = home / "assistant.db"
    backup.take_backup(db, "test")
    damage(db)
    offered: list[str] = []

    def decide(exc):  # type: ignore[no-untyped-def]
        box = startup.damaged_dialog(exc)
        offered.extend(button.text() for button in box.buttons())
        return startup.RESTORE

    _seen, inform = record()
    core, code = startup.open_core(ScriptedEngine(), decide_damaged=decide, inform=inform)
    assert core is not None and code == 0
    assert any(text.startswith("Restore latest backup (from ") for text in offered)
    assert "Start fresh (keep the damaged file)" in offered and "Quit" in offered
    assert [m.content for m in core.chats.messages(conversation)] == ["keep me"]
    assert list(home.glob("assistant.db.damaged-*"))
    core.close()


def test_damaged_database_quit_touches_nothing(home: Path) -> None:
    home.mkdir(parents=True)
    db = home / "assistant.db"
    damage(db)
    before = db.read_bytes()
    core, code = startup.open_core(ScriptedEngine(), decide_damaged=lambda exc: startup.QUIT)
    assert core is None and code == 0
    assert db.read_bytes() == before and not list(home.glob("*.damaged-*"))


def test_failed_migration_is_reported_and_quits(home: Path) -> None:
    def opener(engine):  # type: ignore[no-untyped-def]
        raise MigrationFailed("Upgrading the database failed (boom); it was restored from the backup.")

    seen, inform = record()
    core, code = startup.open_core(ScriptedEngine(), inform=inform, opener=opener)
    assert core is None and code == 1
    assert seen[0][0] == "error" and "restored from the backup" in seen[0][1]


def test_unwritable_data_folder_is_a_message_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be")
    monkeypatch.setenv("ASSISTANT_HOME", str(blocker / "home"))
    seen, inform = record()
    core, code = startup.open_core(ScriptedEngine(), inform=inform)
    assert core is None and code == 1
    assert seen[0][0] == "error" and "Cannot create the data folder" in seen[0][1]


def test_application_quit_is_not_turned_into_hide(make_window) -> None:
    """QApplication.quit() (logout, Cmd+Q) closes windows first; those closes must quit."""
    window = make_window(tray=True)
    window.desktop.application_quitting()  # what AssistantApp.quitRequested calls
    window.close()
    assert window.desktop.quitting and not window.isVisible()
