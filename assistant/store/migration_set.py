"""One feature's schema migrations as a named, ordered set.

A feature's migrations module builds its set with no import of the store's registry, and
:mod:`assistant.store.migrations` puts the sets together in their permanent order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


@dataclass
class MigrationSet:
    #: The feature these belong to (for readers; the names below are what profiles record).
    feature: str
    #: (name, migration) in the order they apply. Names are global and permanent: once
    #: shipped, never rename, reorder or edit one (existing profiles record them).
    steps: list[tuple[str, Migration]] = field(default_factory=list)
    #: (table, column) pairs that held secrets in older versions: emptied in every backup after
    #: an upgrade too, since a backup is a copy of the old database.
    secret_columns: list[tuple[str, str]] = field(default_factory=list)
    #: Migrations that removed secrets: the file is rebuilt afterwards (no freed page keeps one).
    vacuum_after: set[str] = field(default_factory=set)

    def step(self, name: str) -> Callable[[Migration], Migration]:
        """Decorator: append the function to this set under ``name``."""

        def register(func: Migration) -> Migration:
            self.steps.append((name, func))
            return func

        return register
