"""The catalog: recommended models with what they need, and resumable downloads.

Each download runs in a :class:`ui.bridge.workers.GeneratorWorker`; Pause sets its cancel token and
the core keeps the ``.part`` file, so Resume (also after a restart) just runs the download again
and continues from there. A row finds a ``.part`` left by an earlier run and offers Resume.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from assistant.config import starter_model_path
from assistant.events import Failed
from assistant.models.catalog import CatalogEntry, CatalogError
from assistant.models.download import Downloader
from assistant.models.download_events import (
    DownloadDone,
    DownloadFailed,
    DownloadPaused,
    DownloadProgress,
    DownloadRetrying,
    DownloadVerifying,
)
from ui.bridge.workers import GeneratorWorker
from ui.widgets.errors import explain
from ui.widgets.formatting import human_bytes, human_duration
from ui.widgets.progress import SCALE

CatalogSource = Callable[[], list[CatalogEntry]]


def part_size(entry: CatalogEntry) -> int:
    part = entry.local_path.with_name(entry.local_path.name + ".part")
    try:
        return part.stat().st_size
    except OSError:
        return 0


class DownloadRow(QFrame):
    """One catalog entry: its facts, a Download/Pause/Resume button and a progress bar."""

    installed = Signal(Path)

    def __init__(self, entry: CatalogEntry, download: Downloader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self._download = download
        self.worker: GeneratorWorker | None = None
        self.state = "idle"  # idle | running | pausing | paused | installed | failed
        self.setObjectName("catalogRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)

        title = QLabel(f"<b>{entry.display_name}</b>")
        extra = " · ".join(x for x in (entry.parameters, entry.quantization) if x)
        subtitle = QLabel(extra)
        subtitle.setObjectName("secondaryText")
        tools = self.tr("yes") if entry.tool_calling else self.tr("no")
        facts = QLabel(
            self.tr("Size %1 · Licence %2 · Needs %3 GB RAM, %4 GB VRAM for full GPU offload · "
                    "Context %5 · Tool calling: %6")
            .replace("%1", human_bytes(entry.size_bytes))
            .replace("%2", entry.license)
            .replace("%3", f"{entry.ram_gb:g}")
            .replace("%4", f"{entry.vram_gb:g}")
            .replace("%5", f"{entry.context_length:,}")
            .replace("%6", tools)
        )
        facts.setWordWrap(True)
        good_at = QLabel(self.tr("Good at: %1").replace("%1", entry.good_at))
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
        # Shown only with text, so an idle row has no empty gap under its facts.
        self.status.setVisible(False)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        head = QHBoxLayout()
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(title)
        names.addWidget(subtitle)
        head.addLayout(names, 1)
        head.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(facts)
        layout.addWidget(good_at)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        self._initial_state()

    def _initial_state(self) -> None:
        starter = starter_model_path()
        if self.entry.installed or (starter is not None and starter.name == self.entry.filename):
            self._set_state("installed")
            if not self.entry.installed:
                self._status(self.tr("Bundled with the app"))
            return
        done = part_size(self.entry)
        if done:  # left by an earlier run, perhaps before a restart: offer to continue
            self._show_bytes(done, self.entry.size_bytes)
            self._set_state("paused")
        else:
            self._set_state("idle")

    def _set_state(self, state: str) -> None:
        self.state = state
        texts = {
            "idle": self.tr("Download"),
            "running": self.tr("Pause"),
            "pausing": self.tr("Pausing…"),
            "paused": self.tr("Resume"),
            "installed": self.tr("Installed ✓"),
            "failed": self.tr("Try again"),
        }
        self.button.setText(texts[state])
        self.button.setEnabled(state not in ("installed", "pausing"))
        self.bar.setVisible(state in ("running", "pausing", "paused"))
        if state == "installed":
            self._status(self.tr("Installed in %1").replace("%1", str(self.entry.local_path.parent)))
        elif state == "paused" and not self.status.text():
            self._status(self.tr("Paused"))
        self.error.setVisible(state == "failed")
        self.status.setVisible(bool(self.status.text()))

    # actions -----------------------------------------------------------------------------
    @Slot()
    def _on_button(self) -> None:
        if self.state == "running":
            self.pause()
        elif self.state in ("idle", "paused", "failed"):
            self.start()

    def start(self) -> None:
        if self.worker is not None:
            return
        self.error.clear()
        entry, download = self.entry, self._download
        worker = GeneratorWorker(lambda cancel: download(entry, cancel), self)
        worker.produced.connect(self._on_event)
        worker.finished.connect(self._on_finished)
        self.worker = worker
        self._status(self.tr("Connecting…"))
        self._set_state("running")
        worker.start()

    def pause(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self._set_state("pausing")

    def shutdown(self, wait_ms: int = 2000) -> None:
        """Pause before the app quits; the .part is kept for the next start."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(wait_ms)

    # events ------------------------------------------------------------------------------
    @Slot(object)
    def _on_event(self, event: object) -> None:
        if isinstance(event, DownloadProgress):
            self._show_bytes(event.bytes_done, event.bytes_total, event.bytes_per_second, event.eta_seconds)
        elif isinstance(event, DownloadRetrying):
            self._status(
                self.tr("Connection problem; retrying in %1 s (attempt %2 of %3)…")
                .replace("%1", f"{event.delay_seconds:g}")
                .replace("%2", str(event.attempt))
                .replace("%3", str(event.max_attempts))
            )
        elif isinstance(event, DownloadVerifying):
            self.bar.setRange(0, 0)  # busy: hashing has no byte count worth showing
            self._status(self.tr("Checking the file…"))
        elif isinstance(event, DownloadPaused):
            self._show_bytes(event.bytes_done, event.bytes_total)
            self._status(self.status.text() + self.tr(" — paused"))
            self._set_state("paused")
        elif isinstance(event, DownloadDone):
            self._set_state("installed")
            self.installed.emit(event.path)
        elif isinstance(event, (DownloadFailed, Failed)):
            self.bar.setRange(0, SCALE)
            self.error.setText(explain(event.kind, event.message))
            self._status("")
            self._set_state("failed")

    @Slot()
    def _on_finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        if self.state in ("running", "pausing"):  # ended without a final event
            self._set_state("paused" if part_size(self.entry) else "idle")

    def _status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _show_bytes(
        self, done: int, total: int | None, speed: float = 0.0, eta: float | None = None
    ) -> None:
        self.bar.setRange(0, SCALE)
        if total:
            self.bar.setValue(int(done * SCALE / total))
            text = self.tr("%1 of %2").replace("%1", human_bytes(done)).replace("%2", human_bytes(total))
        else:
            text = human_bytes(done)
        if speed > 0:
            text += " · " + self.tr("%1/s").replace("%1", human_bytes(speed))
        if eta is not None:
            text += " · " + self.tr("%1 left").replace("%1", human_duration(eta))
        self._status(text)


class CatalogTab(QWidget):
    installed = Signal(Path)

    def __init__(self, source: CatalogSource, download: Downloader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, DownloadRow] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("Recommended models. Downloads can be paused and resumed, also after a restart; "
                    "each file is checked before it is used.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        scroll = self.scroll_area = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        self._list = QVBoxLayout(holder)
        self._list.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)
        try:
            entries = source()
        except CatalogError as exc:
            self.error.setText(str(exc))
            self.error.show()
            entries = []
        for entry in entries:
            row = DownloadRow(entry, download)
            row.installed.connect(self.installed)
            self.rows[entry.id] = row
            self._list.addWidget(row)
        self._list.addStretch(1)

    def busy(self) -> bool:
        return any(row.worker is not None for row in self.rows.values())

    def highlight(self, model_id: str) -> DownloadRow | None:
        """Bring one entry into view with its button focused (the language note's Download)."""
        row = self.rows.get(model_id)
        for other in self.rows.values():
            other.setProperty("highlighted", other is row)
            other.setFrameShape(QFrame.Shape.Box if other is row else QFrame.Shape.StyledPanel)
        if row is not None:
            self.scroll_area.ensureWidgetVisible(row)
            row.button.setFocus()
        return row

    def shutdown(self) -> None:
        """Pause every download (all cancelled first, so the waits overlap)."""
        for row in self.rows.values():
            if row.worker is not None:
                row.worker.cancel()
        for row in self.rows.values():
            row.shutdown()
