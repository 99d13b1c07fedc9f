"""Markers around untrusted text (retrieved material, tool results) that the text cannot fake.

The prompt wraps data in ``<reference_material>`` and ``<tool_result …>`` blocks. A document
that writes ``</TOOL_RESULT >`` or ``< / reference-material>`` must not look like the end of its
block to a model, so every spelling a model might read as one of our markers is broken, not
only the exact one: any case, spaces or zero-width characters around the slash and inside the
name, ``_``/``-``/space between the words, and full-width or look-alike angle brackets.
"""

from __future__ import annotations

import re

#: The marker names the prompt uses, as word lists.
MARKER_WORDS = (("tool", "result"), ("reference", "material"))

_GAP = r"[\s\u200b-\u200f\u2060\ufeff]*"  # spaces and zero-width characters
_OPEN = r"[<＜﹤〈⟨‹]"  # "<" and the brackets that look like it
_JOIN = r"[\s_\-‐-―\u200b-\u200f\u2060\ufeff]*"  # "_", "-", dashes, spaces between the words
_NAMES = "|".join(_JOIN.join(words) for words in MARKER_WORDS)
_MARKER = re.compile(rf"{_OPEN}{_GAP}(/?){_GAP}(?=(?:{_NAMES}))", re.IGNORECASE)


def neutralise(text: str) -> str:
    """``text`` with every look-alike of an opening or closing marker defused: the bracket
    becomes ``[`` so the words stay readable but no longer form a tag."""
    return _MARKER.sub(lambda m: "[" + m.group(1), text)


def contains_marker(text: str) -> bool:
    return _MARKER.search(text) is not None
