"""File → Export chats… and the sidebar's Export…: what, which format, where; written off the
GUI thread by ``assistant.transfer.export_conversations``.

The import side (preview, progress, cancel) is in :mod:`ui.chat.import_dialog`.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from assistant.core import Core
from assistant.transfer import ExportSummary, TransferError, export_conversations
from assistant.transfer.export import ExportFormat
from ui.bridge.workers import GeneratorWorker, run_off_thread

#: Format key (as export_conversations takes it) -> file suffix.
SUFFIXES = {"markdown": ".md", "json": ".json"}
def chats_text(count: int) -> str:
    """"1 chat" / "12 chats" (English has a singular; Chinese does not care)."""
    if count == 1:
        return QCoreApplication.translate("Transfer", "1 chat")
    return QCoreApplication.translate("Transfer", "%1 chats").replace("%1", f"{count:,}")


def messages_text(count: int) -> str:
    if count == 1:
        return QCoreApplication.translate("Transfer", "1 message")
    return QCoreApplication.translate("Transfer", "%1 messages").replace("%1", f"{count:,}")


def error_text(error: object) -> str:
    """An exception (or a core ``Failed``) as one sentence."""
    if isinstance(error, OSError) and not isinstance(error, TransferError):
        return error.strerror or str(error)
    return str(getattr(error, "message", "") or error)


def documents_dir() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(found) if found else Path.home()
    return path if path.is_dir() else Path.home()


def default_name(title: str | None, fmt: str, today: datetime.date | None = None) -> str:
    """``<chat title or "chats">-YYYY-MM-DD.<md|json>``, safe on every file system."""
    day = (today or datetime.date.today()).isoformat()
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title or "").strip(" .")
    stem = " ".join(stem.split())[:60] or "chats"
    return f"{stem}-{day}{SUFFIXES[fmt]}"


def unused_path(path: Path) -> Path:
    """``path``, or ``name (2).ext`` ... when it exists, so a default never overwrites."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        n += 1
    return candidate


class ExportDialog(QDialog):
    """Export one chat or all of them. ``exported`` carries the ExportSummary when done."""

    exported = Signal(object)

    def __init__(
        self,
        core: Core,
        conversation_id: int | None = None,
        parent: QWidget | None = None,
        folder: Path | None = None,
        selection: list[int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export chats"))
        self.setMinimumWidth(540)
        self.core = core
        self.worker: GeneratorWorker | None = None
        self.summary: ExportSummary | None = None
        self._folder = folder or documents_dir()
        self._named_by_user = False
        conversation = core.chats.conversation(conversation_id) if conversation_id else None
        self._title = conversation.title if conversation else None
        self.conversation_id = conversation.id if conversation else None
        self.selection = list(selection or []) if len(selection or []) > 1 else []
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Export"), self._scope_choice(len(core.chats.list_conversations())))
        form.addRow(self.tr("Format"), self._format_choice())
        form.addRow(self.tr("Save to"), self._path_row())
        self.status = QLabel()
        self.status.setObjectName("secondaryText")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self._buttons())
        self.scope.buttonToggled.connect(lambda *_: self._suggest())
        self.formats.buttonToggled.connect(lambda *_: self._suggest())
        self._suggest()

    # building --------------------------------------------------------------------------------
    def _scope_choice(self, total: int) -> QVBoxLayout:
        """This chat, the chats selected in the sidebar, or all of them."""
        alone = self.conversation_id is not None
        named = self.tr("This chat: “%1”").replace("%1", _short(self._title or ""))
        self.one = QRadioButton(named if alone else self.tr("This chat"))
        self.one.setEnabled(alone)
        self.one.setToolTip(self._title or self.tr("Open a chat first to export it alone."))
        self.some = QRadioButton(self.tr("The %1 selected chats").replace("%1", str(len(self.selection))))
        self.some.setVisible(bool(self.selection))
        self.all = QRadioButton(self.tr("All chats (%1)").replace("%1", f"{total:,}"))
        self.scope = QButtonGroup(self)
        for button in (self.one, self.some, self.all):
            self.scope.addButton(button)
        (self.some if self.selection else self.one if alone else self.all).setChecked(True)
        what = QVBoxLayout()
        for button in (self.one, self.some, self.all):
            what.addWidget(button)
        return what

    def _format_choice(self) -> QVBoxLayout:
        self.markdown = QRadioButton(self.tr("Markdown: easy to read and share"))
        self.json = QRadioButton(self.tr("JSON: complete, can be imported again"))
        self.markdown.setChecked(True)
        self.formats = QButtonGroup(self)
        self.formats.addButton(self.markdown)
        self.formats.addButton(self.json)
        formats = QVBoxLayout()
        formats.addWidget(self.markdown)
        formats.addWidget(self.json)
        return formats

    def _path_row(self) -> QHBoxLayout:
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("exportPath")
        self.path_edit.textEdited.connect(self._on_path_edited)
        self.browse = QPushButton(self.tr("Choose…"))
        self.browse.clicked.connect(self.choose_file)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.browse)
        return where

    def _buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        role = QDialogButtonBox.ButtonRole
        self.export_button = self.buttons.addButton(self.tr("Export"), role.AcceptRole)
        self.export_button.setDefault(True)
        self.show_folder = self.buttons.addButton(self.tr("Show folder"), role.ActionRole)
        self.show_folder.hide()
        self.show_folder.clicked.connect(self._open_folder)
        self.export_button.clicked.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    # choices -----------------------------------------------------------------------------
    def fmt(self) -> ExportFormat:
        return "json" if self.json.isChecked() else "markdown"

    def ids(self) -> list[int] | None:
        """The conversations to export; None: all of them."""
        if self.some.isChecked() and self.selection:
            return list(self.selection)
        return [self.conversation_id] if self.one.isChecked() and self.conversation_id else None

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self._named_by_user = True

    @Slot()
    def _on_path_edited(self) -> None:
        self._named_by_user = True

    def _suggest(self) -> None:
        """A fresh default name, or the user's name with the right suffix for the format."""
        fmt = self.fmt()
        if self._named_by_user and self.path_edit.text().strip():
            current = self.path()
            if current.suffix.lower() in (".md", ".json", ".markdown"):
                self.path_edit.setText(str(current.with_suffix(SUFFIXES[fmt])))
            return
        title = self._title if self.one.isChecked() else None
        self.path_edit.setText(str(unused_path(self._folder / default_name(title, fmt))))

    @Slot()
    def choose_file(self) -> None:
        fmt = self.fmt()
        filters = {"markdown": self.tr("Markdown (*.md)"), "json": self.tr("JSON (*.json)")}
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export chats"), str(self.path()), filters[fmt])
        if chosen:
            path = Path(chosen)
            self.set_path(path if path.suffix else path.with_suffix(SUFFIXES[fmt]))

    # export ------------------------------------------------------------------------------
    @Slot()
    def start_export(self) -> None:
        if self.worker is not None:
            return
        path = self.path()
        if not self.path_edit.text().strip() or path.is_dir():
            self._show_error(self.tr("Choose a file to save to."))
            return
        if not path.parent.is_dir():
            self._show_error(self.tr("The folder %1 does not exist.").replace("%1", str(path.parent)))
            return
        ids, fmt, core = self.ids(), self.fmt(), self.core
        self._set_running(True)
        self.status.setObjectName("secondaryText")
        self._restyle()
        self.status.setText(self.tr("Exporting…"))
        worker = run_off_thread(lambda: export_conversations(core, ids, fmt, path), self._on_done, self)
        worker.finished.connect(worker.deleteLater)
        self.worker = worker

    @Slot(object)
    def _on_done(self, result: object) -> None:
        # The result is the worker's last word: the dialog is usable again at once. (Waiting
        # for its thread's ``finished`` let a quick second Export click hit a disabled button.)
        self.worker = None
        self._set_running(False)
        if isinstance(result, ExportSummary):
            self.summary = result
            self.status.setObjectName("")  # the result reads as normal text, not a hint
            self._restyle()
            self.status.setText(
                self.tr("Exported %1 (%2) to %3.")
                .replace("%1", chats_text(result.conversations))
                .replace("%2", messages_text(result.messages))
                .replace("%3", str(result.path))
            )
            self.show_folder.show()
            self.buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
            self.exported.emit(result)
        else:
            self._show_error(self.tr("Could not export: %1").replace("%1", error_text(result)))

    def _set_running(self, running: bool) -> None:
        for widget in (self.export_button, self.browse, self.path_edit, self.one, self.some, self.all,
                       self.markdown, self.json):
            widget.setEnabled(not running and (widget is not self.one or self.conversation_id is not None))

    def _show_error(self, text: str) -> None:
        self.status.setObjectName("errorText")
        self._restyle()
        self.status.setText(text)

    def _restyle(self) -> None:
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    @Slot()
    def _open_folder(self) -> None:
        if self.summary is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.summary.path.parent)))

    def done(self, result: int) -> None:
        # The export writes to a temporary file and renames it: waiting is short and leaves no
        # half file behind; a closed dialog must not be deleted under its worker.
        if self.worker is not None:
            self.worker.wait(10_000)
        super().done(result)


def _short(title: str, limit: int = 48) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"
