"""Blocks -> chunks that respect paragraphs and keep heading / page for citations.

Chunks stay under ~900 characters (~200 word pieces): all-MiniLM-L6-v2 reads at most 256
word pieces and silently drops the rest, so longer chunks would be searched by their start
only. Paragraphs are packed together while they share a heading and page; a paragraph
longer than a chunk is split at sentence ends, and only a sentence longer than a chunk is
cut mid-way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.knowledge.extract import Block

MAX_CHARS = 900
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")


@dataclass(frozen=True)
class Chunk:
    ord: int
    text: str
    heading: str | None
    page: int | None


def _pieces(text: str, limit: int) -> list[str]:
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > limit:  # one huge "sentence": cut at a space if there is one
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                out.append(current)
                current = ""
            out.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            out.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        out.append(current)
    return [p for p in out if p]


def chunk_blocks(blocks: list[Block], max_chars: int = MAX_CHARS) -> list[Chunk]:
    chunks: list[Chunk] = []
    text = ""
    meta: tuple[str | None, int | None] = (None, None)

    def emit() -> None:
        nonlocal text
        if text.strip():
            chunks.append(Chunk(len(chunks), text.strip(), meta[0], meta[1]))
        text = ""

    for body, heading, page in blocks:
        body = " ".join(body.split()) if "\n" not in body.strip() else body.strip()
        if (heading, page) != meta:
            emit()
            meta = (heading, page)
        for piece in _pieces(body, max_chars):
            if text and len(text) + 2 + len(piece) > max_chars:
                emit()
            text = f"{text}\n\n{piece}" if text else piece
    emit()
    return chunks
