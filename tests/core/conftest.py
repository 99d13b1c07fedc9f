"""The core's tests: Qt-free (``assistant/`` never imports Qt). Each is marked ``core`` so
``pytest -m core`` selects them wherever they are collected from."""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.core)
