"""The single-instance socket cannot be squatted by another local user (POSIX).

The hand-over itself (a second start raising the window) is tested in test_gui_desktop.py.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import shutil
import socket
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from ui.app import single_instance
from ui.app.single_instance import SHOW, InstanceServer, send_to_running, server_name

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets; Windows uses named pipes"),
]
NOBODY = 65534


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object) -> Path:
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    return tmp_path / "home"


@pytest.fixture
def runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short private folder standing in for /run/user/<uid>."""
    path = Path(tempfile.mkdtemp(prefix="xdg-"))
    path.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    yield path
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


class Squatter:
    """A plain Unix socket listening where the app might look, recording what it is told."""

    def __init__(self, path: str) -> None:
        self.path, self.received = path, b""
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen()
        self.sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received += conn.recv(100)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()
        if os.path.lexists(self.path):
            os.unlink(self.path)


def _private(folder: str) -> bool:
    info = os.lstat(folder)
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def test_the_socket_lives_in_the_private_runtime_dir(home: Path, runtime_dir: Path, qtbot) -> None:
    name = server_name()
    assert name is not None and os.path.dirname(name) == str(runtime_dir)
    server = InstanceServer()
    assert server.listen()
    got: list[str] = []
    server.messageReceived.connect(got.append)
    try:
        info = os.lstat(name)
        assert stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid()
        assert send_to_running(SHOW)
        qtbot.waitUntil(lambda: got == [SHOW])
    finally:
        server.close()


def test_a_runtime_dir_open_to_others_is_not_used(home: Path, runtime_dir: Path) -> None:
    runtime_dir.chmod(0o777)
    name = server_name()
    assert name is not None and not name.startswith(str(runtime_dir))
    assert _private(os.path.dirname(name))


def test_a_squatter_on_the_predictable_tmp_name_is_not_obeyed(home: Path, qtbot) -> None:
    """Another user can compute the old name (user name + data folder) and bind it first."""
    digest = hashlib.sha256(f"{getpass.getuser()}\0{home.resolve()}".encode()).hexdigest()[:16]
    squatter = Squatter(os.path.join(QDir.tempPath(), f"offline-assistant-{digest}"))
    try:
        assert not send_to_running(SHOW), "the app would have exited, handing over to the squatter"
        server = InstanceServer()
        assert server.listen()
        got: list[str] = []
        server.messageReceived.connect(got.append)
        assert send_to_running(SHOW)
        qtbot.waitUntil(lambda: got == [SHOW])  # the real instance is reached instead
        server.close()
        assert squatter.received == b""
    finally:
        squatter.close()


@pytest.fixture
def short_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh temp folder for the last-resort socket folder, so no test leaves one in /tmp."""
    path = Path(tempfile.mkdtemp(prefix="t-"))
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def deep_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object) -> Path:
    """A data folder too deep for a socket path inside it (AF_UNIX allows ~100 bytes)."""
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / ("deep-" * 30) / "home"))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    return tmp_path / ("deep-" * 30) / "home"


def test_a_long_data_folder_falls_back_to_a_short_private_path(deep_home: Path, short_tmp: Path) -> None:
    name = server_name()
    assert name is not None and len(os.fsencode(name)) <= single_instance.MAX_SOCKET_PATH
    assert os.path.dirname(name) == str(short_tmp / f"offline-assistant-{os.getuid()}")
    assert _private(os.path.dirname(name))
    server = InstanceServer()
    try:
        assert server.listen()
    finally:
        server.close()


def test_a_file_that_is_not_our_socket_is_neither_used_nor_removed(home: Path, runtime_dir: Path) -> None:
    name = server_name()
    assert name is not None
    Path(name).write_text("not a socket")
    assert not send_to_running(SHOW)
    assert not InstanceServer().listen()  # the app starts on its own rather than delete it
    assert Path(name).read_text() == "not a socket"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to chown to another user")
def test_a_socket_owned_by_another_user_is_neither_used_nor_removed(home: Path, runtime_dir: Path) -> None:
    name = server_name()
    assert name is not None
    squatter = Squatter(name)
    os.chown(name, NOBODY, NOBODY)
    try:
        assert not send_to_running(SHOW)
        assert not InstanceServer().listen()
        assert os.lstat(name).st_uid == NOBODY and squatter.received == b""
    finally:
        squatter.close()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to chown to another user")
def test_a_tmp_folder_made_by_another_user_is_refused(deep_home: Path, short_tmp: Path) -> None:
    """No usable folder at all: no single-instance server, but no crash and no hand-over."""
    planted = short_tmp / f"offline-assistant-{os.getuid()}"
    planted.mkdir(mode=0o777)
    os.chown(planted, NOBODY, NOBODY)
    assert server_name() is None
    assert not send_to_running(SHOW) and not InstanceServer().listen()
