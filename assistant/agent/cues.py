"""Intent cues: phrasings that name a tool outright narrow the model's choice.

A 135M model picks the right tool among a dozen about one time in five (measured, see
docs/BENCHMARKS.md), yet "remind me ..." or "snooze ..." leaves no doubt. Cues only ever
*narrow* the constrained choice: one matching tool is the only option the grammar allows;
several leave the model to choose among them (or none); no match leaves every tool open.
They are precision-first: a phrase that could mean two things names both tools.
"""

from __future__ import annotations

import re

_CUES: dict[str, tuple[str, ...]] = {
    "add_reminder": (
        r"\bremind me\b(?!\s+(what|who|where|how|why|which|about what)\b)",
        r"\bset (a|an|up a|up an) (reminder|alarm)\b",
        r"\b(add|put|schedule|book|create|plan)\b.{0,60}\b(reminder|meeting|appointment|event|lunch|"
        r"dinner|call|party)\b",
    ),
    "list_agenda": (
        r"\bwhat'?s on\b",
        r"\b(show|list|check|read)\b.{0,20}\b(agenda|calendar|schedule|reminders|events)\b",
        r"\bam i (free|busy|available)\b",
        r"\bwhat (do i have|meetings|events|appointments|reminders)\b",
    ),
    "cancel_reminder": (
        r"\b(cancel|delete|remove|drop|call off)\b.{0,40}\b(reminders?|events?|meetings?|appointments?)\b",
    ),
    "move_reminder": (r"\b(move|reschedule|postpone|push back|bring forward)\b",),
    "snooze_reminder": (r"\bsnooze\b",),
    "complete_reminder": (
        r"\b(mark|tick off|check off)\b.{0,40}\b(done|complete|completed|finished)\b",
        r"\b(reminder|task) is (done|finished|complete)\b",
    ),
    "search_chats": (
        r"\b(what did|did) (i|we|you) (say|tell|talk|discuss|mention|decide)\b",
        r"\b(we|i) (talked|spoke|chatted) about\b",
        r"\b(earlier|previous|last|other) (chat|conversation)s?\b",
    ),
    "search_documents": (
        r"\b(find|search|look up|look for|look in|check)\b.{0,60}\b(notes?|documents?|docs|files?|pdfs?|"
        r"manual|warranty|receipts?|contract|lease)\b",
        r"\bwhat does (my|the) [\w' -]{1,30} say\b",
        r"\b(in|from) my (notes|documents|docs|files|pdfs)\b",
    ),
    "search_memory": (
        r"\b(do|did|can) you remember\b",
        r"\byou should remember\b",
        r"\bi (asked|told) you to remember\b",
        r"\bwhat do you (know|remember) about me\b",
    ),
    "now": (
        r"\bwhat time is it\b",
        r"\bwhat('?s| is) (the )?(time|date)\b",
        r"\bwhat day is (it|today)\b",
        r"\btoday'?s date\b",
    ),
    "date_calc": (
        r"\bhow (many|long) (days|weeks|months|years)\b",
        r"\b(days|weeks) (until|till|left|between|since)\b",
        r"\bwhat (date|day) (is it|will it be|is) in \d+",
        r"\b(\d+|a|one|two|three|four|five|six) (days|weeks|months) (from|after|before)\b",
    ),
    "web_search": (
        r"\b(search|look up|check|find|browse)\b.{0,40}\b(web|internet|online)\b",
        r"\bgoogle\b",
        r"\blatest news\b",
    ),
    "fetch_page": (r"https?://\S+",),
}
_COMPILED = {name: [re.compile(p, re.IGNORECASE) for p in patterns] for name, patterns in _CUES.items()}


def likely_tools(text: str, available: list[str]) -> list[str]:
    """The tools ``text`` names outright, in registry order; [] when nothing is clear."""
    return [name for name in available if any(p.search(text) for p in _COMPILED.get(name, ()))]
