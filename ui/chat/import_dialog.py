"""File → Import chats…: a preview of the file (read off the GUI thread, nothing written), then
the import itself in a worker with a progress bar and Cancel.

The import holds the database's write lock until it ends, so the window pauses sending while
``running`` (see :class:`ui.chat.transfer.TransferController`). Closing the dialog while it
runs cancels the import; nothing is written then (one transaction per file).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.transfer import (
    ImportCancelled,
    ImportPreview,
    ImportProgress,
    ImportSummary,
    embedding_backlog,
    preview_import,
    run_import,
)
from ui.bridge.workers import EXPECTED, GeneratorWorker, Relay, run_off_thread
from ui.chat.export_dialog import chats_text, error_text, messages_text

#: The progress bar's resolution.
STEPS = 1000


class ImportDialog(QDialog):
    """One file: preview, then import. ``started``/``ended`` bracket the import itself;
    ``imported`` carries the ImportSummary of a successful one."""

    started = Signal()
    ended = Signal()
    imported = Signal(object)

    def __init__(
        self,
        core: Core,
        path: Path,
        parent: QWidget | None = None,
        blocked: Callable[[], str] | None = None,
    ) -> None:
        """``blocked()`` says why the import cannot start now ("" when it can)."""
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import chats"))
        self.setMinimumWidth(560)
        self.core = core
        self.path = Path(path)
        self._blocked = blocked or (lambda: "")
        self.preview: ImportPreview | None = None
        self.summary: ImportSummary | None = None
        self.cancelled = False
        self._close_when_ended = False
        self.preview_worker: GeneratorWorker | None = None
        self.import_worker: GeneratorWorker | None = None
        self._progress_relay = Relay(self)
        self._progress_relay.produced.connect(self._on_progress)

        self.heading = QLabel(self.tr("Reading %1…").replace("%1", self.path.name))
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = self._value()
        self.counts = self._value()
        self.dates = self._value()
        self.already = self._value()
        self.skipped = self._value()
        self.form.addRow(self.tr("File"), self._value(str(self.path)))
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("New"), self.counts)
        self.form.addRow(self.tr("Dates"), self.dates)
        self.form.addRow(self.tr("Already here"), self.already)
        self.form.addRow(self.tr("Left out"), self.skipped)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy while the preview reads
        self.buttons = QDialogButtonBox()
        self.import_button: QPushButton = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button: QPushButton = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self._on_cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.details)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._show_rows(False)

    def _value(self, text: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # titles and file names stay text
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _show_rows(self, visible: bool) -> None:
        for row in range(1, self.form.rowCount()):
            self.form.setRowVisible(row, visible)

    # preview ---------------------------------------------------------------------------
    def start_preview(self) -> None:
        core, path = self.core, self.path
        self.preview_worker = run_off_thread(lambda: preview_import(path, core), self._on_preview, self)

    @property
    def running(self) -> bool:
        return self.import_worker is not None

    @Slot(object)
    def _on_preview(self, result: object) -> None:
        self.progress.hide()
        if not isinstance(result, ImportPreview):
            self._fail(self.tr("Could not read the file."), error_text(result))
            return
        self.preview = preview = result
        if not preview.ok:
            self._fail(self.tr("This file cannot be imported."), preview.error or "")
            return
        self._show_rows(True)
        self.kind.setText(self.tr("A ChatGPT export") if preview.format == "chatgpt"
                          else self.tr("An export of Offline Assistant"))
        self.counts.setText(self._counts(preview.conversations, preview.messages))
        self.dates.setText(self._dates(preview.first_at, preview.last_at))
        already = chats_text(preview.already_imported)
        self.already.setText(self.tr("%1 (left as they are)").replace("%1", already))
        self.form.setRowVisible(self.already, preview.already_imported > 0)
        self.skipped.setText(self._skipped(preview.skipped))
        self.form.setRowVisible(self.skipped, bool(preview.skipped))
        self.details.setText("\n".join(preview.warnings))
        if preview.conversations:
            self.heading.setText(self.tr("Import these chats? Nothing has been written yet."))
            self.import_button.setEnabled(True)
            self.import_button.setDefault(True)
            self.import_button.setFocus()
        else:
            self.heading.setText(self.tr("Nothing new to import: every chat in this file is already here."))
            self.form.setRowVisible(self.counts, False)
            self.form.setRowVisible(self.dates, False)
            self._only_close()

    # import ----------------------------------------------------------------------------
    @Slot()
    def start_import(self) -> None:
        if self.running or self.preview is None or not self.preview.ok:
            return
        reason = self._blocked()
        if reason:
            self.heading.setText(reason)
            return
        core, path, relay = self.core, self.path, self._progress_relay

        def operation(cancel: CancelToken) -> Iterator[object]:
            try:
                yield run_import(core, path, progress=relay, cancel=lambda: cancel.cancelled)
            except EXPECTED as exc:
                yield exc

        self.import_worker = GeneratorWorker(operation, self)
        self.import_worker.produced.connect(self._on_imported)
        self.import_worker.finished.connect(self._on_import_finished)
        self.import_button.setEnabled(False)
        self.heading.setText(self.tr("Importing… sending messages is paused until it finishes."))
        self.progress.setRange(0, STEPS)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.progress.show()
        self.started.emit()
        self.import_worker.start()

    def cancel_import(self) -> None:
        if self.import_worker is not None and not self.cancelled:
            self.cancelled = True
            self.import_worker.cancel()
            self.heading.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)

    def wait(self, msecs: int) -> bool:
        """Block until the import has ended (for closing the window); True when it has."""
        worker = self.import_worker
        return worker is None or worker.wait(msecs)

    @Slot(object)
    def _on_progress(self, progress: object) -> None:
        if isinstance(progress, ImportProgress) and self.running and not self.cancelled:
            self.progress.setValue(int(progress.fraction * STEPS))
            self.progress.setFormat(
                self.tr("%p% · %1").replace("%1", chats_text(progress.conversations))
            )

    @Slot(object)
    def _on_imported(self, result: object) -> None:
        self.progress.hide()
        if isinstance(result, ImportSummary):
            self.summary = result
            self.heading.setText(self.tr("Imported %1 with %2.")
                                 .replace("%1", chats_text(result.conversations))
                                 .replace("%2", messages_text(result.messages)))
            lines = []
            if result.already_imported:
                lines.append(self.tr("Already here, left as they were: %1.")
                             .replace("%1", chats_text(result.already_imported)))
            if result.skipped:
                lines.append(self.tr("Left out: %1").replace("%1", self._skipped(result.skipped)))
            waiting = embedding_backlog(self.core)
            lines.append(
                self.tr("They can be searched by words now; recall finds them once they are embedded "
                        "in the background (%1 items waiting).").replace("%1", f"{waiting:,}")
                if waiting else self.tr("They can be searched and recalled like any other chat.")
            )
            self.details.setText("\n".join([*lines, *result.warnings]))
            self.imported.emit(result)
        elif isinstance(result, ImportCancelled):
            self.heading.setText(self.tr("Import cancelled; nothing was imported."))
        else:
            self._fail(self.tr("The import failed; nothing was imported."), error_text(result))

    @Slot()
    def _on_import_finished(self) -> None:
        worker, self.import_worker = self.import_worker, None
        if worker is not None:
            worker.deleteLater()
        if self.cancelled and self.summary is None:
            self.progress.hide()
            self.heading.setText(self.tr("Import cancelled; nothing was imported."))
        self._only_close()
        self.ended.emit()

    # helpers ---------------------------------------------------------------------------
    def _fail(self, text: str, detail: str = "") -> None:
        """A headline in the window's language; the core's detail (English) below it."""
        self.details.setText(detail)
        self.heading.setObjectName("errorText")
        self.heading.style().unpolish(self.heading)
        self.heading.style().polish(self.heading)
        self.heading.setText(text)
        self._only_close()

    def _only_close(self) -> None:
        self.import_button.hide()
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Close"))

    def _counts(self, conversations: int, messages: int) -> str:
        chats, texts = chats_text(conversations), messages_text(messages)
        return self.tr("%1, %2").replace("%1", chats).replace("%2", texts)

    def _dates(self, first: float | None, last: float | None) -> str:
        if first is None or last is None:
            return self.tr("unknown")
        day = [datetime.datetime.fromtimestamp(t).strftime("%Y-%m-%d") for t in (first, last)]
        return day[0] if day[0] == day[1] else self.tr("%1 to %2").replace("%1", day[0]).replace("%2", day[1])

    def _skipped(self, skipped: dict[str, int]) -> str:
        names = {
            "system messages": self.tr("system messages"),
            "tool messages": self.tr("tool messages"),
            "hidden messages": self.tr("hidden messages"),
            "messages with an unknown role": self.tr("messages with an unknown role"),
            "messages of a type this app cannot show": self.tr("messages of a type this app cannot show"),
            "empty messages": self.tr("empty messages"),
            "conversations with no messages": self.tr("chats with no messages"),
            "conversations that appear twice in the file": self.tr("chats that appear twice in the file"),
        }
        return self.tr(", ").join(f"{names.get(reason, reason)}: {count:,}"
                                  for reason, count in sorted(skipped.items()))

    # closing ---------------------------------------------------------------------------
    @Slot()
    def _on_cancel_button(self) -> None:
        """While importing: cancel, and stay to say so. Otherwise: close."""
        if self.running:
            self.cancel_import()
        else:
            self.reject()

    def reject(self) -> None:
        """Esc or the title bar's ✕ stop a running import first; the dialog closes once the
        import has ended, with nothing written."""
        if self.running:
            if not self._close_when_ended:
                self._close_when_ended = True
                self.ended.connect(lambda: QDialog.reject(self))
            self.cancel_import()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
