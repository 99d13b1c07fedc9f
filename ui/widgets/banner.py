"""A one-line notice above the composer (info, error, undo, edit) with an optional button."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class Banner(QFrame):
    """A one-line notice with an optional action button and an optional timeout."""

    actionClicked = Signal()

    def __init__(self, kind: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"banner_{kind}")
        self.setProperty("bannerKind", kind)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.action = QPushButton()
        self.action.setFlat(True)
        self.action.setCursor(Qt.CursorShape.PointingHandCursor)
        self.action.clicked.connect(self.actionClicked)
        self.close_button = QPushButton("✕")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.label)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(
        self, text: str, action: str = "", timeout_ms: int = 0, closable: bool = True
    ) -> None:
        self.label.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.close_button.setVisible(closable)
        self._timer.stop()
        if timeout_ms:
            self._timer.start(timeout_ms)
        self.show()
