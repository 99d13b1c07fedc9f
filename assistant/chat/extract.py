"""Extractive answers: the best sentence(s) of the recalled fact or passage, quoted and cited.

A small model handed retrieved passages cites the right note and then loops ("I hope you have
a wonderful trip to Lisbon" for 1 024 tokens) or garbles it ("This is a reminder to use the [n]
as [n]"). When the active model cannot use passages (see :mod:`assistant.chat.grounded`), a
question that recall answers well gets the sentence that answers it, verbatim, with its source,
and a short lead in the user's language. Nothing here calls a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from assistant.agent.answer import clean
from assistant.chat.loops import is_mostly_chinese
from assistant.memory.search import Hit
from assistant.memory.words import has_cjk, meaningful_words, normalise

#: A sentence must contain at least this share of the question's meaningful words.
MIN_COVERAGE = 0.6
#: The second sentence is kept when it scores at least this share of the best one's score.
SECOND_SHARE = 0.75
MAX_SENTENCE_CHARS = 300
#: Sentence ends in both languages; a newline ends a sentence too (notes are often lists).
_SENTENCE = re.compile(r"[^。！？!?\n]+?(?:[。！？]+|[.!?]+(?=\s|$)|\n|$)")
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")
_QUESTION_EN = re.compile(
    r"^\s*(?:what|which|where|when|who|whom|whose|how|why|is|are|was|were|do|does|did|can|could|"
    r"should|shall|will|would|have|has|tell me|remind me what)\b",
    re.IGNORECASE,
)
_QUESTION_ZH = re.compile(r"什么|哪|几|多少|谁|怎么|怎样|如何|为什么|吗|呢|是否|有没有")
LEADS = {
    "fact": ("You told me:", "你告诉过我："),
    "chunk": ("From your notes:", "根据你的笔记："),
}


@dataclass(frozen=True)
class Pick:
    """One chosen sentence, from the recalled hit it came from."""

    hit: Hit
    sentence: str
    score: float


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (。！？ and .!? and line ends), markup bullets dropped."""
    out = []
    for match in _SENTENCE.finditer(text or ""):
        sentence = _MARKUP.sub("", match.group()).strip()
        if len(re.findall(r"\w", sentence)) >= 2:
            out.append(sentence)
    return out


def terms(question: str) -> list[str]:
    """The question's meaningful words (Chinese ones of 2+ characters, others of 3+, digits any)."""
    return meaningful_words(question)


def coverage(sentence: str, words: list[str]) -> float:
    """The share of ``words`` found in ``sentence`` (folded; "tram" finds "trams")."""
    if not words:
        return 0.0
    folded = normalise(sentence)
    return sum(1 for w in words if w in folded) / len(words)


def is_question(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith(("?", "？")):
        return True
    return bool(_QUESTION_ZH.search(stripped) if has_cjk(stripped) else _QUESTION_EN.match(stripped))


def choose(hits: list[Hit], question: str) -> list[Pick]:
    """The best one or two sentences among the facts and document passages, or [] when none
    covers enough of the question (the model answers then, as before)."""
    words = terms(question)
    if not words or not is_question(question):
        return []
    scored: list[Pick] = []
    for rank, hit in enumerate(h for h in hits if h.kind in ("fact", "chunk")):
        for sentence in sentences(hit.text):
            if len(sentence) <= MAX_SENTENCE_CHARS:
                score = coverage(sentence, words) - 0.01 * rank  # ties: the better-ranked hit
                scored.append(Pick(hit, sentence, score))
    scored.sort(key=lambda p: p.score, reverse=True)
    if not scored or scored[0].score < MIN_COVERAGE - 0.05:
        return []
    best = scored[0]
    second = next((p for p in scored[1:] if p.sentence != best.sentence), None)
    if second is not None and second.score >= max(MIN_COVERAGE - 0.05, SECOND_SHARE * best.score):
        return [best, second]
    return [best]


def source_of(hit: Hit, zh: bool) -> str:
    """Where a quote comes from, as the user knows it: the file name and heading, or a saved fact."""
    if hit.kind == "fact":
        return "已保存的信息" if zh else "saved fact"
    parts = [PurePath(hit.path).name if hit.path else "?"]
    if hit.page is not None:
        parts.append(f"第{hit.page}页" if zh else f"page {hit.page}")
    if hit.heading:
        parts.append(hit.heading)
    return " › ".join(parts)


def compose(picks: list[Pick], question: str) -> tuple[str, list[Hit]]:
    """The answer's text and the cited hits in the order of their numbers ([1], [2])."""
    zh = is_mostly_chinese(question[:2000])
    cited: list[Hit] = []
    quotes = []
    for pick in picks:
        if pick.hit not in cited:
            cited.append(pick.hit)
        n = cited.index(pick.hit) + 1
        text = " ".join(clean(pick.sentence).split())
        source = source_of(pick.hit, zh)
        quotes.append(f"「{text}」[{n}]（{source}）" if zh else f"“{text}” [{n}] ({source})")
    lead = LEADS["fact" if picks[0].hit.kind == "fact" else "chunk"][zh]
    if len(quotes) == 1:
        return f"{lead}{quotes[0]}" if zh else f"{lead} {quotes[0]}", cited
    return lead + "\n" + "\n".join(f"- {q}" for q in quotes), cited
