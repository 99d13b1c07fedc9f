"""The Qt binding itself: the app calls void Qt methods tens of thousands of times in a long
session (every streamed batch sets text), so a binding that leaks references to None there
aborts the app. PySide6 6.12.0 does on Python 3.11 (pyproject.toml keeps it out)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    obj, label = QObject(), QLabel()
    before = sys.getrefcount(None)
    for _ in range(30_000):
        obj.setObjectName("a")
        label.setText("a")
        label.setVisible(False)
    print(sys.getrefcount(None) - before)
    """
)


def test_void_qt_calls_do_not_drop_references_to_none() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-c", SCRIPT]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 100  # 90 000 calls: no drift, not one per call
