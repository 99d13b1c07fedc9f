"""choose_start: which history fits the context window (pure logic, fake token counts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.engine.context import TRIM_TARGET, PromptTooLong, choose_start


def counter(sizes: list[int], system: int = 10):
    return lambda start: system + sum(sizes[start:])


def test_everything_fits_keeps_everything() -> None:
    roles = ["user", "assistant"] * 3
    assert choose_start(roles, counter([10] * 6), budget=100) == 0


def test_trims_oldest_turns_and_starts_on_a_user_message() -> None:
    roles = ["user", "assistant"] * 10
    sizes = [50] * 20
    start = choose_start(roles, counter(sizes), budget=400)
    assert roles[start] == "user"
    assert counter(sizes)(start) <= 400 * TRIM_TARGET
    # Keeping the previous pair too would overshoot the trim target: start is minimal.
    assert counter(sizes)(start - 2) > 400 * TRIM_TARGET


def test_keep_from_is_sticky_while_it_fits() -> None:
    roles = ["user", "assistant"] * 10
    sizes = [50] * 20
    first = choose_start(roles, counter(sizes), budget=400)
    # One more turn arrives: the old start still fits, so the prompt prefix is unchanged.
    roles2, sizes2 = [*roles, "user", "assistant"], [*sizes, 20, 20]
    assert choose_start(roles2, counter(sizes2), budget=400, keep_from=first) == first


def test_newest_message_alone_too_long_raises() -> None:
    with pytest.raises(PromptTooLong) as info:
        choose_start(["user", "assistant", "user"], counter([10, 10, 5000]), budget=1000)
    assert "context" in str(info.value)
    assert info.value.tokens > info.value.budget


@given(st.lists(st.integers(1, 200), min_size=1, max_size=40), st.integers(300, 3000))
def test_result_always_fits_or_raises(sizes: list[int], budget: int) -> None:
    roles = ["user" if i % 2 == 0 else "assistant" for i in range(len(sizes))]
    try:
        start = choose_start(roles, counter(sizes), budget)
    except PromptTooLong:
        last_user = max(i for i, r in enumerate(roles) if r == "user")
        assert counter(sizes)(last_user) > budget
        return
    assert counter(sizes)(start) <= budget
    assert start == 0 or roles[start] == "user"
