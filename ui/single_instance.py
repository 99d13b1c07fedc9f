"""One instance per profile: a second start hands its request to the first and exits.

The first instance listens on a ``QLocalServer`` (a Unix socket / Windows named pipe). A second
``assistant`` connects, writes one line (``show`` or ``new-chat``) and quits; the first raises
its window. The name is derived from the data folder, so two profiles (``ASSISTANT_HOME``) or
two users never see each other, and tests with their own temp folders never collide.

``assistant --new-chat`` is also the "global new chat shortcut": Qt cannot grab global hotkeys,
but every desktop can bind a key to a command or to the .desktop file's ``new-chat`` action.
"""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from assistant.config import user_dir

SHOW = "show"
NEW_CHAT = "new-chat"
#: How long a second instance waits for the first to answer before starting on its own.
CONNECT_TIMEOUT_MS = 1000


def server_name() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in some containers; the data folder still separates profiles
        user = "user"
    digest = hashlib.sha256(f"{user}\0{user_dir().resolve()}".encode()).hexdigest()[:16]
    return f"offline-assistant-{digest}"


def send_to_running(message: str, name: str | None = None) -> bool:
    """True if another instance took ``message`` (then this process should exit)."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write((message + "\n").encode())
    socket.flush()
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later starts; emits each request line."""

    messageReceived = Signal(str)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        # A socket file left by a crashed instance (nobody answered send_to_running): remove it.
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    @Slot()
    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()
            if line in (SHOW, NEW_CHAT):
                self.messageReceived.emit(line)
