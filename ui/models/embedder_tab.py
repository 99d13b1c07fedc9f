"""Models → Search model: which embedding model search and recall use, its download, and the
re-embedding that a change starts.

Downloads run in a :class:`ui.bridge.workers.GeneratorWorker` like GGUF downloads (Pause keeps the
files, Resume continues, also after a restart). Choosing a model calls ``Memory.switch.begin``;
the core's background worker computes the new vectors while search keeps the old ones, and a
timer here shows how far it is (a count query, once a second, only while a switch runs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.engine.base import CancelToken
from assistant.events import Failed
from assistant.memory.embedder import EmbedderError
from assistant.memory.service import Memory
from assistant.models.download_events import (
    DownloadDone,
    DownloadEvent,
    DownloadFailed,
    DownloadPaused,
    DownloadProgress,
    DownloadVerifying,
)
from assistant.models.embedder_catalog import BUNDLED_ID, EmbedderEntry
from assistant.models.embedder_download import download_embedder
from ui.bridge.workers import GeneratorWorker
from ui.widgets.errors import explain
from ui.widgets.formatting import human_bytes
from ui.widgets.progress import SCALE, set_fraction

EmbedderDownloader = Callable[[EmbedderEntry, CancelToken], Iterator[DownloadEvent]]


class EmbedderRow(QFrame):
    """One embedding model: facts, one button (Download/Pause/Resume/Use) and a progress bar."""

    chosen = Signal(str)

    def __init__(
        self, entry: EmbedderEntry, download: EmbedderDownloader, ui_language: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.entry, self._download = entry, download
        self.worker: GeneratorWorker | None = None
        self.state = "idle"  # idle running pausing paused ready active switching failed
        self.setObjectName("catalogRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        multi = entry.languages == "multi"
        languages = self.tr("Chinese, English and many more") if multi else self.tr("English")
        facts = QLabel(
            self.tr("Languages: %1 · Size %2 · %3 dimensions · Licence %4")
            .replace("%1", languages).replace("%2", human_bytes(entry.download_bytes))
            .replace("%3", str(entry.dim)).replace("%4", entry.license)
        )
        facts.setWordWrap(True)
        good_at = QLabel(entry.describe(ui_language))
        good_at.setObjectName("secondaryText")
        good_at.setWordWrap(True)
        self.button = QPushButton()
        self.button.setMinimumWidth(110)
        self.button.clicked.connect(self._on_button)
        self.bar = QProgressBar()
        self.bar.setRange(0, SCALE)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.status = QLabel()
        self.status.setObjectName("secondaryText")
        self.status.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(QLabel(f"<b>{entry.display_name}</b>"), 1)
        head.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        for part in (facts, good_at, self.bar, self.status, self.error):
            layout.addWidget(part)
        layout.insertLayout(0, head)

    def show_state(self, active: bool, switching: bool) -> None:
        if self.worker is not None:
            return
        if active:
            self._set("active")
        elif switching:
            self._set("switching")
        elif self.entry.installed:
            self._set("ready")
        elif self.entry.partial_bytes():
            self._show_bytes(self.entry.partial_bytes())
            self._set("paused")
        else:
            self._set("failed" if self.error.text() else "idle")

    def _set(self, state: str) -> None:
        self.state = state
        texts = {
            "idle": self.tr("Download"), "running": self.tr("Pause"), "pausing": self.tr("Pausing…"),
            "paused": self.tr("Resume"), "ready": self.tr("Use for search"), "active": self.tr("In use ✓"),
            "switching": self.tr("Switching…"), "failed": self.tr("Try again"),
        }
        self.button.setText(texts[state])
        self.button.setEnabled(state not in ("active", "switching", "pausing"))
        self.bar.setVisible(state in ("running", "pausing", "paused"))
        if state in ("active", "ready", "switching"):
            self.status.setText(self._installed_note())
        self.status.setVisible(bool(self.status.text()))
        self.error.setVisible(state == "failed" and bool(self.error.text()))

    def _installed_note(self) -> str:
        if self.entry.bundled:
            return self.tr("Bundled with the app")
        record = self.entry.install_record()
        if record.get("verified"):
            return self.tr("Downloaded; every file matched its published SHA-256")
        return self.tr("Downloaded; the weights matched their published SHA-256 (the small "
                       "configuration files have none and were checked by size)")

    @Slot()
    def _on_button(self) -> None:
        if self.state == "running" and self.worker is not None:
            self.worker.cancel()
            self._set("pausing")
        elif self.state in ("idle", "paused", "failed"):
            self.start()
        elif self.state == "ready":
            self.chosen.emit(self.entry.id)

    def start(self) -> None:
        if self.worker is not None:
            return
        self.error.clear()
        entry, download = self.entry, self._download
        worker = GeneratorWorker(lambda cancel: download(entry, cancel), self)
        worker.produced.connect(self._on_event)
        worker.finished.connect(self._on_finished)
        self.worker = worker
        self.status.setText(self.tr("Connecting…"))
        self._set("running")
        worker.start()

    def shutdown(self, wait_ms: int = 2000) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(wait_ms)

    @Slot(object)
    def _on_event(self, event: object) -> None:
        if isinstance(event, DownloadProgress):
            self._show_bytes(event.bytes_done)
        elif isinstance(event, DownloadVerifying):
            self.bar.setRange(0, 0)
            self.status.setText(self.tr("Checking the files…"))
        elif isinstance(event, DownloadPaused):
            self._show_bytes(event.bytes_done)
            self._set("paused")
        elif isinstance(event, DownloadDone):
            self.bar.setRange(0, SCALE)
            self._set("ready")
        elif isinstance(event, (DownloadFailed, Failed)):
            self.bar.setRange(0, SCALE)
            self.error.setText(explain(event.kind, event.message))
            self.status.clear()
            self._set("failed")

    @Slot()
    def _on_finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        if self.state in ("running", "pausing"):
            self._set("paused" if self.entry.partial_bytes() else "idle")

    def _show_bytes(self, done: int) -> None:
        total = self.entry.download_bytes
        set_fraction(self.bar, done, total)
        text = self.tr("%1 of %2").replace("%1", human_bytes(done)).replace("%2", human_bytes(total))
        self.status.setText(text)
        self.status.setVisible(True)


class EmbedderTab(QWidget):
    """The embedding model list, the suggestion line and the re-embedding progress."""

    def __init__(
        self,
        memory: Memory,
        ui_language: str,
        download: EmbedderDownloader | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.memory = memory
        self.rows: dict[str, EmbedderRow] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Search and recall compare the meaning of texts with an embedding model. Changing it "
            "computes new vectors for everything in the background; search keeps the current "
            "model until they are complete."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.suggestion = self._suggestion_line(ui_language)
        layout.addWidget(self.suggestion)
        self.switch_box = QFrame()
        self.switch_box.setObjectName("catalogRow")
        self.switch_label = QLabel()
        self.switch_label.setWordWrap(True)
        self.switch_bar = QProgressBar()
        self.switch_bar.setRange(0, SCALE)
        self.switch_bar.setMaximumHeight(10)
        self.switch_bar.setTextVisible(False)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.cancel_switch)
        box = QHBoxLayout(self.switch_box)
        text = QVBoxLayout()
        text.addWidget(self.switch_label)
        text.addWidget(self.switch_bar)
        box.addLayout(text, 1)
        box.addWidget(cancel, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.switch_box)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        fetch = download or (lambda entry, cancel: download_embedder(entry, cancel))
        for entry in memory.switch.catalog():
            row = EmbedderRow(entry, fetch, ui_language)
            row.chosen.connect(self.choose)
            self.rows[entry.id] = row
            layout.addWidget(row)
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh)
        self.refresh()

    def _suggestion_line(self, ui_language: str) -> QFrame:
        frame = QFrame()
        frame.setObjectName("banner_info")
        frame.setProperty("bannerKind", "info")
        entry = self.memory.switch.suggestion(ui_language)
        frame.setVisible(entry is not None)
        if entry is None:
            return frame
        self.memory.switch.mark_suggested()  # shown once, whatever the answer
        label = QLabel(self.tr("For Chinese text, %1 finds far more than the bundled English-only "
                               "model (%2 download).")
                       .replace("%1", entry.display_name).replace("%2", human_bytes(entry.download_bytes)))
        label.setWordWrap(True)
        get = QPushButton(self.tr("Download"))
        later = QPushButton(self.tr("Not now"))
        get.clicked.connect(lambda: self._download_suggested(frame, entry.id))
        later.clicked.connect(frame.hide)
        row = QHBoxLayout(frame)
        row.addWidget(label, 1)
        row.addWidget(get)
        row.addWidget(later)
        return frame

    def _download_suggested(self, suggestion: QFrame, entry_id: str) -> None:
        suggestion.hide()
        self.rows[entry_id].start()

    @Slot(str)
    def choose(self, entry_id: str) -> None:
        self.error.hide()
        try:
            self.memory.switch.begin(entry_id)
        except EmbedderError as exc:
            self.error.setText(str(exc))
            self.error.show()
        self.refresh()

    @Slot()
    def cancel_switch(self) -> None:
        self.memory.switch.cancel()
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        status = self.memory.switch.status()
        active = self.memory.settings.embedding_model or BUNDLED_ID
        for entry_id, row in self.rows.items():
            row.show_state(entry_id == active, entry_id == status.target)
        running = status.state != "idle"
        self.switch_box.setVisible(running)
        if running:
            target = self.rows.get(status.target)
            name = target.entry.display_name if target is not None else status.target
            text = (self.tr("Switching to %1: %2 of %3 items have new vectors. Search uses the current "
                            "model until they are all done.")
                    .replace("%1", name).replace("%2", f"{status.done:,}").replace("%3", f"{status.total:,}"))
            if status.state == "failed":
                text = self.tr("Switching to %1 stopped: %2").replace("%1", name).replace("%2", status.error)
            self.switch_label.setText(text)
            self.switch_bar.setValue(int(status.fraction * SCALE))
        if running and not self.timer.isActive():
            self.timer.start()
        elif not running and self.timer.isActive():
            self.timer.stop()

    def shutdown(self) -> None:
        self.timer.stop()
        for row in self.rows.values():
            row.shutdown()
