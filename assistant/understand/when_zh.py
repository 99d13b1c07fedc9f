"""Chinese (placeholder while the reader is written)."""

from __future__ import annotations

from datetime import datetime

from assistant.understand.when_types import When, WhenProblem


def find(text: str, now: datetime) -> When | WhenProblem | None:
    return None
