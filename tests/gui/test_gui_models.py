"""The Models page: installed models from GGUF headers, drops, defaults, catalog downloads
against a real local HTTP server, and remote connections (offscreen Qt, scripted engine)."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from assistant.config import starter_model_path
from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.models.catalog import CatalogEntry
from assistant.models.download import DownloadProgress, download_entry
from tests.support import gui_helpers
from tests.support.gui_helpers import send, shown
from ui.models.catalog_tab import part_size

if TYPE_CHECKING:  # imported by pytest as a plugin; importing it here first would skip its rewrite
    from tests.support.http_fixtures import ModelServer


pytestmark = pytest.mark.gui


def drop(widget, paths: list[Path]) -> QDropEvent:  # type: ignore[no-untyped-def]
    """What the window receives when files are dropped on it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(QPoint(50, 50)), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)
    return event


def gguf_copy(tmp_path: Path, name: str = "my-model.gguf") -> Path:
    """The starter under another name (a hard link where possible: 98 MB need not be copied)."""
    source = starter_model_path()
    assert source is not None, "the starter model package is not installed"
    target = tmp_path / name
    try:
        os.link(source, target)
    except OSError:
        shutil.copy(source, target)
    return target


def catalog_entry(server: ModelServer, filename: str = "served-model.gguf") -> CatalogEntry:
    return CatalogEntry(
        id="served", display_name="Served Starter", filename=filename, url=server.url,
        size_bytes=len(server.data), sha256=server.sha256, license="Apache-2.0", ram_gb=1.0,
        vram_gb=0.5, context_length=8192, good_at="Quick tests", tool_calling=False,
        parameters="135M", quantization="Q4_1",
    )


def serve_catalog(window, server: ModelServer) -> None:  # type: ignore[no-untyped-def]
    window.dialogs.catalog_source = lambda: [catalog_entry(server)]
    # Plain http is allowed to 127.0.0.1 only; the shipped catalog must be https.
    window.dialogs.downloader = functools.partial(download_entry, allow_insecure_localhost=True)


def test_installed_models_show_header_facts(make_window) -> None:
    window = make_window()
    page = window.dialogs.open_models().installed
    starter = next(m for m in page.models if m.source == "starter")
    assert starter.architecture == "llama" and starter.parameters > 100_000_000
    page.list.setCurrentRow(page.models.index(starter))
    assert page.facts["architecture"].text() == "llama"
    assert page.facts["parameters"].text() == "135M"
    assert page.facts["quantization"].text() == "Q4_1"
    assert page.facts["size"].text() == "98.4 MB"
    assert page.facts["context"].text() == "8,192 tokens"
    assert page.facts["template"].text() == "yes"
    assert page.facts["tools"].text() == "no"
    assert not page.remove_button.isEnabled()  # the bundled starter cannot be removed
    assert "decided when the model loads" not in page.engine_label.text()  # preloaded already


def test_drop_refuses_pickle_and_adds_gguf(make_window, tmp_path: Path) -> None:
    window = make_window()
    weights = tmp_path / "weights.bin"
    weights.write_bytes(b"\x80\x04pickle")
    drop(window, [weights])
    assert window.error_bar.isVisible()
    assert "not a GGUF file" in window.error_bar.label.text()
    assert all(m.path.name != "weights.bin" for m in window.core.models.list())

    model = gguf_copy(tmp_path)
    event = drop(window, [model])
    assert event.isAccepted()
    assert "my-model" in window.notice.label.text() or "Smollm2" in window.notice.label.text()
    added = [m for m in window.core.models.list() if m.source == "added"]
    assert [m.path for m in added] == [model.resolve()]


def test_use_remove_and_defaults(make_window, tmp_path: Path, monkeypatch, qtbot) -> None:
    monkeypatch.delenv("ASSISTANT_MODEL")  # choose models through the page, not the env override
    window = make_window()
    model = gguf_copy(tmp_path)
    page = window.dialogs.open_models().installed
    assert page.add_files([model]) == []
    assert page.selected_path() == model.resolve()

    page.use_button.click()
    assert window.core.settings.model_path == str(model.resolve())
    assert page.use_button.text() == "In use" and not page.use_button.isEnabled()
    gui_helpers.wait_preloaded(qtbot, window)
    assert window.status.model_label.text() == model.name

    page.n_ctx.setValue(2048)
    page.n_gpu_layers.setValue(-1)  # auto
    page.temperature.setValue(0.3)
    page.system_prompt.setPlainText("Be brief.")
    page.save_defaults_button.click()
    expected = {"n_ctx": 2048, "n_gpu_layers": -1, "temperature": 0.3, "system_prompt": "Be brief."}
    assert window.core.models.defaults(model.resolve()) == expected
    assert window.core.effective_settings().n_ctx == 2048
    page.n_gpu_layers.setValue(-2)  # back to the global setting: the key is dropped
    page.save_defaults_button.click()
    assert "n_gpu_layers" not in window.core.models.defaults(model.resolve())

    asked: list[str] = []
    page.confirm = lambda title, question: asked.append(question) or True
    page.remove_selected()
    assert asked and "only forgotten" in asked[0]
    assert "the file itself was kept" in page.message.text()
    assert model.exists()
    assert all(m.path != model.resolve() for m in window.core.models.list())
    assert window.core.settings.model_path == ""  # it was in use: back to the starter


def test_catalog_download_shows_progress_and_completes(make_window, model_server, qtbot) -> None:
    window = make_window()
    serve_catalog(window, model_server)
    row = window.dialogs.open_models("catalog").catalog.rows["served"]
    assert row.button.text() == "Download"
    assert "Apache-2.0" in row.findChildren(type(row.status))[2].text()
    progress: list[DownloadProgress] = []
    row.start()
    row.worker.produced.connect(lambda e: progress.append(e) if isinstance(e, DownloadProgress) else None)
    qtbot.waitUntil(lambda: row.state == "installed", timeout=20_000)
    assert row.entry.local_path.is_file()
    assert progress and progress[-1].bytes_done == len(model_server.data)
    assert row.button.text().startswith("Installed") and not row.button.isEnabled()
    installed = window.dialogs.models_dialog.installed
    assert installed.selected_path() == row.entry.local_path


def test_catalog_pause_and_resume_after_restart(make_window, model_server, qtbot) -> None:
    model_server.reset("slow")
    window = make_window(ScriptedEngine(["ok"]))
    serve_catalog(window, model_server)
    row = window.dialogs.open_models("catalog").catalog.rows["served"]
    row.button.click()  # Download
    qtbot.waitUntil(lambda: row.bar.value() > 0, timeout=10_000)
    assert "MB" in row.status.text()
    row.button.click()  # Pause
    qtbot.waitUntil(lambda: row.state == "paused", timeout=10_000)
    paused_at = part_size(row.entry)
    assert 0 < paused_at < len(model_server.data)
    assert row.button.text() == "Resume"

    gui_helpers.close(window, window.core)  # "restart": a new window finds the .part
    model_server.reset("normal")
    again = make_window(ScriptedEngine(["ok"]))
    serve_catalog(again, model_server)
    row = again.dialogs.open_models("catalog").catalog.rows["served"]
    assert row.state == "paused" and row.button.text() == "Resume"
    row.button.click()
    qtbot.waitUntil(lambda: row.state == "installed", timeout=20_000)
    assert model_server.requests[-1].range == f"bytes={paused_at}-"
    assert row.entry.local_path.stat().st_size == len(model_server.data)


def test_catalog_errors_are_explained(make_window, model_server, qtbot) -> None:
    model_server.reset("404")
    window = make_window()
    serve_catalog(window, model_server)
    row = window.dialogs.open_models("catalog").catalog.rows["served"]
    row.start()
    qtbot.waitUntil(lambda: row.state == "failed", timeout=10_000)
    assert "not found on the server (404)" in row.error.text()
    assert row.button.text() == "Try again" and row.error.isVisible()


def test_remote_connection_add_use_and_remove(home, qtbot, make_window) -> None:
    remote_fixtures = pytest.importorskip("tests.support.remote_fixtures")
    from assistant.engine.remote import RemoteEngine
    from assistant.engine.switch import EngineSwitch

    with remote_fixtures.fake_server() as server:
        core = Core.open(engine=EngineSwitch(ScriptedEngine(["Local reply."]), RemoteEngine()))
        window = make_window(core=core)
        tab = window.dialogs.open_models("remote").connections
        tab.name.setText("Lab server")
        tab.url.setText(server.base_url)
        tab.model.setText("fake-model")
        tab.api_key.setText("secret-key")
        connection_id = tab.add_from_form()
        assert connection_id and tab.list.count() == 1
        tab.use_button.click()
        assert core.settings.active_connection == connection_id
        gui_helpers.wait_preloaded(qtbot, window)
        assert window.status.model_label.text() == "Lab server (remote)"
        send(qtbot, window, "hi")
        assert shown(window)[-1] == ("assistant", "Hello there, friend.", "complete")
        assert server.requests, "the message went to the server"

        tab.local_button.click()
        assert core.settings.active_connection == 0
        gui_helpers.wait_preloaded(qtbot, window)
        send(qtbot, window, "and now locally")
        assert shown(window)[-1][1] == "Local reply."
        tab.list.setCurrentRow(0)
        tab.remove_button.click()
        assert core.connections.list() == [] and tab.list.count() == 0


def test_bad_connection_address_is_explained(make_window) -> None:
    window = make_window()
    tab = window.dialogs.open_models("remote").connections
    tab.url.setText("ftp://example.org")
    tab.model.setText("m")
    assert tab.add_from_form() is None
    assert "not an http(s) address" in tab.message.text()
