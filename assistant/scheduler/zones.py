"""Time zone names in the user's words ("3pm London time", "9am EST") -> IANA zones."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Abbreviations mean the zone's *location*: "9am EST" in July is 9am New York time, which is
#: what people mean, rather than a fixed UTC-5 that is wrong half the year.
ABBREVIATIONS = {
    "utc": "UTC",
    "gmt": "Europe/London",
    "bst": "Europe/London",
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "jst": "Asia/Tokyo",
    "aest": "Australia/Sydney",
}
CITIES = {
    "london": "Europe/London",
    "new york": "America/New_York",
    "paris": "Europe/Paris",
    "berlin": "Europe/Berlin",
    "madrid": "Europe/Madrid",
    "rome": "Europe/Rome",
    "lisbon": "Europe/Lisbon",
    "tokyo": "Asia/Tokyo",
    "sydney": "Australia/Sydney",
    "los angeles": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "chicago": "America/Chicago",
    "denver": "America/Denver",
    "shanghai": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "singapore": "Asia/Singapore",
    "dubai": "Asia/Dubai",
    "toronto": "America/Toronto",
    "utc": "UTC",
}
_IANA = re.compile(r"\b(?:in\s+)?([A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?)\b")
_CITY = re.compile(r"\b(?:in\s+)?(" + "|".join(sorted(CITIES, key=len, reverse=True)) + r")\s+time\b", re.I)
_ABBR = re.compile(r"(?<=[\d\s])(" + "|".join(ABBREVIATIONS) + r")\b", re.I)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Unknown time zone {name!r}.") from exc


def extract_zone(text: str) -> tuple[str, str | None]:
    """The text without its time zone phrase, and the IANA name it named (None: none)."""
    match = _IANA.search(text)
    if match:
        try:
            zone(match.group(1))
            return _cut(text, match), match.group(1)
        except ValueError:
            pass
    match = _CITY.search(text)
    if match:
        return _cut(text, match), CITIES[match.group(1).lower()]
    match = _ABBR.search(text)
    if match:
        return _cut(text, match), ABBREVIATIONS[match.group(1).lower()]
    return text, None


def _cut(text: str, match: re.Match[str]) -> str:
    return " ".join((text[: match.start()] + " " + text[match.end() :]).split())
