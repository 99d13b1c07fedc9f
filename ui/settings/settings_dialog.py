"""Settings: model, performance knobs, prompts, language and desktop. Saving is the caller's job."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.config import Settings, physical_cores, starter_model_path

#: (stored value, native name); "" follows the system locale.
LANGUAGES = [("", "System"), ("en", "English"), ("zh_CN", "简体中文")]


def spin_box(low: int, high: int, value: int, step: int = 1) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setValue(value)
    return box


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        conversation_prompt: str | None,
        has_conversation: bool,
        parent: QWidget | None = None,
        engine_info: str = "",
        autostart: bool | None = None,
        pages: list[tuple[str, QWidget]] | None = None,
    ) -> None:
        """``pages``: extra tabs (Agent); each may have a ``save()`` that runs on Save."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(560)
        self._original = settings
        self.has_conversation = has_conversation
        #: None: start-at-login is not available on this platform (the option is hidden).
        self.autostart_initial = autostart
        tabs = QTabWidget()
        tabs.addTab(self._model_page(settings, engine_info), self.tr("Model"))
        tabs.addTab(self._prompts_page(settings, conversation_prompt, has_conversation), self.tr("Prompts"))
        tabs.addTab(self._language_page(settings), self.tr("Language"))
        tabs.addTab(self._desktop_page(autostart), self.tr("Desktop"))
        self.pages = [page for _title, page in pages or []]
        for title, page in pages or []:
            tabs.addTab(page, title)
        self.tabs = tabs
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    # the tabs --------------------------------------------------------------------------------
    def _model_page(self, settings: Settings, engine_info: str) -> QWidget:
        """Model file and performance knobs, and what the last load decided."""
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(self.tr("Model file"), self._model_file_row(settings))
        self._add_performance_rows(form, settings)
        note = QLabel(self.tr("Model, context, thread and GPU changes apply to the next message. "
                              "Each model can override them on the Models page."))
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow(note)
        # What llama.cpp was built with and why it chose these GPU layers (from the last load).
        self.engine_label = QLabel(engine_info or self.tr("Decided when the model loads."))
        self.engine_label.setWordWrap(True)
        self.engine_label.setObjectName("secondaryText")
        self.engine_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Backend"), self.engine_label)
        return page

    def _model_file_row(self, settings: Settings) -> QHBoxLayout:
        self.model_path = QLineEdit(settings.model_path)
        starter = starter_model_path()
        starter_text = starter.name if starter else self.tr("not installed")
        self.model_path.setPlaceholderText(self.tr("Bundled starter model (%1)").replace("%1", starter_text))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        clear = QPushButton(self.tr("Use starter"))
        clear.setToolTip(self.tr("Use the bundled starter model"))
        clear.clicked.connect(self.model_path.clear)
        row = QHBoxLayout()
        row.addWidget(self.model_path, 1)
        row.addWidget(browse)
        row.addWidget(clear)
        return row

    def _add_performance_rows(self, form: QFormLayout, settings: Settings) -> None:
        self.n_ctx = spin_box(512, 262_144, settings.n_ctx, step=1024)
        self.n_ctx.setSuffix(self.tr(" tokens"))
        form.addRow(self.tr("Context length"), self.n_ctx)
        self.n_threads = spin_box(0, 256, settings.n_threads)
        self.n_threads.setSpecialValueText(
            self.tr("Auto (%1 physical cores)").replace("%1", str(physical_cores()))
        )
        form.addRow(self.tr("CPU threads"), self.n_threads)
        self.n_gpu_layers = spin_box(-1, 1000, settings.n_gpu_layers)
        self.n_gpu_layers.setSpecialValueText(self.tr("Auto (as many as fit in GPU memory)"))
        self.n_gpu_layers.setToolTip(self.tr("Layers offloaded to the GPU; 0 runs on the CPU only"))
        form.addRow(self.tr("GPU layers"), self.n_gpu_layers)
        self.gpu_memory = spin_box(0, 1_048_576, getattr(settings, "gpu_memory_limit_mb", 0), step=512)
        self.gpu_memory.setSuffix(self.tr(" MB"))
        self.gpu_memory.setSpecialValueText(self.tr("No limit"))
        form.addRow(self.tr("GPU memory limit"), self.gpu_memory)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.temperature.setValue(settings.temperature)
        form.addRow(self.tr("Temperature"), self.temperature)
        self.max_tokens = spin_box(16, 32_768, settings.max_reply_tokens)
        form.addRow(self.tr("Max reply length"), self.max_tokens)

    def _prompts_page(
        self, settings: Settings, conversation_prompt: str | None, has_conversation: bool
    ) -> QWidget:
        page = QWidget()
        prompts = QVBoxLayout(page)
        prompts.addWidget(QLabel(self.tr("System prompt for all chats")))
        self.system_prompt = QPlainTextEdit(settings.system_prompt)
        prompts.addWidget(self.system_prompt)
        prompts.addWidget(QLabel(self.tr("System prompt for this chat (empty: use the one above)")))
        self.chat_prompt = QPlainTextEdit(conversation_prompt or "")
        self.chat_prompt.setEnabled(has_conversation)
        if not has_conversation:
            self.chat_prompt.setPlaceholderText(self.tr("Open or start a chat to set its own prompt."))
        prompts.addWidget(self.chat_prompt)
        return page

    def _language_page(self, settings: Settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.language = QComboBox()
        self.language.addItem(self.tr("System"), "")
        # Language names are written in their own language, so they are not translated.
        for code, label in LANGUAGES[1:]:
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        form.addRow(self.tr("Language"), self.language)
        hint = QLabel(self.tr("A new language applies after a restart."))
        hint.setEnabled(False)
        form.addRow(hint)
        return page

    def _desktop_page(self, autostart: bool | None) -> QWidget:
        page = QWidget()
        desktop = QVBoxLayout(page)
        self.autostart = QCheckBox(self.tr("Start Offline Assistant when I log in (in the tray)"))
        self.autostart.setChecked(bool(autostart))
        self.autostart.setVisible(autostart is not None)
        desktop.addWidget(self.autostart)
        tray_note = QLabel(
            self.tr("Closing the window keeps the app in the system tray, so reminders still fire. "
                    "Quit it from the tray menu or with Ctrl+Q.")
        )
        tray_note.setWordWrap(True)
        tray_note.setEnabled(False)
        desktop.addWidget(tray_note)
        desktop.addStretch(1)
        return page

    # saving ----------------------------------------------------------------------------------
    @Slot()
    def _browse(self) -> None:
        start = str(Path(self.model_path.text()).parent) if self.model_path.text() else ""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a model"), start, self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.model_path.setText(path)

    def result_settings(self) -> Settings:
        extra: dict[str, Any] = {}
        if hasattr(self._original, "gpu_memory_limit_mb"):
            extra["gpu_memory_limit_mb"] = self.gpu_memory.value()
        return replace(
            self._original,
            **extra,
            model_path=self.model_path.text().strip(),
            n_ctx=self.n_ctx.value(),
            n_threads=self.n_threads.value(),
            n_gpu_layers=self.n_gpu_layers.value(),
            temperature=self.temperature.value(),
            max_reply_tokens=self.max_tokens.value(),
            system_prompt=self.system_prompt.toPlainText(),
            language=str(self.language.currentData() or ""),
        )

    def conversation_prompt(self) -> str | None:
        text = self.chat_prompt.toPlainText()
        return text if text.strip() else None

    def save_pages(self) -> None:
        for page in self.pages:
            save = getattr(page, "save", None)
            if callable(save):
                save()

    def autostart_enabled(self) -> bool | None:
        return self.autostart.isChecked() if self.autostart_initial is not None else None
