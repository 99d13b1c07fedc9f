"""The two answers of the time layer: a time found in the user's words, or a problem to ask back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

Span = tuple[int, int]


@dataclass(frozen=True)
class When:
    start: datetime  # aware, in the user's zone: the first (or only) occurrence
    rrule: str | None  # RRULE body without "RRULE:", e.g. "FREQ=MONTHLY;BYMONTHDAY=-1"
    span: Span  # the whole time expression in the text (outermost of ``spans``)
    spans: tuple[Span, ...]  # each piece, so the caller can cut them out of the "what"
    clock_given: bool  # the user named a clock time; False: a default (09:00, or 下午 -> 15:00)


@dataclass(frozen=True)
class WhenProblem:
    kind: str  # "impossible_date" | "past" | "ambiguous" | "too_frequent"
    spans: tuple[Span, ...]
    message_en: str  # a question back or a clear refusal
    message_zh: str  # the same in natural Simplified Chinese


def outer(spans: tuple[Span, ...]) -> Span:
    return (min(s for s, _ in spans), max(e for _, e in spans))
