"""The composed confirmation reads as English for a note of a thing as for an order to do one."""

from __future__ import annotations

import pytest

from assistant.agent.answer import _to_or_about


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("call mum", "to call mum"),
        ("renew the parking permit", "to renew the parking permit"),
        ("dentist", "about dentist"),
        ("parents evening", "about parents evening"),
        ("the school play", "about the school play"),
        ("book club", "about book club"),
        ("mum's birthday", "about mum's birthday"),
    ],
)
def test_remind_you_to_or_about(text: str, said: str) -> None:
    assert _to_or_about(text) == said
