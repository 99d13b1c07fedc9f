"""The language note's one-click download (issue 9, item 6): the banner's button downloads the
offered model from a real HTTP server on 127.0.0.1, shows the progress in Chinese, then
switches to it; a failure (offline is normal) is said in the banner with a Retry. English and
Chinese interfaces. ``SCREENSHOT_DIR`` saves PNGs of the banner before, during and after."""

from __future__ import annotations

import functools
import os
import socket
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from assistant.agent.store import AgentSettings
from assistant.engine.fake import ScriptedEngine
from assistant.models.catalog import CatalogEntry
from assistant.models.download import download_entry
from assistant.models.language_advice import MEASURED_ZH
from assistant.models.language_check import PASSAGE_ZH, FluencyCheck
from assistant.models.languages import ChineseSupport
from tests.support.gui_helpers import send
from ui.app.i18n import install_translators

if TYPE_CHECKING:  # a pytest plugin (tests/conftest.py): importing it first would skip its rewrite
    from tests.support.http_fixtures import ModelServer

pytestmark = pytest.mark.gui


def served_entry(url: str, size: int, sha256: str | None) -> CatalogEntry:
    return CatalogEntry(
        id="served-zh", display_name="Served Qwen", filename="served-zh.gguf", url=url,
        size_bytes=size, sha256=sha256, license="Apache-2.0", ram_gb=2.0, vram_gb=1.5,
        context_length=32768, good_at="Chinese", tool_calling=True, parameters="1.5B",
        quantization="Q4_K_M", languages=("en", "zh"),
    )


def _served(server: ModelServer) -> CatalogEntry:
    return served_entry(server.url, len(server.data), server.sha256)


def _window(make_window, entry: CatalogEntry, retries: int = 0):  # type: ignore[no-untyped-def]
    window = make_window(ScriptedEngine(["今天天气不错。", "好的。"], token_delay=0.0))
    window.core.agent_store.save_settings(AgentSettings(tz="Asia/Shanghai"))
    notice = window.language_notice
    # The scripted engine has no GGUF to read: stand in for the starter model's verdict.
    notice.advisor.support = lambda _path: ChineseSupport(False, "vocabulary")
    notice.advisor.catalog = lambda: [entry]
    notice.advisor.forget()
    # Plain http is allowed to 127.0.0.1 only (the shipped catalog is https); no retry pauses.
    notice.download.downloader = functools.partial(
        download_entry, allow_insecure_localhost=True, retries=retries, backoff_seconds=0.05)
    window.resize(1000, 700)
    return window


def _download_and_switch(window, qtbot, server: ModelServer, prefix: str) -> None:  # type: ignore[no-untyped-def]
    notice = window.language_notice
    banner = notice.banner
    assert banner.isVisible() and "下载 Served Qwen（98 MB）" == banner.action.text()
    _shot(window, f"{prefix}-before.png")
    banner.action.click()  # one click: the download starts at once, off the GUI thread
    bar = notice.download.bar
    qtbot.waitUntil(lambda: bar.value() > 100 and "%（" in banner.label.text(), timeout=10_000)
    assert banner.label.text().startswith("正在下载 Served Qwen：") and " MB / 98 MB）" in banner.label.text()
    assert notice.download.bar.isVisible() and banner.action.text() == "暂停"
    _shot(window, f"{prefix}-during.png")
    qtbot.waitUntil(lambda: notice.download.state == "downloaded", timeout=30_000)
    entry = notice.download.entry
    assert entry.local_path.stat().st_size == len(server.data)
    assert banner.label.text().startswith("Served Qwen 已下载完成。")
    assert banner.action.text() == "换用 Served Qwen"
    assert not notice.download.bar.isVisible()
    _shot(window, f"{prefix}-after.png")
    with qtbot.waitSignal(notice.modelSwitched, timeout=5_000):
        banner.action.click()
    assert window.core.settings.model_path == str(entry.local_path)
    assert banner.label.text().startswith("已换用 Served Qwen") and not banner.action.isVisible()


def test_the_banner_downloads_the_offer_with_progress_and_switches_to_it(
    make_window, model_server, qtbot  # type: ignore[no-untyped-def]
) -> None:
    model_server.reset("slow")
    model_server.slow_chunk = 1 << 20  # ~2 s in all: progress is seen mid-way
    window = _window(make_window, _served(model_server))
    send(qtbot, window, "你好，今天天气怎么样")
    _download_and_switch(window, qtbot, model_server, "download-en-interface")
    assert window.language_notice.advisor.model_writes_chinese() is False  # judged anew: the stub says so


def test_a_chinese_interface_downloads_from_the_note_at_start(
    make_window, model_server, qtbot, qapp: QApplication  # type: ignore[no-untyped-def]
) -> None:
    model_server.reset("slow")
    model_server.slow_chunk = 1 << 20
    installed = install_translators(qapp, "zh_CN")
    try:
        window = _window(make_window, _served(model_server))
        window.core.save_settings(replace(window.core.settings, language="zh_CN"))
        assert window.language_notice.at_start()
        _download_and_switch(window, qtbot, model_server, "download-zh-interface")
    finally:
        for translator in installed:
            QCoreApplication.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_offline_or_a_failing_server_is_said_in_the_banner_with_a_retry(
    make_window, model_server, qtbot  # type: ignore[no-untyped-def]
) -> None:
    offline = served_entry(f"http://127.0.0.1:{_closed_port()}/model.gguf", len(model_server.data), None)
    window = _window(make_window, offline)
    notice, banner = window.language_notice, window.language_notice.banner
    send(qtbot, window, "你好，今天天气怎么样")
    banner.action.click()
    qtbot.waitUntil(lambda: notice.download.state == "failed", timeout=10_000)
    assert banner.label.text().startswith("下载失败：无法连接下载服务器（离线时这很正常）。")
    assert "The connection failed" in banner.label.text() and banner.action.text() == "重试"
    _shot(window, "download-failed-offline.png")

    model_server.reset("500")  # a server that answers, badly; then it recovers and Retry finishes
    window2 = _window(make_window, _served(model_server))
    notice, banner = window2.language_notice, window2.language_notice.banner
    send(qtbot, window2, "你好，今天天气怎么样")
    banner.action.click()
    qtbot.waitUntil(lambda: notice.download.state == "failed", timeout=10_000)
    assert banner.label.text().startswith("下载失败：下载服务器出了问题，请稍后重试。")
    model_server.reset("normal")
    banner.action.click()  # 重试
    qtbot.waitUntil(lambda: notice.download.state == "downloaded", timeout=30_000)
    assert banner.action.text() == "换用 Served Qwen"


def test_pause_keeps_the_part_and_resume_finishes(make_window, model_server, qtbot) -> None:  # type: ignore[no-untyped-def]
    model_server.reset("slow")
    model_server.slow_chunk = 256 * 1024
    window = _window(make_window, _served(model_server))
    notice, banner = window.language_notice, window.language_notice.banner
    send(qtbot, window, "你好，今天天气怎么样")
    banner.action.click()
    qtbot.waitUntil(lambda: notice.download.bar.value() > 0, timeout=10_000)
    banner.action.click()  # 暂停
    qtbot.waitUntil(lambda: notice.download.state == "paused", timeout=10_000)
    assert banner.label.text().startswith("已暂停：正在下载 Served Qwen：")
    assert banner.action.text() == "继续下载"
    model_server.reset("normal")
    banner.action.click()
    qtbot.waitUntil(lambda: notice.download.state == "downloaded", timeout=30_000)
    assert model_server.requests[-1].range is not None  # resumed, not started over


class Scorer:
    """Stands in for the model process: the starter's measured figures, and the thread asked."""

    def __init__(self, loaded_path: str) -> None:
        self.loaded_path = loaded_path
        self.threads: list[threading.Thread] = []

    def score_texts(self, texts: list[str]) -> list[tuple[float, int]]:
        self.threads.append(threading.current_thread())
        return [(7.2 * len(PASSAGE_ZH), 72), (7.2 * len(PASSAGE_ZH) / 2.1, 34)]


def test_a_vocabulary_that_fails_the_measurement_is_noted_after_a_worker_measured_it(
    make_window, qtbot  # type: ignore[no-untyped-def]
) -> None:
    window = _window(make_window, served_entry("https://example.invalid/m.gguf", 1000, None))
    notice = window.language_notice
    notice.advisor.support = lambda _path: ChineseSupport(True, "vocabulary")  # says it can
    model = window.core.settings.effective_model_path()
    model.write_bytes(b"GGUF")  # the scripted engine never reads it; the check keys on its file
    scorer = Scorer(str(model))
    notice.advisor.measure = FluencyCheck(scorer, window.core.session.gate)
    notice.advisor.forget()
    send(qtbot, window, "你好，今天天气怎么样")
    qtbot.waitUntil(notice.banner.isVisible, timeout=5_000)
    assert notice.banner.label.text().startswith(MEASURED_ZH)
    assert scorer.threads and threading.main_thread() not in scorer.threads  # never the GUI thread
    send(qtbot, window, "再说一遍")
    assert len(scorer.threads) == 1  # measured once per model file


def _shot(window, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        QApplication.processEvents()
        window.grab().save(str(Path(folder) / name))
