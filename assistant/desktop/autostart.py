"""Start at login: a freedesktop autostart entry on Linux, the registry Run key on Windows,
a LaunchAgent on macOS. Each is a small, reversible file or key owned by this app."""

from __future__ import annotations

import os
import plistlib
import shlex
import sys
from pathlib import Path

NAME = "offline-assistant"
LABEL = "org.offline-assistant.app"


def launch_command() -> list[str]:
    """How to start the app again: the frozen executable, or this Python with -m assistant."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--minimized"]
    return [sys.executable, "-m", "assistant", "--minimized"]


def _linux_entry() -> Path:
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "autostart" / f"{NAME}.desktop"


def _mac_agent() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LABEL}.plist"


def is_enabled() -> bool:
    if sys.platform == "win32":
        return _windows_value() is not None
    if sys.platform == "darwin":
        return _mac_agent().exists()
    return _linux_entry().exists()


def set_enabled(enabled: bool) -> None:
    if sys.platform == "win32":
        _windows_set(enabled)
    elif sys.platform == "darwin":
        _write_or_remove(_mac_agent(), _mac_plist() if enabled else None)
    else:
        _write_or_remove(_linux_entry(), _linux_desktop().encode() if enabled else None)


def _linux_desktop() -> str:
    return (
        "[Desktop Entry]\nType=Application\nName=Offline Assistant\n"
        f"Exec={shlex.join(launch_command())}\nIcon={NAME}\nX-GNOME-Autostart-enabled=true\n"
        "Comment=Private assistant that runs on this computer\n"
    )


def _mac_plist() -> bytes:
    return plistlib.dumps({"Label": LABEL, "ProgramArguments": launch_command(), "RunAtLoad": True})


def _write_or_remove(path: Path, content: bytes | None) -> None:
    if content is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(content)
    tmp.replace(path)


def _windows_value() -> str | None:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # also tells the type checker which stubs apply below
        raise OSError("The Windows registry exists only on Windows.")
    import winreg

    try:
        with winreg.OpenKey(
            winreg.HKEY_CURRENT_USER, r"Software\Microsoft\Windows\CurrentVersion\Run"
        ) as key:
            return str(winreg.QueryValueEx(key, NAME)[0])
    except OSError:
        return None


def _windows_set(enabled: bool) -> None:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # also tells the type checker which stubs apply below
        raise OSError("The Windows registry exists only on Windows.")
    import subprocess
    import winreg

    path = r"Software\Microsoft\Windows\CurrentVersion\Run"
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path, 0, winreg.KEY_SET_VALUE) as key:
        if enabled:
            winreg.SetValueEx(key, NAME, 0, winreg.REG_SZ, subprocess.list2cmdline(launch_command()))
        else:
            try:
                winreg.DeleteValue(key, NAME)
            except FileNotFoundError:
                pass
