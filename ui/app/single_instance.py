"""One instance per profile: a second start hands its request to the first and exits.

The first instance listens on a ``QLocalServer`` (a Unix socket / Windows named pipe). A second
``assistant`` connects, writes one line (``show`` or ``new-chat``) and quits; the first raises
its window. The name is derived from the data folder, so two profiles (``ASSISTANT_HOME``) or
two users never see each other, and tests with their own temp folders never collide.

On POSIX the socket is a full path in a folder only this user can write to: ``$XDG_RUNTIME_DIR``
when it is ours and 0700, else ``<data folder>/run``, else ``<tmp>/offline-assistant-<uid>``
(both made 0700 and checked). Qt's default, a fixed name in ``/tmp``, let another local user
bind it first: the real app then "handed over" to that socket and exited. A socket file that is
not a socket owned by us is never talked to nor removed; the app then starts without the
single-instance server and logs why.

``assistant --new-chat`` is also the "global new chat shortcut": Qt cannot grab global hotkeys,
but every desktop can bind a key to a command or to the .desktop file's ``new-chat`` action.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from assistant.config import user_dir

log = logging.getLogger(__name__)

SHOW = "show"
NEW_CHAT = "new-chat"
#: How long a second instance waits for the first to answer before starting on its own.
CONNECT_TIMEOUT_MS = 1000
#: sun_path holds 108 bytes on Linux and 104 on macOS, the final NUL included.
MAX_SOCKET_PATH = 100
POSIX = os.name == "posix"


def _digest() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in some containers; the data folder still separates profiles
        user = "user"
    return hashlib.sha256(f"{user}\0{user_dir().resolve()}".encode()).hexdigest()[:16]


def server_name() -> str | None:
    """The pipe name (Windows) or socket path (POSIX); None when no private folder exists."""
    name = f"offline-assistant-{_digest()}"
    if not POSIX:
        return name
    for folder, make in _socket_folders():
        path = os.path.join(folder, name + ".sock")
        # A deep data folder can exceed the AF_UNIX limit; the next candidate is shorter.
        if len(os.fsencode(path)) <= MAX_SOCKET_PATH and make(folder):
            return path
    log.warning("No private folder for the single-instance socket; every start runs on its own.")
    return None


def _socket_folders() -> Iterator[tuple[str, Callable[[str], bool]]]:
    """Candidate folders, best first, each with the check that makes it usable: it must exist,
    be ours and be closed to everyone else (the systemd runtime folder is made by the system,
    so it is only checked; the others are created 0700 on first use)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime):
        yield runtime, _is_private_dir
    yield str(user_dir() / "run"), _make_private_dir
    yield os.path.join(tempfile.gettempdir(), f"offline-assistant-{os.getuid()}"), _make_private_dir


def _is_private_dir(path: str) -> bool:
    try:
        info = os.lstat(path)  # lstat: a symlink planted by someone else does not count
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def _make_private_dir(path: str) -> bool:
    try:
        Path(path).mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(path, 0o700)  # ours, but made with a looser mode earlier
    except OSError:
        return False  # an unwritable data folder is reported by start-up, not here
    return _is_private_dir(path)


def socket_is_ours(name: str) -> bool | None:
    """POSIX: None if nothing is there, else whether it is a socket owned by this user."""
    try:
        info = os.lstat(name)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    return stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid()


def send_to_running(message: str, name: str | None = None) -> bool:
    """True if another instance took ``message`` (then this process should exit)."""
    name = name or server_name()
    if name is None:
        return False
    if POSIX:
        ours = socket_is_ours(name)
        if not ours:
            if ours is False:
                log.warning("%s is not a socket of this user; ignoring it and starting normally.", name)
            return False
    socket = QLocalSocket()
    socket.connectToServer(name)
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
        """False (and the app runs on its own) when the name cannot be used safely."""
        if self.name is None:
            return False
        if POSIX and socket_is_ours(self.name) is False:
            log.warning("%s belongs to someone else; starting without the single-instance server.",
                        self.name)
            return False
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
