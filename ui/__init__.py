"""PySide6 desktop GUI. A thin layer over the Qt-free ``assistant`` core."""
