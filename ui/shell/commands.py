"""Menus, keyboard shortcuts, the shortcuts dialog, About and Copy diagnostics.

Every action is a QAction with its shortcut on the window, so the menus show the keys and the
Help → Keyboard shortcuts table is generated from the very same actions (it cannot drift).
"""

from __future__ import annotations

import importlib.metadata
import platform
from collections.abc import Callable
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import assistant
from assistant.diagnostics import collect

if TYPE_CHECKING:
    from ui.shell.window import MainWindow

translate = QCoreApplication.translate

#: The command a desktop can bind to a global key (Qt itself cannot grab global hotkeys).
NEW_CHAT_COMMAND = "assistant --new-chat"


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return translate("Actions", "not installed")


def add_action(
    window: MainWindow, menu: QMenu, text: str, slot: Callable[[], object], *keys: str | QKeySequence
) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    window.addAction(action)  # shortcuts work even while the menu bar is hidden or unfocused
    return action


def build_menus(window: MainWindow) -> dict[str, QAction]:
    bar = window.menuBar()
    a: dict[str, QAction] = {}
    std = QKeySequence.StandardKey
    file_menu = bar.addMenu(translate("MainWindow", "&File"))
    a["new"] = add_action(
        window, file_menu, translate("MainWindow", "&New chat"), window.new_chat, QKeySequence(std.New)
    )
    a["rename"] = add_action(
        window, file_menu, translate("MainWindow", "&Rename chat"), window.sidebar.start_rename, "F2"
    )
    a["delete"] = add_action(
        window, file_menu, translate("MainWindow", "&Delete chat"), window.sidebar.delete_current, "Del"
    )
    # Del only while the chat list has focus: elsewhere it must edit text, never delete a chat.
    window.removeAction(a["delete"])
    a["delete"].setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    window.sidebar.list.addAction(a["delete"])
    file_menu.addSeparator()
    a["export"] = add_action(
        window, file_menu, translate("MainWindow", "&Export chats…"), lambda: window.transfer.export_chats()
    )
    a["import"] = add_action(
        window, file_menu, translate("MainWindow", "&Import chats…"), lambda: window.transfer.import_chats()
    )
    file_menu.addSeparator()
    a["quit"] = add_action(window, file_menu, translate("MainWindow", "&Quit"), window.quit_app, "Ctrl+Q")

    edit_menu = bar.addMenu(translate("MainWindow", "&Edit"))
    a["filter"] = add_action(
        window, edit_menu, translate("MainWindow", "&Find chat…"), window.focus_filter, "Ctrl+F", "Ctrl+K"
    )
    a["composer"] = add_action(
        window, edit_menu, translate("MainWindow", "Focus the &message box"), window.focus_composer, "Ctrl+L"
    )
    a["search"] = add_action(
        window, edit_menu, translate("MainWindow", "&Search messages…"), window.open_search, "Ctrl+Shift+F"
    )
    edit_menu.addSeparator()
    a["settings"] = add_action(
        window, edit_menu, translate("MainWindow", "&Settings…"), window.open_settings, "Ctrl+,"
    )

    chat_menu = bar.addMenu(translate("MainWindow", "&Chat"))
    a["stop"] = add_action(window, chat_menu, translate("MainWindow", "S&top reply"), window.stop, "Esc")
    a["regenerate"] = add_action(
        window, chat_menu, translate("MainWindow", "&Regenerate last reply"), window.regenerate, "Ctrl+R"
    )
    a["copy_reply"] = add_action(
        window, chat_menu, translate("MainWindow", "&Copy last reply"), window.copy_last_reply, "Ctrl+Shift+C"
    )
    chat_menu.addSeparator()
    a["next"] = add_action(
        window,
        chat_menu,
        translate("MainWindow", "Ne&xt chat"),
        lambda: window.step_chat(1),
        "Ctrl+Tab",
        "Ctrl+PgDown",
    )
    a["previous"] = add_action(
        window,
        chat_menu,
        translate("MainWindow", "&Previous chat"),
        lambda: window.step_chat(-1),
        "Ctrl+Shift+Tab",
        "Ctrl+PgUp",
    )

    models_menu = bar.addMenu(translate("MainWindow", "&Models"))
    a["models"] = add_action(
        window,
        models_menu,
        translate("MainWindow", "&Models and downloads…"),
        window.open_models,
        "Ctrl+Shift+M",
    )
    a["add_model"] = add_action(
        window, models_menu, translate("MainWindow", "&Add a model file…"), window.add_model_file
    )
    a["remote"] = add_action(
        window, models_menu, translate("MainWindow", "&Remote engines…"), lambda: window.open_models("remote")
    )

    tools_menu = bar.addMenu(translate("MainWindow", "&Tools"))
    a["agenda"] = add_action(
        window, tools_menu, translate("MainWindow", "&Agenda…"), window.open_agenda, "Ctrl+Shift+A"
    )
    a["memory"] = add_action(
        window, tools_menu, translate("MainWindow", "&Memory…"), window.open_memory, "Ctrl+Shift+E"
    )
    a["documents"] = add_action(
        window, tools_menu, translate("MainWindow", "&Documents…"), window.open_documents, "Ctrl+Shift+D"
    )

    help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    a["shortcuts"] = add_action(
        window,
        help_menu,
        translate("MainWindow", "&Keyboard shortcuts"),
        window.show_shortcuts,
        "F1",
        "Ctrl+/",
    )
    a["diagnostics"] = add_action(
        window, help_menu, translate("MainWindow", "Copy &diagnostics"), window.copy_diagnostics
    )
    help_menu.addSeparator()
    a["about"] = add_action(window, help_menu, translate("MainWindow", "&About"), window.about)
    return a


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


def copy_diagnostics(window: MainWindow) -> str:
    loaded = window.last_loaded
    extra = {"gpu choice": loaded.detail} if loaded is not None and loaded.detail else {}
    settings = window.core.settings
    if settings.active_connection:
        connection = window.core.connections.get(settings.active_connection)
        where = f"{connection.base_url} ({connection.model})" if connection else "missing"
        extra["engine"] = f"remote: {where}"
    text = collect(settings, loaded.backend if loaded else "", qVersion(), extra)
    QGuiApplication.clipboard().setText(text)
    return text
