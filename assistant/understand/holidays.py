"""Days people name by their holiday ("remind me on Halloween", "until Christmas Eve") as the
date the time layer reads. Only holidays on a fixed Gregorian date; a holiday named without a
time preposition ("buy Christmas presents") stays words of the "what". Chinese fixed-date
holidays (元旦, 国庆节, …) are read by the Chinese time reader itself."""

from __future__ import annotations

import re

_FIXED = {
    "new year's day": "1 january",
    "new years day": "1 january",
    "valentine's day": "14 february",
    "valentines day": "14 february",
    "st patrick's day": "17 march",
    "st. patrick's day": "17 march",
    "halloween": "31 october",
    "bonfire night": "5 november",
    "guy fawkes night": "5 november",
    "christmas eve": "24 december",
    "christmas day": "25 december",
    "christmas": "25 december",
    "boxing day": "26 december",
    "new year's eve": "31 december",
    "new years eve": "31 december",
}
_NAMED = re.compile(
    r"\b(on|until|till|by|before|every year on|each year on)\s+("
    + "|".join(re.escape(k) for k in sorted(_FIXED, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


def name_dates(text: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with "on Halloween" as "on 31 october" (same words around it), and each
    (date, holiday as typed) pair."""
    edits: list[tuple[str, str]] = []

    def one(match: re.Match[str]) -> str:
        edits.append((_FIXED[match.group(2).lower()], match.group(2)))
        return f"{match.group(1)} {edits[-1][0]}"

    return _NAMED.sub(one, text), edits
