"""Noticing a reply that has fallen into a loop, while it streams.

Small models under plain sampling often end up repeating one sentence or paragraph until the
token limit. The rule (tuned on ``tests/data/loop_tuning.jsonl``, see ``docs/BENCHMARKS.md``):

* the text is cut into units: words (Latin letters and digits) and single CJK characters;
  punctuation and markup are not units, and code blocks (``` fences) and table rows are left
  out altogether, so repeated code lines and table rules never count;
* a window of ``N`` units (8 words; 12 when most units are CJK characters) seen a third time,
  all copies within ``SPAN`` units, and the stretches between consecutive copies nearly the
  same (difflib ratio >= ``SIMILAR``): the text has started to cycle. When the stretches only
  look alike (ratio >= ``LOOSE``: a loop that varies a word or two each time, or a song with a
  chorus) a fourth copy is needed;
* copies in different items of a list whose items differ never count;
* one punctuation mark repeated ``PUNCT_RUN`` times or more inside a line of prose
  ("不让我；；；；；；…", seen from the starter model) is a loop of its own (lines made only of
  symbols, such as Markdown rules, are not prose).

The reply then keeps everything before the second copy (cut back to a sentence end inside the
first copy when there is one), and a short note in the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.engine.base import CancelToken

N_WORDS = 8
N_CJK = 12
REPEATS = 3
SPAN = 600
SIMILAR = 0.85
LOOSE = 0.5
PUNCT_RUN = 16
#: Check again after this many new characters, or 1/64 of the text when that is more (each
#: check re-scans the text: about a millisecond per thousand characters).
CHECK_EVERY = 24

NOTES = {
    "en": "(Stopped: the reply was repeating itself.)",
    "zh": "（已停止：回复在重复。）",
}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_UNIT = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:['’][^\W_{_CJK}]+)*", re.UNICODE)
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_LIST_MARKER = re.compile(r"\s*(?:[-*+•]|\d+[.)、]|[一二三四五六七八九十]+、|#+)\s*")
_PUNCT = re.compile(rf"([^\w\s])(?:[ \t]*\1){{{PUNCT_RUN - 1},}}")
_TRAILING_MARKER = re.compile(r"\n\s*(?:[-*+•]|\d+[.)、])$")
_SENTENCE_END = re.compile(r"[.!?。！？…](?:[\"'”’)）」』]*)(?=\s|$)|[。！？]|\n")


@dataclass(frozen=True)
class Loop:
    """Where the repetition starts: ``keep`` is the reply without it (no note)."""

    keep: str
    period_chars: int
    copies: int


def note_for(language: str) -> str:
    return NOTES["zh" if language == "zh" else "en"]


def note_for_messages(messages: list[dict[str, object]]) -> str:
    """The note in the language of the user's last message (recall's reference block aside)."""
    users = [str(m.get("content") or "") for m in messages if m.get("role") == "user"]
    asked = users[-1].split("<reference_material>", 1)[0] if users else ""
    return note_for("zh" if is_mostly_chinese(asked[:2000]) else "en")


def with_note(kept: str, messages: list[dict[str, object]]) -> str:
    """What a stopped reply keeps: the text before the loop, then the note."""
    note = note_for_messages(messages)
    return f"{kept}\n\n{note}" if kept else note


def is_mostly_chinese(text: str) -> bool:
    cjk = len(_CJK_CHAR.findall(text))
    letters = sum(1 for c in text if c.isalpha())
    return cjk > 0 and cjk * 2 >= letters


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for the prose of ``text``: code blocks, indented code and table rows left out."""
    lines: list[tuple[int, str]] = []
    in_code = False
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
        elif not in_code and not stripped.startswith("|") and not line.startswith(("    ", "\t")):
            lines.append((offset, line))
        offset += len(line)
    return lines


def prose_units(text: str) -> list[tuple[int, str]]:
    """(offset, lower-cased unit) for the prose of ``text``."""
    lines = prose_lines(text)
    return [(offset + m.start(), m.group().lower()) for offset, line in lines for m in _UNIT.finditer(line)]


def _punctuation_run(text: str) -> Loop | None:
    for offset, line in prose_lines(text):
        found = _PUNCT.search(line)
        if found and _UNIT.search(line):  # a line of only symbols is a rule, not a loop
            start = offset + found.start()
            return Loop(text[: start + 1].rstrip(), 1, PUNCT_RUN)
    return None


def find_loop(text: str) -> Loop | None:
    """The first cycle in ``text`` by the rule above, or None."""
    run = _punctuation_run(text)
    if run is not None:
        return run
    units = prose_units(text)
    if len(units) < N_WORDS * REPEATS:
        return None
    cjk = sum(1 for _, u in units if len(u) == 1 and _CJK_CHAR.match(u))
    n = N_CJK if cjk * 2 >= len(units) else N_WORDS
    words = [u for _, u in units]
    best: tuple[int, ...] | None = None  # unit indexes of the copies
    for copies, similar in ((REPEATS, SIMILAR), (REPEATS + 1, LOOSE)):
        for places in _runs(words, n, copies):
            if best is not None and places[-1] >= best[-1]:
                break
            if _is_cycle(text, units, words, places, similar):
                best = places
                break
    if best is None:
        return None
    start_first, start_second = units[best[0]][0], units[best[1]][0]
    return Loop(_cut(text, start_first, start_second), start_second - start_first, len(best))


def _is_cycle(
    text: str, units: list[tuple[int, str]], words: list[str], places: tuple[int, ...], similar: float
) -> bool:
    if _distinct_list_items(text, [units[i][0] for i in places]):
        return False
    pairs = zip(places, places[1:], places[2:], strict=False)
    return all(SequenceMatcher(None, words[a:b], words[b:c], False).ratio() >= similar for a, b, c in pairs)


def _runs(words: list[str], n: int, copies: int) -> Iterator[tuple[int, ...]]:
    """Consecutive occurrences of one n-unit window, ``copies`` of them within SPAN units, in
    the order their last copy appears."""
    seen: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(words) - n + 1):
        places = seen.setdefault(tuple(words[i : i + n]), [])
        places.append(i)
        if len(places) >= copies and places[-1] - places[-copies] <= SPAN:
            yield tuple(places[-copies:])


def _line(text: str, offset: int) -> tuple[int, str]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, text[start : end if end >= 0 else len(text)]


def _distinct_list_items(text: str, offsets: list[int]) -> bool:
    """The copies are in different items of a list whose items differ ("- Monday: walk for 30
    minutes in the park", "- Tuesday: walk ..."): a list, not a loop. Identical items, or the
    same words repeating inside one paragraph, are a loop."""
    lines = [_line(text, offset) for offset in offsets]
    if len({start for start, _ in lines}) < len(lines):
        return False
    items = [_LIST_MARKER.match(line) for _, line in lines]
    if not all(items):
        return False
    bodies = {line[m.end() :].strip().lower() for (_, line), m in zip(lines, items, strict=True) if m}
    return len(bodies) > 1


def _cut(text: str, first: int, second: int) -> str:
    """The text up to the end of the first full copy of the cycle, moved to a sentence end: the
    next one within a period when the copy ends mid-sentence, else the last one inside it."""
    period = second - first
    start = first  # where the repeating text really begins: walk back while it still repeats
    while start > 0 and text[start - 1] == text[start - 1 + period]:
        start -= 1
    end = start + period
    head = text[:end].rstrip()
    if not head or _SENTENCE_END.search(head[-1] + " "):
        return _TRAILING_MARKER.sub("", head).rstrip()
    after = _SENTENCE_END.search(text, end, end + period)
    if after is not None:
        return _TRAILING_MARKER.sub("", text[: after.end()].rstrip()).rstrip()
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start + 1, end)]
    kept = text[: ends[-1]] if ends else head
    return _TRAILING_MARKER.sub("", kept.rstrip()).rstrip()


class LoopDetector:
    """Fed the streamed text piece by piece; reports the loop once it is there."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._checked = 0
        self.loop: Loop | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def feed(self, piece: str) -> Loop | None:
        if self.loop is None:
            self._parts.append(piece)
            self._length += len(piece)
            if self._length - self._checked >= max(CHECK_EVERY, self._length // 64):
                self._checked = self._length
                self.loop = find_loop(self.text)
        return self.loop


class LinkedCancel(CancelToken):
    """Cancelled when its parent is (the user's Stop) or when cancelled itself (a loop)."""

    def __init__(self, parent: CancelToken) -> None:
        super().__init__()
        self.parent = parent

    @property
    def cancelled(self) -> bool:
        return self._event.is_set() or self.parent.cancelled

    def wait(self, timeout: float) -> bool:
        step = min(0.05, timeout) if timeout > 0 else 0.0
        waited = 0.0
        while not self.cancelled and waited < timeout:
            self._event.wait(step)
            waited += step
        return self.cancelled
