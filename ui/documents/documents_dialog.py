"""The Documents panel: folders and single files the assistant can cite.

Each collection is a card with its status; indexing runs in a ``GeneratorWorker`` (extraction
happens in the core's child process, embedding on that thread) and the collection watcher's
own passes arrive through a :class:`ui.bridge.workers.Relay`, so the progress bar moves whoever is
indexing and the window never waits.
"""

from __future__ import annotations

import datetime
import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.events import Failed
from assistant.knowledge.collections import CollectionError, CollectionStatus
from assistant.knowledge.events import FileSkipped, IndexFinished, IndexPaused, IndexProgress, IndexStarted
from assistant.knowledge.indexer import IndexControl
from assistant.knowledge.service import Knowledge
from ui.bridge.workers import GeneratorWorker

translate = QCoreApplication.translate
FORMATS = "*.txt *.md *.markdown *.pdf *.docx *.html *.htm"


def eta_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return translate("Documents", "about %1 s left").replace("%1", str(max(1, round(seconds))))
    return translate("Documents", "about %1 min left").replace("%1", str(round(seconds / 60)))


class CollectionCard(QFrame):
    pauseToggled = Signal(int, bool)  # collection id, paused
    reindexRequested = Signal(int)
    removeRequested = Signal(int)
    defaultToggled = Signal(int, bool)
    paused: bool  # set by update_status

    def __init__(self, status: CollectionStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("collectionCard")
        self.collection_id = status.collection.id
        self.skipped: list[tuple[str, str]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("secondaryText")
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("secondaryText")
        self.progress.hide()
        self.progress_label.hide()
        self.skipped_toggle = QToolButton()
        self.skipped_toggle.setObjectName("skippedToggle")
        self.skipped_toggle.setCheckable(True)
        self.skipped_toggle.setAutoRaise(True)
        self.skipped_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.skipped_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.skipped_list = QLabel()
        self.skipped_list.setObjectName("skippedList")
        self.skipped_list.setTextFormat(Qt.TextFormat.RichText)
        self.skipped_list.setWordWrap(True)
        self.skipped_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.skipped_list.hide()
        self.skipped_toggle.toggled.connect(self._show_skipped)
        self.default_box = QCheckBox(self.tr("Use in new chats"))
        self.default_box.setToolTip(self.tr("Each chat can switch it on or off from its Documents menu."))
        self.default_box.toggled.connect(lambda on: self.defaultToggled.emit(self.collection_id, on))
        self.pause_button = QPushButton()
        self.reindex_button = QPushButton(self.tr("Re-index"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.pause_button.clicked.connect(
            lambda: self.pauseToggled.emit(self.collection_id, not self.paused)
        )
        self.reindex_button.clicked.connect(lambda: self.reindexRequested.emit(self.collection_id))
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self.collection_id))
        row = QHBoxLayout()
        row.addWidget(self.default_box)
        row.addStretch(1)
        row.addWidget(self.pause_button)
        row.addWidget(self.reindex_button)
        row.addWidget(self.remove_button)
        layout.addWidget(self.title)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.skipped_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.skipped_list)
        layout.addLayout(row)
        self.paused = False
        self.update_status(status)

    def update_status(self, status: CollectionStatus) -> None:
        c = status.collection
        self.paused = c.paused
        kind = self.tr("file") if c.is_file else self.tr("folder")
        self.title.setText(f"<b>{html.escape(c.name)}</b> <span style='color:gray;'>({kind})</span><br>"
                           f"<span style='color:gray;'>{html.escape(c.root)}</span>")
        parts = []
        if status.files:  # nothing scanned yet: "0 of 0 files" would only confuse
            parts.append(self.tr("%1 of %2 files indexed")
                         .replace("%1", str(status.indexed))
                         .replace("%2", str(status.files)))
            parts.append(self.tr("%1 passages").replace("%1", str(status.chunks)))
        if status.pending:
            parts.append(self.tr("%1 waiting").replace("%1", str(status.pending)))
        if c.last_indexed_at:
            when = datetime.datetime.fromtimestamp(c.last_indexed_at).strftime("%Y-%m-%d %H:%M")
            parts.append(self.tr("last indexed %1").replace("%1", when))
        else:
            parts.append(self.tr("not indexed yet"))
        if c.paused:
            parts.insert(0, self.tr("Paused"))
        self.status_label.setText(" · ".join(parts))
        self.pause_button.setText(self.tr("Resume") if c.paused else self.tr("Pause"))
        self.default_box.blockSignals(True)
        self.default_box.setChecked(c.enabled_by_default)
        self.default_box.blockSignals(False)
        self.set_skipped(status.skipped)

    def set_skipped(self, skipped: list[tuple[str, str]]) -> None:
        self.skipped = list(skipped)
        self.skipped_toggle.setText(self.tr("Skipped files (%1)").replace("%1", str(len(skipped))))
        self.skipped_toggle.setVisible(bool(skipped))
        rows = [f"<b>{html.escape(Path(p).name)}</b> — {html.escape(r)}" for p, r in skipped[:200]]
        self.skipped_list.setText("<br>".join(rows))
        self.skipped_list.setVisible(bool(skipped) and self.skipped_toggle.isChecked())

    def add_skipped(self, path: str, reason: str) -> None:
        if all(p != path for p, _ in self.skipped):
            self.set_skipped([*self.skipped, (path, reason)])

    @Slot(bool)
    def _show_skipped(self, on: bool) -> None:
        self.skipped_toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.skipped_list.setVisible(on)

    def show_progress(self, done: int, total: int, current: str, eta: float | None) -> None:
        self.progress.show()
        self.progress_label.show()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("%1 of %2 files").replace("%1", str(done)).replace("%2", str(total)))
        parts = [Path(current).name] if current else []
        left = eta_text(eta)
        if left:
            parts.append(left)
        self.progress_label.setText(" · ".join(parts) or self.tr("Starting…"))

    def hide_progress(self) -> None:
        self.progress.hide()
        self.progress_label.hide()


class DocumentsDialog(QDialog):
    def __init__(self, knowledge: Knowledge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsDialog")
        self.setWindowTitle(self.tr("Documents"))
        self.resize(720, 540)
        self.knowledge = knowledge
        self.cards: dict[int, CollectionCard] = {}
        self.jobs: dict[int, tuple[GeneratorWorker, IndexControl]] = {}
        #: The collection the background watcher is indexing now (its events say which).
        self.watcher_on: int | None = None
        add_folder = QPushButton(self.tr("Add folder…"))
        add_file = QPushButton(self.tr("Add file…"))
        add_folder.clicked.connect(self.choose_folder)
        add_file.clicked.connect(self.choose_file)
        intro = QLabel(self.tr("The assistant answers from these with numbered citations. "
                               "Formats: .txt, .md, .pdf, .docx, .html. Changes are picked up while "
                               "the app runs."))
        intro.setWordWrap(True)
        intro.setObjectName("secondaryText")
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        top = QHBoxLayout()
        top.addWidget(add_folder)
        top.addWidget(add_file)
        top.addStretch(1)
        self.empty = QLabel(self.tr("No documents yet. Add a folder to get started."))
        self.empty.setObjectName("placeholder")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        holder = QWidget()
        self.list_layout = QVBoxLayout(holder)
        self.list_layout.addWidget(self.empty)
        self.list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.error)
        layout.addWidget(scroll, 1)
        self.refresh()

    # content ------------------------------------------------------------------------------
    def refresh(self) -> None:
        statuses = [s for c in self.knowledge.collections.list()
                    if (s := self.knowledge.collections.status(c.id)) is not None]
        alive = {s.collection.id for s in statuses}
        for cid in [c for c in self.cards if c not in alive]:
            gone = self.cards.pop(cid)
            self.list_layout.removeWidget(gone)
            gone.deleteLater()
        for status in statuses:
            card = self.cards.get(status.collection.id)
            if card is None:
                card = CollectionCard(status)
                card.pauseToggled.connect(self.set_paused)
                card.reindexRequested.connect(lambda cid: self.start_index(cid, force=True))
                card.removeRequested.connect(self.remove)
                card.defaultToggled.connect(self.knowledge.collections.set_default_enabled)
                self.cards[status.collection.id] = card
                self.list_layout.insertWidget(self.list_layout.count() - 1, card)
            else:
                card.update_status(status)
        self.empty.setVisible(not self.cards)

    def _refresh_one(self, collection_id: int) -> None:
        status = self.knowledge.collections.status(collection_id)
        card = self.cards.get(collection_id)
        if status is not None and card is not None:
            card.update_status(status)

    # adding -------------------------------------------------------------------------------
    @Slot()
    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Add a folder"), str(Path.home()))
        if path:
            self.add(Path(path))

    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Add a file"), str(Path.home()), self.tr("Documents (%1)").replace("%1", FORMATS)
        )
        if path:
            self.add(Path(path))

    def add(self, path: Path) -> None:
        try:
            collection = self.knowledge.add(path)
        except CollectionError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        self.refresh()
        self.start_index(collection.id)

    # indexing -----------------------------------------------------------------------------
    def start_index(self, collection_id: int, force: bool = False) -> None:
        if collection_id in self.jobs:
            return
        knowledge = self.knowledge
        control = IndexControl()
        worker = GeneratorWorker(lambda _cancel: knowledge.index(collection_id, control, force), self)
        worker.produced.connect(self.handle_event)
        worker.finished.connect(lambda: self._job_finished(collection_id))
        self.jobs[collection_id] = (worker, control)
        card = self.cards.get(collection_id)
        if card is not None:
            card.show_progress(0, 0, "", None)
            card.progress_label.setText(self.tr("Waiting to start…"))
        worker.start()

    def _job_finished(self, collection_id: int) -> None:
        worker, _control = self.jobs.pop(collection_id, (None, None))
        if worker is not None:
            worker.deleteLater()
        card = self.cards.get(collection_id)
        if card is not None and not card.paused:
            card.hide_progress()
        self._refresh_one(collection_id)

    @Slot(object)
    def handle_event(self, event: object) -> None:
        """Progress from our own jobs and from the watcher (any collection)."""
        if isinstance(event, Failed):
            self.error.setText(event.message)
            self.error.show()
            return
        collection_id = getattr(event, "collection_id", None)
        card = self.cards.get(collection_id) if collection_id is not None else None
        if isinstance(event, IndexStarted):
            self.watcher_on = collection_id if collection_id not in self.jobs else self.watcher_on
            if card is not None and event.files_total:
                card.show_progress(0, event.files_total, "", None)
        elif isinstance(event, IndexProgress) and card is not None:
            card.show_progress(event.files_done, event.files_total, event.current_file, event.eta_seconds)
        elif isinstance(event, FileSkipped) and card is not None:
            card.add_skipped(event.path, event.reason)
        elif isinstance(event, IndexPaused) and card is not None:
            card.progress_label.setText(self.tr("Paused at %1 of %2 files")
                                        .replace("%1", str(event.files_done))
                                        .replace("%2", str(event.files_total)))
        elif isinstance(event, IndexFinished):
            if self.watcher_on == collection_id:
                self.watcher_on = None
            if card is not None:
                card.hide_progress()
            self._refresh_one(event.collection_id)

    def set_paused(self, collection_id: int, paused: bool) -> None:
        self.knowledge.collections.set_paused(collection_id, paused)
        job = self.jobs.get(collection_id)
        watcher = self.knowledge.watcher
        controls = [job[1]] if job else []
        if watcher is not None and self.watcher_on == collection_id:
            controls.append(watcher.control)
        for control in controls:
            control.pause() if paused else control.resume()
        self._refresh_one(collection_id)
        if not paused and not controls:
            self.start_index(collection_id)  # resume what an earlier pass left pending

    def remove(self, collection_id: int) -> None:
        job = self.jobs.get(collection_id)
        if job is not None:
            job[1].cancel()
        self.knowledge.remove(collection_id)  # chunks, search rows and vectors go too
        self.refresh()

    def shutdown(self) -> None:
        for _worker, control in self.jobs.values():
            control.cancel()
