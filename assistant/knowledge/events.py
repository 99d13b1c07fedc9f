"""Typed events of document indexing (a generator of these runs in a worker thread)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndexStarted:
    collection_id: int
    files_total: int  # files to (re)index in this pass
    unchanged: int
    removed: int


@dataclass(frozen=True)
class IndexProgress:
    collection_id: int
    files_done: int
    files_total: int
    current_file: str
    chunks_done: int
    eta_seconds: float | None  # None until a file has been timed


@dataclass(frozen=True)
class FileSkipped:
    collection_id: int
    path: str
    reason: str


@dataclass(frozen=True)
class IndexPaused:
    collection_id: int
    files_done: int
    files_total: int


@dataclass(frozen=True)
class IndexFinished:
    collection_id: int
    indexed: int
    unchanged: int
    skipped: int
    removed: int
    chunks: int
    seconds: float
    cancelled: bool = False


IndexEvent = IndexStarted | IndexProgress | FileSkipped | IndexPaused | IndexFinished
