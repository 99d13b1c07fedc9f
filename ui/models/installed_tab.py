"""Models → Installed: the models on this computer (facts from their GGUF headers), Use,
Add, Remove and each model's own defaults.

Header facts are read by ``ModelLibrary.list()`` without loading weights (≤ 50 ms a model, per
the bench), so the list is built on the GUI thread; loading the chosen model happens in the
window's preload worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant.config import starter_model_path
from assistant.core import Core
from assistant.models.library import ModelInfo, ModelLibraryError
from assistant.store.db import StorageError
from ui.widgets.formatting import human_bytes

PATH_ROLE = Qt.ItemDataRole.UserRole
#: (title, question) -> yes?  Injectable so tests never block on a modal box.
Confirm = Callable[[str, str], bool]


def ask_yes_no(parent: QWidget) -> Confirm:
    def confirm(title: str, question: str) -> bool:
        answer = QMessageBox.question(parent, title, question)
        return answer == QMessageBox.StandardButton.Yes

    return confirm


class GpuLayersBox(QSpinBox):
    """-2: the global setting, -1: automatic, 0: CPU only, n: that many layers."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(-2, 1000)

    def textFromValue(self, value: int) -> str:
        if value == -2:
            return self.tr("Global setting")
        if value == -1:
            return self.tr("Auto (as many as fit)")
        return str(value)

    def valueFromText(self, text: str) -> int:
        if text == self.tr("Global setting"):
            return -2
        if text == self.tr("Auto (as many as fit)"):
            return -1
        return int(text) if text.strip().lstrip("-").isdigit() else 0


class InstalledTab(QWidget):
    modelChosen = Signal()

    def __init__(self, core: Core, engine_info: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.confirm: Confirm = ask_yes_no(self)
        self._engine_info = engine_info
        self.models: list[ModelInfo] = []
        columns = QHBoxLayout()
        columns.addLayout(self._build_list_column(), 2)
        columns.addLayout(self._build_details_column(), 3)
        self.engine_label = QLabel()
        self.engine_label.setWordWrap(True)
        self.engine_label.setObjectName("secondaryText")
        self.engine_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.engine_label)
        self.refresh()

    # building --------------------------------------------------------------------------------
    def _build_list_column(self) -> QVBoxLayout:
        """The installed models, a drop hint, Add and Remove."""
        self.list = QListWidget()
        self.list.setMinimumWidth(230)
        self.list.currentItemChanged.connect(lambda *_: self._show_selected())
        add = QPushButton(self.tr("Add model file…"))
        add.clicked.connect(self.choose_file)
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.remove_button.clicked.connect(self.remove_selected)
        column = QVBoxLayout()
        column.addWidget(self.list, 1)
        hint = QLabel(self.tr("Tip: drop a .gguf file on the window to add it."))
        hint.setObjectName("secondaryText")
        hint.setWordWrap(True)
        column.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(self.remove_button)
        column.addLayout(row)
        return column

    def _build_details_column(self) -> QVBoxLayout:
        """The selected model's header facts, its error, Use, and its own defaults."""
        details = self._build_facts()
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.use_button = QPushButton(self.tr("Use this model"))
        self.use_button.setObjectName("primaryButton")
        self.use_button.clicked.connect(self.use_selected)
        defaults_box = self._build_defaults()
        column = QVBoxLayout()
        column.addLayout(details)
        column.addWidget(self.error)
        column.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(defaults_box)
        column.addStretch(1)
        return column

    def _build_facts(self) -> QFormLayout:
        self.facts: dict[str, QLabel] = {}
        details = QFormLayout()
        for key, label in (
            ("name", self.tr("Name")), ("file", self.tr("File")), ("source", self.tr("Source")),
            ("architecture", self.tr("Architecture")), ("parameters", self.tr("Parameters")),
            ("quantization", self.tr("Quantisation")), ("size", self.tr("File size")),
            ("context", self.tr("Trained context")), ("template", self.tr("Chat template")),
            ("tools", self.tr("Tool calling")),
        ):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.facts[key] = value
            details.addRow(label, value)
        return details

    def _build_defaults(self) -> QGroupBox:
        """Per-model overrides of the global settings (unset: the global value)."""
        box = QGroupBox(self.tr("Defaults for this model"))
        defaults = QFormLayout(box)
        self.n_ctx = QSpinBox()
        self.n_ctx.setRange(0, 1_048_576)
        self.n_ctx.setSingleStep(1024)
        self.n_ctx.setSpecialValueText(self.tr("Global setting"))
        self.n_gpu_layers = GpuLayersBox()
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(-0.1, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.temperature.setSpecialValueText(self.tr("Global setting"))
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setPlaceholderText(self.tr("Empty: use the global system prompt"))
        self.system_prompt.setMaximumHeight(70)
        defaults.addRow(self.tr("Context length"), self.n_ctx)
        defaults.addRow(self.tr("GPU layers"), self.n_gpu_layers)
        defaults.addRow(self.tr("Temperature"), self.temperature)
        defaults.addRow(self.tr("System prompt"), self.system_prompt)
        self.save_defaults_button = QPushButton(self.tr("Save defaults"))
        self.save_defaults_button.clicked.connect(self.save_defaults)
        self.defaults_note = QLabel()
        self.defaults_note.setObjectName("secondaryText")
        note_row = QHBoxLayout()
        note_row.addWidget(self.defaults_note, 1)
        note_row.addWidget(self.save_defaults_button)
        defaults.addRow(note_row)
        return box

    # content -----------------------------------------------------------------------------
    def in_use(self) -> Path | None:
        if self.core.settings.active_connection:
            return None  # a remote connection is in use instead
        path = self.core.settings.effective_model_path()
        return path.resolve() if path else None

    def refresh(self, select: Path | None = None) -> None:
        current = select or self.selected_path()
        try:
            self.models = self.core.models.list()
        except StorageError as exc:
            self.say(str(exc), error=True)
            self.models = []
        active = self.in_use()
        self.list.clear()
        for info in self.models:
            marks = " ⚠" if info.error else ""
            text = f"{info.name}{marks}\n{info.path.name}"
            if info.path.resolve() == active:
                text = self.tr("✓ %1 (in use)").replace("%1", info.name) + f"\n{info.path.name}"
            item = QListWidgetItem(text)
            item.setData(PATH_ROLE, str(info.path))
            if info.path.resolve() == active:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
            if current is not None and info.path.resolve() == Path(current).resolve():
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._show_selected()
        self.engine_label.setText(self._engine_info())

    def selected(self) -> ModelInfo | None:
        item = self.list.currentItem()
        if item is None:
            return None
        path = Path(str(item.data(PATH_ROLE)))
        return next((m for m in self.models if m.path == path), None)

    def selected_path(self) -> Path | None:
        info = self.selected()
        return info.path if info else None

    def _show_selected(self) -> None:
        info = self.selected()
        for label in self.facts.values():
            label.clear()
        self.use_button.setEnabled(info is not None)
        self.save_defaults_button.setEnabled(info is not None)
        self.remove_button.setEnabled(info is not None and info.source != "starter")
        if info is None:
            self.error.hide()
            return
        yes, no = self.tr("yes"), self.tr("no")
        sources = {"starter": self.tr("Bundled starter model"), "downloaded": self.tr("Downloaded"),
                   "added": self.tr("Added from disk")}
        self.facts["name"].setText(info.name)
        self.facts["file"].setText(str(info.path))
        self.facts["source"].setText(sources.get(info.source, info.source))
        if not info.error:
            self.facts["architecture"].setText(info.architecture or "?")
            self.facts["parameters"].setText(info.parameters_label)
            self.facts["quantization"].setText(info.quantization or "?")
            self.facts["size"].setText(human_bytes(info.file_size))
            self.facts["context"].setText(self.tr("%1 tokens").replace("%1", f"{info.context_length:,}"))
            self.facts["template"].setText(yes if info.has_chat_template else no)
            self.facts["tools"].setText(yes if info.supports_tools else no)
        self.error.setText(self.tr("This model file is damaged or missing: %1").replace("%1", info.error))
        self.error.setVisible(bool(info.error))
        using = info.path.resolve() == self.in_use()
        self.use_button.setText(self.tr("In use") if using else self.tr("Use this model"))
        self.use_button.setEnabled(not using and not info.error)
        self._load_defaults(info)

    def _load_defaults(self, info: ModelInfo) -> None:
        values = info.defaults
        self.n_ctx.setValue(int(values.get("n_ctx", 0)))
        self.n_gpu_layers.setValue(int(values.get("n_gpu_layers", -2)))
        self.temperature.setValue(float(values.get("temperature", -0.1)))
        self.system_prompt.setPlainText(str(values.get("system_prompt", "")))
        self.defaults_note.setText(self.tr("Unset fields use the global settings."))

    def say(self, text: str, error: bool = False) -> None:
        self.message.setObjectName("errorText" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    # actions -----------------------------------------------------------------------------
    @Slot()
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Add a model"), str(Path.home()), self.tr("GGUF models (*.gguf);;All files (*)")
        )
        if path:
            self.add_files([Path(path)])

    def add_files(self, paths: list[Path]) -> list[str]:
        """Add each file to the library; returns the error messages (shown as well)."""
        errors: list[str] = []
        added: Path | None = None
        for path in paths:
            try:
                info = self.core.models.add(path)
            except (ModelLibraryError, StorageError) as exc:
                errors.append(str(exc))
                continue
            added = info.path
        if errors:
            self.say("\n".join(errors), error=True)
        elif added is not None:
            self.say(self.tr("Added %1. Select it and press “Use this model”.").replace("%1", added.name))
        self.refresh(select=added)
        return errors

    @Slot()
    def remove_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        question = self.tr(
            "Remove %1 from the library?\n\nA model downloaded into the app's models folder is "
            "deleted from disk; a file you added from elsewhere is only forgotten (the file stays)."
        ).replace("%1", info.name)
        if not self.confirm(self.tr("Remove model"), question):
            return
        try:
            message = self.core.models.remove(info.path)
        except (ModelLibraryError, StorageError) as exc:
            self.say(str(exc), error=True)
            return
        if info.path.resolve() == self.in_use():
            # The removed model was in use: fall back to the starter rather than a missing file.
            self.core.save_settings(replace(self.core.settings, model_path=""))
            self.modelChosen.emit()
        self.say(message)
        self.refresh()

    @Slot()
    def use_selected(self) -> None:
        info = self.selected()
        if info is None or info.error:
            return
        starter = starter_model_path()
        stored = "" if starter is not None and info.path.resolve() == starter.resolve() else str(info.path)
        try:
            self.core.save_settings(replace(self.core.settings, model_path=stored, active_connection=0))
        except StorageError as exc:
            self.say(str(exc), error=True)
            return
        self.say(self.tr("%1 will answer from the next message on.").replace("%1", info.name))
        self.refresh()
        self.modelChosen.emit()

    @Slot()
    def save_defaults(self) -> None:
        info = self.selected()
        if info is None:
            return
        values: dict[str, object] = {}
        if self.n_ctx.value() > 0:
            values["n_ctx"] = self.n_ctx.value()
        if self.n_gpu_layers.value() >= -1:
            values["n_gpu_layers"] = self.n_gpu_layers.value()
        if self.temperature.value() >= 0:
            values["temperature"] = round(self.temperature.value(), 2)
        if self.system_prompt.toPlainText().strip():
            values["system_prompt"] = self.system_prompt.toPlainText()
        try:
            self.core.models.set_defaults(info.path, values)
        except StorageError as exc:
            self.say(str(exc), error=True)
            return
        self.refresh(select=info.path)
        self.defaults_note.setText(self.tr("Saved. They apply from the next message."))
        self.modelChosen.emit()  # the effective settings changed: reload if needed
