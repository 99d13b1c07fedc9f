"""Model files brought in from outside the Models dialog: dropped on the window or chosen with
Models → Add a model file…. The library checks each file (a GGUF header) and remembers it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from assistant.models.library import ModelLibrary
from assistant.store.db import StorageError

translate = QCoreApplication.translate


def local_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def add_model_files(library: ModelLibrary, paths: list[Path]) -> tuple[list[str], list[str]]:
    """(names added, error messages)."""
    added: list[str] = []
    errors: list[str] = []
    for path in paths:
        try:
            added.append(library.add(path).name)
        except (ValueError, StorageError) as exc:  # ModelLibraryError is a ValueError
            errors.append(str(exc))
    return added, errors


def choose_model_file(parent: QWidget) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(
        parent, translate("ModelFiles", "Add a model"), str(Path.home()),
        translate("ModelFiles", "GGUF models (*.gguf)"),
    )
    return Path(path) if path else None
