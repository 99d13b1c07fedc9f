"""The window's tests. Qt runs offscreen (set before any QApplication exists); every test
here is marked ``gui`` and gets the ``home`` and ``make_window`` fixtures."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from tests.support.gui_helpers import home, make_window  # noqa: F401  (fixtures)

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.gui)
