"""Small helpers shared by the core tests (importable as ``helpers`` from tests/)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def of_type(events: Iterable[Any], kind: type[T]) -> list[T]:
    return [e for e in events if isinstance(e, kind)]


def raw_rows(db_file: Path, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
    """Read through a separate connection: sees only what was committed to the file."""
    conn = sqlite3.connect(str(db_file), timeout=10)
    try:
        conn.row_factory = sqlite3.Row
        return list(conn.execute(sql, list(params)))
    finally:
        conn.close()
