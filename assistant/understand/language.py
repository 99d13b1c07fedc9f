"""Which language the user wrote in, by script share: Han characters against Latin letters."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
#: A Han character carries about as much as a short English word (~3 letters).
_LETTERS_PER_HAN = 3


def language_of(text: str) -> str:
    """ "zh" when Han characters make up a fair share of the writing, else "en"."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if han and han * _LETTERS_PER_HAN >= latin else "en"


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))
