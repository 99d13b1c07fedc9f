"""Choosing which history fits the context window.

The oldest turns are left out of the prompt (never out of storage); the system prompt is
always kept. When we must trim, we trim with slack, so the following turns keep the same
first message and the engine can keep reusing its KV cache for the unchanged prefix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

#: After a trim, the prompt uses at most this share of the budget.
TRIM_TARGET = 0.75


class PromptTooLong(ValueError):
    """Even the newest message alone does not fit in the context window."""

    def __init__(self, tokens: int, budget: int) -> None:
        super().__init__(
            f"The message needs about {tokens:,} tokens, but the model's context window leaves "
            f"room for {budget:,}. Shorten it, or raise the context length in Settings."
        )
        self.tokens = tokens
        self.budget = budget


def choose_start(
    roles: Sequence[str],
    count: Callable[[int], int],
    budget: int,
    keep_from: int = 0,
) -> int:
    """Index of the first history message to put in the prompt.

    ``roles`` are the history's roles (system prompt excluded); ``count(start)`` is the
    prompt's token count with history[start:]. The chosen start is a user turn, so the
    model never sees a reply without its question.
    """
    if not roles:
        return 0
    keep_from = keep_from if 0 <= keep_from < len(roles) else 0
    if count(keep_from) <= budget:
        return keep_from
    starts = [i for i, role in enumerate(roles) if role == "user" and i > keep_from]
    if not starts:
        raise PromptTooLong(count(keep_from), budget)
    last = starts[-1]
    if count(last) > budget:
        raise PromptTooLong(count(last), budget)
    target = int(budget * TRIM_TARGET)
    if count(last) > target:
        return last
    # Smallest start whose prompt fits the target: count() only falls as start grows.
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if count(starts[mid]) <= target:
            hi = mid
        else:
            lo = mid + 1
    return starts[lo]
