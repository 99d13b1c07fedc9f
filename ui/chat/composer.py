"""Where the user types: Enter sends, Shift+Enter adds a line; Send turns into Stop."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.widgets.banner import Banner


class MessageEdit(QPlainTextEdit):
    """Enter submits; Shift+Enter (or Ctrl+Enter) inserts a new line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            modifiers = event.modifiers()
            if not modifiers & (
                Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
            ):
                # Input methods (Chinese pinyin) commit with Enter inside their own popup;
                # that never reaches here, so plain Enter is always "send".
                self.submitted.emit()
                return
            self.insertPlainText("\n")
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    """Text box, Send/Stop button and the "Editing message" banner."""

    sendRequested = Signal(str)
    stopRequested = Signal()
    editCancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.editing_id: int | None = None
        self._busy = False
        self._paused = ""  # why sending is paused (an import holds the database); "": not

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 8, 16, 12)
        outer.setSpacing(6)
        self.edit_banner = Banner("edit")
        self.edit_banner.actionClicked.connect(self.cancel_edit)
        self.edit_banner.close_button.clicked.connect(self.cancel_edit)
        outer.addWidget(self.edit_banner)

        row = QHBoxLayout()
        row.setSpacing(8)
        self.editor = MessageEdit()
        self.editor.setObjectName("composerEdit")
        self.editor.setPlaceholderText(
            self.tr("Message the assistant (Enter to send, Shift+Enter for a new line)")
        )
        self.editor.setTabChangesFocus(True)
        self.editor.setFixedHeight(84)
        self.editor.submitted.connect(self._on_submit)
        self.editor.textChanged.connect(self._update_button)
        self.button = QPushButton(self.tr("Send"))
        self.button.setObjectName("sendButton")
        self.button.setDefault(False)
        self.button.setMinimumWidth(88)
        self.button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.button.clicked.connect(self._on_button)
        row.addWidget(self.editor, 1)
        row.addWidget(self.button)
        outer.addLayout(row)
        self._update_button()

    # state -----------------------------------------------------------------------------
    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        self.editor.setPlainText(text)
        cursor = self.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.editor.setTextCursor(cursor)

    def clear(self) -> None:
        self.editor.clear()

    def set_busy(self, busy: bool) -> None:
        """While generating the button is Stop; typing the next message stays possible."""
        self._busy = busy
        self._update_button()

    def set_paused(self, reason: str) -> None:
        """Pause sending (typing stays possible) with ``reason`` as the button's tooltip;
        "" resumes."""
        self._paused = reason
        self._update_button()

    @property
    def paused(self) -> bool:
        return bool(self._paused)

    def start_edit(self, message_id: int, text: str) -> None:
        self.editing_id = message_id
        self.set_text(text)
        self.edit_banner.show_message(
            self.tr("Editing message — the chat continues from the edited text."),
            self.tr("Cancel"),
        )
        self.editor.setFocus()

    @Slot()
    def cancel_edit(self) -> None:
        if self.editing_id is None:
            return
        self.editing_id = None
        self.edit_banner.hide()
        self.clear()
        self.editCancelled.emit()

    def finish_edit(self) -> None:
        self.editing_id = None
        self.edit_banner.hide()

    # internals -------------------------------------------------------------------------
    @Slot()
    def _update_button(self) -> None:
        if self._busy:
            self.button.setText(self.tr("Stop"))
            self.button.setToolTip(self.tr("Stop the reply (what was written is kept)"))
            self.button.setEnabled(True)
        elif self._paused:
            self.button.setText(self.tr("Send"))
            self.button.setToolTip(self._paused)
            self.button.setEnabled(False)
        else:
            self.button.setText(self.tr("Send"))
            self.button.setToolTip(self.tr("Send (Enter)"))
            self.button.setEnabled(bool(self.text().strip()))
        self.button.setProperty("busy", self._busy)
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)

    @Slot()
    def _on_button(self) -> None:
        if self._busy:
            self.stopRequested.emit()
        else:
            self._on_submit()

    @Slot()
    def _on_submit(self) -> None:
        text = self.text()
        if self._busy or self._paused or not text.strip():
            return  # empty message: nothing happens; busy: Enter must not stop the reply
        self.sendRequested.emit(text)
