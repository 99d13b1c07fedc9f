"""The status bar: what the model is doing (left) and which model answers (right, a button that
opens Models), with the backend facts of the last load in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar

from assistant.core import Core
from assistant.events import ModelLoaded
from ui.bridge.api_server import ERROR, RUNNING
from ui.widgets.banner import Banner


class WindowStatus(QObject):
    modelClicked = Signal()

    def __init__(self, core: Core, bar: QStatusBar, error_bar: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self.bar = bar
        self.error_bar = error_bar
        #: The last model load (backend, GPU layers, context); None until a load or after a switch.
        self.last_loaded: ModelLoaded | None = None
        self.state_label = QLabel(self.tr("Ready"))
        self.model_label = QPushButton()  # a button: clicking the model name opens the Models page
        self.model_label.setObjectName("modelLabel")
        self.model_label.setFlat(True)
        self.model_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.model_label.clicked.connect(self.modelClicked)
        bar.addWidget(self.state_label, 1)
        bar.addPermanentWidget(self.model_label)

    def say(self, text: str) -> None:
        self.state_label.setText(text)

    def text(self) -> str:
        return self.state_label.text()

    def flash(self, text: str, timeout_ms: int) -> None:
        """A passing message over the left side (copied, imported, API address)."""
        self.bar.showMessage(text, timeout_ms)

    def show_model_name(self, name: str = "") -> None:
        settings = self.core.settings
        active = settings.active_connection
        connection = self.core.connections.get(active) if active else None
        if connection is not None:
            name = self.tr("%1 (remote)").replace("%1", connection.name)
        elif not name:
            path = settings.effective_model_path()
            name = path.name if path else self.tr("No model set — choose one in Models")
        self.model_label.setText(name)
        self.model_label.setToolTip(self.engine_info() + "\n" + self.tr("Click to manage models."))

    def engine_info(self) -> str:
        """The backend and why these GPU settings, from the last load (for status bar, pages)."""
        loaded = self.last_loaded
        if loaded is None:
            return self.tr("llama.cpp backend and GPU layers: decided when the model loads.")
        text = self.tr("Backend: %1 · GPU layers: %2 · context %3 · loaded in %4 s").replace(
            "%1", loaded.backend).replace("%2", str(loaded.n_gpu_layers)).replace(
            "%3", str(loaded.n_ctx)).replace("%4", f"{loaded.load_seconds:.1f}")
        return f"{text}\n{loaded.detail}" if loaded.detail else text

    def forget_load(self) -> None:
        """Another model was chosen: the next load decides the backend and layers again."""
        self.last_loaded = None
        self.show_model_name()

    @Slot(str, str)
    def on_status(self, state: str, _detail: str) -> None:
        texts = {
            "loading": self.tr("Loading the model…"),
            "ready": self.tr("Ready"),
            "generating": self.tr("Generating…"),
            "error": self.tr("Error"),
        }
        self.say(texts.get(state, state))

    @Slot(object)
    def on_model_loaded(self, event: ModelLoaded) -> None:
        self.last_loaded = event
        name = event.name if event.name and event.name != "scripted" else ""
        self.show_model_name(name)
        self.state_label.setToolTip(self.engine_info())

    @Slot(str, str)
    def on_api_state(self, state: str, detail: str) -> None:
        """The local API's errors and its address, as they come."""
        if state == ERROR:
            self.error_bar.show_message(detail)
        elif state == RUNNING:
            self.flash(self.tr("Local API running at %1").replace("%1", detail), 8000)
