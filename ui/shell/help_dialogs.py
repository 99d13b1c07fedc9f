"""The Help menu's dialogs: keyboard shortcuts (generated from the window's actions, so the
table cannot drift from the menus), About, and Copy diagnostics."""

from __future__ import annotations

import importlib.metadata
import platform

import PySide6
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import assistant
from assistant.core import Core
from assistant.diagnostics import collect
from assistant.events import ModelLoaded

translate = QCoreApplication.translate

#: The command a desktop can bind to a global key (Qt itself cannot grab global hotkeys).
NEW_CHAT_COMMAND = "assistant --new-chat"


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return translate("Actions", "not installed")


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str]]:
    """(what, keys) for every action with a shortcut, plus the composer's own keys."""
    rows = [
        (translate("Actions", "Send the message"), translate("Actions", "Enter")),
        (translate("Actions", "New line in the message"), translate("Actions", "Shift+Enter")),
    ]
    for action in actions.values():
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…"), ", ".join(keys)))
    rows.append((translate("Actions", "New chat from anywhere (desktop shortcut)"), NEW_CHAT_COMMAND))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(560, 560)
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, (what, keys) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(what))
            table.setItem(row, 1, QTableWidgetItem(keys))
        self.table = table
        note = QLabel(
            self.tr(
                "A system-wide “new chat” key: Qt apps cannot grab global hotkeys, so bind a key "
                "in your desktop's keyboard settings to the command <b>%1</b> (or to the "
                "“New chat” action of the app's menu entry). It opens a new chat in the running "
                "window, or starts the app."
            ).replace("%1", NEW_CHAT_COMMAND)
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)


def about_text() -> str:
    """Versions from package metadata: llama_cpp is never imported in the GUI process."""
    rows = [
        (translate("Actions", "Offline Assistant"), assistant.__version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("llama-cpp-python", _version("llama-cpp-python")),
        ("Python", platform.python_version()),
    ]
    table = "".join(f"<tr><td>{name}&nbsp;&nbsp;</td><td>{version}</td></tr>" for name, version in rows)
    blurb = translate("Actions", "Chat with a local model. Everything stays on this computer.")
    return f"<p><b>Offline Assistant</b></p><p>{blurb}</p><table>{table}</table>"


def about_box(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle(translate("Actions", "About Offline Assistant"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    return box


def copy_diagnostics(core: Core, loaded: ModelLoaded | None) -> str:
    """Versions, paths and the backend onto the clipboard: never chat content."""
    extra = {"gpu choice": loaded.detail} if loaded is not None and loaded.detail else {}
    settings = core.settings
    if settings.active_connection:
        connection = core.connections.get(settings.active_connection)
        where = f"{connection.base_url} ({connection.model})" if connection else "missing"
        extra["engine"] = f"remote: {where}"
    text = collect(settings, loaded.backend if loaded else "", qVersion(), extra)
    QGuiApplication.clipboard().setText(text)
    return text
