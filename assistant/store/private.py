"""Private files: the profile holds chats, facts and documents, so nobody else may read it.

Folders are created 0700 and files 0600 whatever the umask is (Debian homes are 0755 and
the usual umask 022 would make everything world-readable), and :func:`repair_profile` puts
an existing profile right on start. Changing permissions never stops the app: a file system
without Unix modes (a FAT USB stick for a portable profile) is left as it is.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
#: Entries of the data folder that are ours. The folder may be one the user chose
#: (ASSISTANT_HOME), so unknown neighbours are left alone. "api-token" is the local API's
#: bearer token (assistant.api.auth.TOKEN_FILE).
PROFILE_ENTRIES = (
    "backups", "logs", "models", "knowledge", "ui-state.ini", "api-keys.json", "api-token",
)
#: Folders whose every file is ours (one level deep).
PROFILE_FOLDERS = ("backups", "logs", "models")

log = logging.getLogger(__name__)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make the folder itself 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    make_private(path)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if missing, 0600 from the first moment (no window in which it is
    world-readable); make an existing one 0600."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        make_private(path)
        return path
    try:
        os.fchmod(fd, FILE_MODE)  # os.open's mode is masked by the umask; this is not
    except OSError:
        pass
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; the new file is 0600 before it holds anything."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    private_file(tmp)
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def make_private(path: Path) -> None:
    """chmod an existing folder to 0700 or file to 0600; symlinks and missing paths are skipped."""
    try:
        info = path.lstat()
    except OSError:
        return
    if stat.S_ISDIR(info.st_mode):
        wanted = DIR_MODE
    elif stat.S_ISREG(info.st_mode):
        wanted = FILE_MODE
    else:
        return  # a symlink points somewhere that is not ours; sockets and the like are not data
    if stat.S_IMODE(info.st_mode) != wanted:
        try:
            os.chmod(path, wanted)
        except OSError as exc:
            log.warning("could not make %s private: %s", path, exc)


def repair_profile(data_dir: Path, log_dir: Path | None = None, db_name: str = "assistant.db") -> None:
    """Make an existing profile private: the data folder, the database and its WAL, backups,
    settings, logs. Created by older versions with the default umask, they may be 0755/0644."""
    if not data_dir.is_dir():
        return
    make_private(data_dir)
    for entry in _profile_entries(data_dir, db_name):
        make_private(entry)
    for name in PROFILE_FOLDERS:
        _private_children(data_dir / name)
    if log_dir is not None and log_dir.is_dir():
        make_private(log_dir)
        _private_children(log_dir)


def _profile_entries(data_dir: Path, db_name: str) -> Iterable[Path]:
    yield from (data_dir / name for name in PROFILE_ENTRIES)
    # The database, its -wal/-shm/-journal and damaged copies set aside (assistant.db.damaged-*).
    yield from data_dir.glob(f"{db_name}*")


def _private_children(folder: Path) -> None:
    if not folder.is_dir() or folder.is_symlink():
        return
    for child in folder.iterdir():
        make_private(child)
