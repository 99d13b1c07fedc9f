"""Walking a collection's folder: what is there, and what changed since the last pass.

Only ``os.scandir`` and one ``stat`` per file: re-scanning an unchanged folder of 10 000
files takes well under the 2 s budget (see ``assistant bench --only rescan``), so a polling
watcher is cheap enough and works where inotify does not (network drives, huge trees past
the inotify watch limit).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from assistant.knowledge.extract import SUFFIXES


@dataclass(frozen=True)
class Seen:
    path: str
    size: int
    mtime_ns: int


@dataclass
class Scan:
    files: dict[str, Seen] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason


def _stat_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "broken link or deleted while scanning"
    return f"cannot be read ({exc.strerror or exc})"


def walk(root: Path, single_file: bool = False) -> Scan:
    scan = Scan()
    if single_file:
        _consider(str(root), scan)
        return scan
    visited: set[tuple[int, int]] = set()
    try:
        top = root.stat()
    except OSError as exc:
        scan.skipped[str(root)] = _stat_reason(exc)
        return scan
    visited.add((top.st_dev, top.st_ino))
    inside = os.path.realpath(root)
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            scan.skipped[folder] = _stat_reason(exc)
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # .git, editors' swap files, hidden folders: not the user's documents
            if entry.is_symlink() and not _links_inside(entry.path, inside):
                scan.skipped[entry.path] = OUTSIDE_REASON
                continue
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            if is_dir:
                try:
                    info = entry.stat()
                except OSError as exc:
                    scan.skipped[entry.path] = _stat_reason(exc)
                    continue
                key = (info.st_dev, info.st_ino)
                if key in visited:  # a link back to a folder we walk already: a loop
                    if entry.is_symlink():
                        scan.skipped[entry.path] = "symlink loop (points back into the folder)"
                    continue
                visited.add(key)
                stack.append(entry.path)
            elif Path(entry.name).suffix.lower() in SUFFIXES:
                _consider(entry.path, scan)
    return scan


#: Why a link out of the chosen folder is not followed (a link to ~/.ssh would otherwise put
#: private keys into the index and, through it, in front of the model).
OUTSIDE_REASON = "a link to a place outside this folder; add that place itself to search it"


def _links_inside(path: str, root: str) -> bool:
    """Whether the link at ``path`` ends up inside ``root`` (both fully resolved)."""
    target = os.path.realpath(path)
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _consider(path: str, scan: Scan) -> None:
    try:
        info = os.stat(path)
    except OSError as exc:
        scan.skipped[path] = _stat_reason(exc)
        return
    if stat.S_ISDIR(info.st_mode):
        scan.skipped[path] = "it is a folder, not a file"
    elif not stat.S_ISREG(info.st_mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        scan.skipped[path] = f"not a regular file: {kind}, reading it could block forever"
    else:
        scan.files[path] = Seen(path, info.st_size, info.st_mtime_ns)
