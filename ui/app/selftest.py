"""The window half of ``assistant --self-test``: build the main window offscreen, show it, close.

Kept in ui/ (the core never imports Qt); assistant/cli.py calls it after the core's checks.
Proves that the bundled Qt finds its platform plugin, fonts, styles, translations and icons.
"""

from __future__ import annotations

import os
import sys
import time


def run_window_check() -> int:
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and not has_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    try:
        from PySide6.QtCore import qVersion

        from assistant.core import Core
        from ui.app.i18n import install_translators
        from ui.app.main import apply_style, build_window, make_app

        app = make_app([sys.argv[0] if sys.argv else "assistant"])
        core = Core.open()  # the window never loads the model by itself
        try:
            translators = install_translators(app, core.settings.language)
            apply_style(app)
            window = build_window(core)
            window.show()
            window.load_initial()
            app.processEvents()
            shown = window.isVisible() and not app.windowIcon().isNull()
            window.desktop.quit_app()  # the Quit path: stops the model preload, no "quit?" question
            app.processEvents()
            del translators
        finally:
            core.close()
    except Exception as exc:  # report, never crash: this is a diagnostic
        print(f"self-test: FAILED: the window: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if not shown:
        print("self-test: FAILED: the window did not show (or has no icon)", file=sys.stderr)
        return 1
    print(f"self-test: window ok (Qt {qVersion()}, {app.platformName()}, "
          f"{(time.perf_counter() - start) * 1000:.0f} ms)")
    return 0
