"""The ``<dest>.lock`` next to a download: one downloader per model file.

Created with O_EXCL and holding the owner's pid; a lock whose process is gone is taken over,
so a crash never blocks the model for good.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

#: A lock file with no pid yet is younger than this while its creator writes the pid.
LOCK_GRACE_S = 10.0


class LockBusy(Exception):
    """Another live process is downloading the same file."""


def acquire(lock: Path, dest: Path) -> None:
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if is_live(lock):
                raise LockBusy(f"{dest.name} is already being downloaded (lock {lock}). Wait for that "
                               "download to finish or pause it first.") from None
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()  # stale: the process that held it is gone
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        return
    raise LockBusy(f"{dest.name} is already being downloaded (lock {lock}).")


def release(lock: Path) -> None:
    with contextlib.suppress(OSError):
        lock.unlink()


def is_live(lock: Path) -> bool:
    try:
        text = lock.read_text(encoding="ascii", errors="replace").strip()
        age = time.time() - lock.stat().st_mtime
    except FileNotFoundError:
        return False
    if not text.isdigit():
        return age < LOCK_GRACE_S  # just created, its owner has not written the pid yet
    import psutil  # pid_exists is safe on Windows, where os.kill(pid, 0) would kill the process

    return int(text) == os.getpid() or psutil.pid_exists(int(text))
