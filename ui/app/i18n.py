"""Translators: ours (resources/i18n/assistant_<locale>.qm) and Qt's own (dialog buttons)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from assistant.config import resources_dir

I18N_DIR = resources_dir() / "i18n"  # also right inside the frozen (PyInstaller) bundle


def pick_locale(language: str) -> QLocale:
    """The settings' language wins; empty means follow the system."""
    return QLocale(language) if language else QLocale.system()


def install_translators(app: QCoreApplication, language: str = "") -> list[QTranslator]:
    """Install and return the translators (the caller keeps them alive)."""
    locale = pick_locale(language)
    QLocale.setDefault(locale)
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    # QTranslator.load(locale, ...) tries zh_CN, then zh, and so on: "zh_TW" falls back sensibly.
    if ours.load(locale, "assistant", "_", str(I18N_DIR)):
        app.installTranslator(ours)
        installed.append(ours)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    return installed
