"""The language note's one-click download (issue 9, item 6): the banner's button downloads the
offered catalog model with the Models page's machinery (``download_entry`` in a
``GeneratorWorker``: the GUI thread never waits on the network), shows the progress, then
offers to switch to the model. In Chinese whatever the interface, like the note itself.

Offline is normal for this app: a failure (no connection to the catalog's address, a full
disk...) is said plainly in the banner with a Retry; the ``.part`` is kept, so Retry and
Resume continue where the download stopped, here or on the Models page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar

from assistant.core import Core
from assistant.events import Failed
from assistant.models.catalog import CatalogEntry
from assistant.models.download import Downloader, download_entry
from assistant.models.download_events import (
    DownloadDone,
    DownloadFailed,
    DownloadPaused,
    DownloadProgress,
    DownloadRetrying,
    DownloadVerifying,
)
from assistant.models.language_advice import size_text
from assistant.store.db import StorageError
from ui.bridge.workers import GeneratorWorker
from ui.widgets.banner import Banner
from ui.widgets.progress import SCALE, set_fraction

#: What went wrong, by the core's failure kind (its English message follows, for the details).
FAILURES_ZH = {
    "network": "无法连接下载服务器（离线时这很正常）。联网后可重试，已下载的部分会保留。",
    "not_found": "服务器上找不到这个模型文件（404），模型目录可能已过时。",
    "forbidden": "服务器拒绝了下载。",
    "server_error": "下载服务器出了问题，请稍后重试。",
    "http": "下载服务器的回答不对。",
    "no_space": "磁盘空间不足，请先腾出空间。",
    "disk_full": "磁盘已满。已下载的部分会保留，腾出空间后可继续。",
    "disk": "无法把模型写入磁盘。",
    "checksum": "下载的文件校验不符，已删除。",
    "invalid_model": "下载的文件不是可用的模型，已删除。",
    "too_large": "服务器发送的数据超过了模型的大小，下载已停止。",
    "insecure_url": "下载地址不安全（不是 https），已拒绝。",
    "busy": "这个模型正在“模型”页面下载中。",
}


def mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def progress_text(name: str, done: int, total: int | None) -> str:
    if total:
        return f"正在下载 {name}：{done * 100 // total}%（{mb(done)} / {mb(total)}）"
    return f"正在下载 {name}：已下载 {mb(done)}"


class OfferDownload(QObject):
    """The offered entry's download, shown in ``banner``. ``state``: idle running pausing
    paused failed downloaded switched."""

    switched = Signal(Path)  # the new model is the active one (the window may preload it)

    def __init__(self, core: Core, banner: Banner, open_catalog: Callable[[str], object]) -> None:
        super().__init__(banner)
        self.core, self.banner, self.open_catalog = core, banner, open_catalog
        #: Injectable: tests serve the file from 127.0.0.1 over plain http.
        self.downloader: Downloader = download_entry
        self.entry: CatalogEntry | None = None
        self.worker: GeneratorWorker | None = None
        self.state = "idle"
        self.failure_kind = ""
        self.bar = QProgressBar()
        self.bar.setObjectName("languageDownloadBar")
        self.bar.setRange(0, SCALE)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(140)
        self.bar.setMaximumHeight(10)
        self.bar.hide()
        layout = banner.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.insertWidget(1, self.bar)  # between the text and the button

    @property
    def busy(self) -> bool:
        """A download is under way or waiting for the user (the note must not replace it)."""
        return self.state in ("running", "pausing", "paused", "failed", "downloaded")

    def offer(self, entry: CatalogEntry | None) -> None:
        """A new note for ``entry``: its button downloads it, or switches if it is here."""
        if self.busy and self.entry is not None and entry is not None and entry.id == self.entry.id:
            return
        self.entry, self.failure_kind = entry, ""
        self.state = "downloaded" if entry is not None and entry.installed else "idle"

    @Slot()
    def clicked(self) -> None:
        if self.state in ("idle", "paused", "failed"):
            if self.failure_kind == "busy" and self.entry is not None:
                self.open_catalog(self.entry.id)  # it is downloading there: show it
            else:
                self.start()
        elif self.state == "running":
            self.pause()
        elif self.state == "downloaded":
            self.switch()

    def start(self) -> None:
        entry = self.entry
        if entry is None:
            return
        if self.worker is not None:
            # "继续下载" clicked as soon as the pause was shown: the paused download's thread
            # is ending (it has said so); let it end, then start again.
            if self.state not in ("paused", "failed") or not self.worker.wait(1000):
                return
            self._forget(self.worker)
        download, self.failure_kind = self.downloader, ""
        worker = GeneratorWorker(lambda cancel: download(entry, cancel), self)
        worker.produced.connect(self._on_event)
        worker.finished.connect(self._on_finished)
        self.worker = worker
        self.state = "running"
        size = size_text(entry.size_bytes)
        self._say(f"正在连接下载服务器，准备下载 {entry.display_name}（{size}）…", "暂停")
        self.bar.setRange(0, SCALE)
        self.bar.setValue(0)
        self.bar.show()
        worker.start()

    def pause(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.state = "pausing"
            self.banner.action.setEnabled(False)

    def shutdown(self, wait_ms: int = 2000) -> None:
        """Pause before the app quits; the .part is kept for the next start."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(wait_ms)

    def switch(self) -> None:
        if self.entry is None:
            return
        path = self.entry.local_path
        settings = replace(self.core.settings, model_path=str(path), active_connection=0)
        try:
            self.core.save_settings(settings)
        except StorageError as exc:
            self._say(f"无法换用模型：{exc}", "重试")
            return
        self.state = "switched"
        self._say(f"已换用 {self.entry.display_name}，下一条消息起由它回答。", "")
        self.switched.emit(path)

    # the download's events -------------------------------------------------------------
    @Slot(object)
    def _on_event(self, event: object) -> None:
        name = self.entry.display_name if self.entry else ""
        if isinstance(event, DownloadProgress):
            self._bar(event.bytes_done, event.bytes_total)
            self._say(progress_text(name, event.bytes_done, event.bytes_total), "暂停")
        elif isinstance(event, DownloadRetrying):
            self._say(f"连接出现问题，{event.delay_seconds:g} 秒后重试（第 {event.attempt}/"
                      f"{event.max_attempts} 次）…", "暂停")
        elif isinstance(event, DownloadVerifying):
            self.bar.setRange(0, 0)  # busy: hashing has no byte count worth showing
            self._say(f"正在校验下载的 {name}…", "")
        elif isinstance(event, DownloadPaused):
            self.state = "paused"
            self._bar(event.bytes_done, event.bytes_total)
            self._say(f"已暂停：{progress_text(name, event.bytes_done, event.bytes_total)}", "继续下载")
        elif isinstance(event, DownloadDone):
            self._downloaded(event.path)
        elif isinstance(event, (DownloadFailed, Failed)):
            self.state, self.failure_kind = "failed", event.kind
            self.bar.hide()
            lead = FAILURES_ZH.get(event.kind, "下载没有完成。")
            action = "打开“模型”页面" if event.kind == "busy" else "重试"
            self._say(f"下载失败：{lead}\n{event.message}", action)

    def _forget(self, worker: GeneratorWorker) -> None:
        if worker is self.worker:
            self.worker = None
        worker.deleteLater()

    @Slot()
    def _on_finished(self) -> None:
        worker = self.sender()
        if worker is not self.worker:  # an earlier download, already replaced (or gone)
            return
        assert isinstance(worker, GeneratorWorker)
        self._forget(worker)
        if self.state in ("running", "pausing"):  # ended without a final event
            self.state = "paused"
            self._say("下载已暂停。", "继续下载")

    def _downloaded(self, path: Path) -> None:
        self.state = "downloaded"
        self.bar.hide()
        name = self.entry.display_name if self.entry else path.name
        self._say(f"{name} 已下载完成。换用它来回答，中文会好很多。", f"换用 {name}")

    def _bar(self, done: int, total: int | None) -> None:
        set_fraction(self.bar, done, total)

    def _say(self, text: str, action: str) -> None:
        self.banner.show_message(text, action)
        self.banner.action.setEnabled(True)
