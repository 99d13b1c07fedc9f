"""Every menu command, declared once (calibre's ``gui2/actions``): where it sits, its text, its
keys and what it does. The window installs the table and never lists commands itself.

Each becomes a QAction with its shortcut on the window, so shortcuts work while the menu bar
is hidden or unfocused, the menus show the keys, and Help → Keyboard shortcuts is generated
from the same actions (:func:`ui.shell.help_dialogs.shortcut_rows`): they cannot drift apart.
To add a command, add a row to :data:`COMMANDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from ui.chat import navigation

if TYPE_CHECKING:  # types only: the parts import nothing from here
    from ui.chat.controller import ChatController
    from ui.shell.desktop import DesktopBehaviour
    from ui.shell.dialogs import Dialogs

translate = QCoreApplication.translate


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for translation in ``context`` (lupdate finds calls by this very name);
    it is translated when the menus are built. Qt's own is typed as returning ``object``."""
    return text

Key = str | QKeySequence.StandardKey
#: Where a shortcut works: anywhere in the window, or only while the chat list has focus.
WINDOW, CHAT_LIST = "window", "chat list"


class CommandHost(Protocol):
    """What the commands act on: the window's parts."""

    @property
    def chat(self) -> ChatController: ...
    @property
    def dialogs(self) -> Dialogs: ...
    @property
    def desktop(self) -> DesktopBehaviour: ...
    @property
    def actions_by_name(self) -> dict[str, QAction]: ...


@dataclass(frozen=True)
class Command:
    id: str
    menu: str  # a key of MENUS
    text: str  # source text, translated in the "MainWindow" context
    keys: tuple[Key, ...]
    run: Callable[[CommandHost], object]
    separator_before: bool = False
    scope: str = WINDOW


MENUS = (
    ("file", QT_TRANSLATE_NOOP("MainWindow", "&File")),
    ("edit", QT_TRANSLATE_NOOP("MainWindow", "&Edit")),
    ("chat", QT_TRANSLATE_NOOP("MainWindow", "&Chat")),
    ("models", QT_TRANSLATE_NOOP("MainWindow", "&Models")),
    ("tools", QT_TRANSLATE_NOOP("MainWindow", "&Tools")),
    ("help", QT_TRANSLATE_NOOP("MainWindow", "&Help")),
)

COMMANDS = (
    # File
    Command("new", "file", QT_TRANSLATE_NOOP("MainWindow", "&New chat"), (QKeySequence.StandardKey.New,),
            lambda w: w.chat.new_chat()),
    Command("rename", "file", QT_TRANSLATE_NOOP("MainWindow", "&Rename chat"), ("F2",),
            lambda w: w.chat.sidebar.start_rename()),
    # Del only while the chat list has focus: elsewhere it must edit text, never delete a chat.
    Command("delete", "file", QT_TRANSLATE_NOOP("MainWindow", "&Delete chat"), ("Del",),
            lambda w: w.chat.sidebar.delete_current(), scope=CHAT_LIST),
    Command("export", "file", QT_TRANSLATE_NOOP("MainWindow", "&Export chats…"), (),
            lambda w: w.chat.transfer.export_chats(), separator_before=True),
    Command("import", "file", QT_TRANSLATE_NOOP("MainWindow", "&Import chats…"), (),
            lambda w: w.chat.transfer.import_chats()),
    Command("quit", "file", QT_TRANSLATE_NOOP("MainWindow", "&Quit"), ("Ctrl+Q",),
            lambda w: w.desktop.quit_app(), separator_before=True),
    # Edit
    Command("filter", "edit", QT_TRANSLATE_NOOP("MainWindow", "&Find chat…"), ("Ctrl+F", "Ctrl+K"),
            lambda w: navigation.focus_filter(w.chat.sidebar)),
    Command("composer", "edit", QT_TRANSLATE_NOOP("MainWindow", "Focus the &message box"), ("Ctrl+L",),
            lambda w: navigation.focus_composer(w.chat.composer)),
    Command("search", "edit", QT_TRANSLATE_NOOP("MainWindow", "&Search messages…"), ("Ctrl+Shift+F",),
            lambda w: w.dialogs.open_search()),
    Command("settings", "edit", QT_TRANSLATE_NOOP("MainWindow", "&Settings…"), ("Ctrl+,",),
            lambda w: w.dialogs.open_settings(), separator_before=True),
    # Chat
    Command("stop", "chat", QT_TRANSLATE_NOOP("MainWindow", "S&top reply"), ("Esc",),
            lambda w: w.chat.stop()),
    Command("regenerate", "chat", QT_TRANSLATE_NOOP("MainWindow", "&Regenerate last reply"), ("Ctrl+R",),
            lambda w: w.chat.regenerate()),
    Command("copy_reply", "chat", QT_TRANSLATE_NOOP("MainWindow", "&Copy last reply"), ("Ctrl+Shift+C",),
            lambda w: w.chat.copy_last_reply()),
    Command("next", "chat", QT_TRANSLATE_NOOP("MainWindow", "Ne&xt chat"), ("Ctrl+Tab", "Ctrl+PgDown"),
            lambda w: navigation.step_chat(w.chat.sidebar, 1), separator_before=True),
    Command("previous", "chat", QT_TRANSLATE_NOOP("MainWindow", "&Previous chat"),
            ("Ctrl+Shift+Tab", "Ctrl+PgUp"), lambda w: navigation.step_chat(w.chat.sidebar, -1)),
    # Models
    Command("models", "models", QT_TRANSLATE_NOOP("MainWindow", "&Models and downloads…"), ("Ctrl+Shift+M",),
            lambda w: w.dialogs.open_models()),
    Command("add_model", "models", QT_TRANSLATE_NOOP("MainWindow", "&Add a model file…"), (),
            lambda w: w.dialogs.add_model_file()),
    Command("remote", "models", QT_TRANSLATE_NOOP("MainWindow", "&Remote engines…"), (),
            lambda w: w.dialogs.open_models("remote")),
    # Tools
    Command("agenda", "tools", QT_TRANSLATE_NOOP("MainWindow", "&Agenda…"), ("Ctrl+Shift+A",),
            lambda w: w.dialogs.open_agenda()),
    Command("memory", "tools", QT_TRANSLATE_NOOP("MainWindow", "&Memory…"), ("Ctrl+Shift+E",),
            lambda w: w.dialogs.open_memory()),
    Command("documents", "tools", QT_TRANSLATE_NOOP("MainWindow", "&Documents…"), ("Ctrl+Shift+D",),
            lambda w: w.dialogs.open_documents()),
    # Help
    Command("shortcuts", "help", QT_TRANSLATE_NOOP("MainWindow", "&Keyboard shortcuts"), ("F1", "Ctrl+/"),
            lambda w: w.dialogs.show_shortcuts(w.actions_by_name)),
    Command("diagnostics", "help", QT_TRANSLATE_NOOP("MainWindow", "Copy &diagnostics"), (),
            lambda w: w.dialogs.copy_diagnostics()),
    Command("about", "help", QT_TRANSLATE_NOOP("MainWindow", "&About"), (),
            lambda w: w.dialogs.about(), separator_before=True),
)


def install_commands(host: CommandHost, window: QMainWindow, chat_list: QWidget) -> dict[str, QAction]:
    """The menus and the window's actions, by command id."""
    menus = {key: window.menuBar().addMenu(translate("MainWindow", text)) for key, text in MENUS}
    actions: dict[str, QAction] = {}
    for command in COMMANDS:
        menu = menus[command.menu]
        if command.separator_before:
            menu.addSeparator()
        action = QAction(translate("MainWindow", command.text), window)
        if command.keys:
            action.setShortcuts([QKeySequence(key) for key in command.keys])
        action.triggered.connect(lambda _checked=False, run=command.run: run(host))
        menu.addAction(action)
        if command.scope == CHAT_LIST:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            chat_list.addAction(action)
        else:
            window.addAction(action)
        actions[command.id] = action
    return actions
