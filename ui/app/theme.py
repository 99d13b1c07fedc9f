"""Light and dark theme that follow the system.

Qt 6.5+ reports the desktop's preference in ``styleHints().colorScheme()``. Many platform
themes then hand Qt a dark palette themselves; where they do not (plain X11, offscreen, older
desktops) we switch to Fusion with our own dark palette, because the stylesheet and the chat
view only use palette colours. ``ASSISTANT_THEME=dark|light`` overrides the system (screenshots,
users whose desktop reports nothing).
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEME_ENV = "ASSISTANT_THEME"


def wants_dark(app: QGuiApplication) -> bool:
    forced = os.environ.get(THEME_ENV, "").strip().lower()
    if forced in ("dark", "light"):
        return forced == "dark"
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return is_dark(app.palette())


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    colors = {
        role.Window: "#202124",
        role.WindowText: "#e8eaed",
        role.Base: "#18191b",
        role.AlternateBase: "#26272a",
        role.ToolTipBase: "#2d2e31",
        role.ToolTipText: "#e8eaed",
        role.PlaceholderText: "#8a8d91",
        role.Text: "#e8eaed",
        role.Button: "#2d2e31",
        role.ButtonText: "#e8eaed",
        role.BrightText: "#ff6b6b",
        role.Light: "#3c3d41",
        role.Midlight: "#34353a",
        role.Mid: "#9aa0a6",  # used for secondary text (role labels, footers): must stay legible
        role.Dark: "#121314",
        role.Shadow: "#000000",
        role.Highlight: "#3d7be0",
        role.HighlightedText: "#ffffff",
        role.Link: "#8ab4f8",
        role.LinkVisited: "#c58af9",
    }
    for key, value in colors.items():
        palette.setColor(key, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for key in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(disabled, key, QColor("#6f7378"))
    return palette


def apply_theme(app: QApplication) -> None:
    """Match the palette to the wanted scheme; a no-op when the platform already did."""
    dark = wants_dark(app)
    if dark and not is_dark(app.palette()):
        app.setStyle("Fusion")  # the native styles ignore most palette colours
        app.setPalette(dark_palette())
    elif not dark and is_dark(app.palette()) and app.property("assistantDark"):
        app.setPalette(app.style().standardPalette())
    app.setProperty("assistantDark", dark)


def follow_system(app: QApplication) -> None:
    """Re-theme when the desktop switches (e.g. automatic dark mode at sunset)."""
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app))
