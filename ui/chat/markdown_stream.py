"""Markdown of a reply that is still streaming, rendered block by block.

Re-rendering the whole reply on every batch makes each batch cost more than the last. Here
the text is cut into top-level blocks (paragraph, heading, list, table, fenced code, quote,
...). A block is *finished* once a later block has started on a complete line: CommonMark
decides blocks line by line, so a new block on a finished line can no longer change the
blocks before it (a fence is open until its closing fence, so it stays the last block).
Finished blocks are rendered once; each batch parses and renders only the open part.

Qt-free, so the splitting is tested without a window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from ui.chat.markdown import MarkdownRenderer, Rendered


@dataclass(frozen=True)
class Block:
    """One top-level block: its lines [start, end) of the parsed text and its tokens."""

    start_line: int
    end_line: int
    tokens: tuple[Token, ...]


def top_level_blocks(tokens: Sequence[Token]) -> list[Block]:
    """Group markdown-it's token stream into its top-level (nesting level 0) blocks."""
    blocks: list[Block] = []
    begin = 0
    depth = 0
    for index, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:  # a self-contained token (fence, hr) or the close of a container
            opener = tokens[begin]
            start, end = opener.map if opener.map else (0, 0)
            blocks.append(Block(start, end, tuple(tokens[begin : index + 1])))
            begin = index + 1
    return blocks


def finished_count(text: str, blocks: Sequence[Block]) -> int:
    """How many leading blocks are finished: those followed by a block whose first line is
    complete. (A half-written line may still change what it starts: "```" then "`x`" is
    inline code in the paragraph above, not a fence.)"""
    complete_lines = text.count("\n")
    count = 0
    for later in blocks[1:]:
        if later.start_line >= complete_lines:
            break
        count += 1
    return count


def line_offset(text: str, line: int) -> int:
    """Character offset where ``line`` (0-based) of ``text`` begins."""
    offset = 0
    for _ in range(line):
        offset = text.index("\n", offset) + 1
    return offset


@dataclass
class StreamState:
    """What has been rendered of one streaming reply."""

    text: str = ""
    #: Where the open part begins in ``text``: everything before it is finished.
    open_from: int = 0
    finished_html: list[str] = field(default_factory=list)
    code_blocks: list[str] = field(default_factory=list)
    #: Link reference definitions seen so far (markdown-it's env, shared by later parses).
    env: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StreamUpdate:
    """What changed with one :meth:`StreamingMarkdown.feed`."""

    #: True when the text is not a continuation of the last: all shown blocks are void.
    restarted: bool
    #: HTML of blocks that finished with this feed, in order (never rendered again).
    finished: list[str]
    #: HTML of the open part: the last block (or the last few, while a line is half-written).
    open_html: str
    code_blocks: list[str]


class StreamingMarkdown:
    """Feed it the whole reply so far after each batch; it renders only what changed."""

    def __init__(self, renderer: MarkdownRenderer) -> None:
        self.renderer = renderer
        self.state = StreamState()
        # Finished blocks by (source, first code index): a revised reply that keeps the
        # start of the text (a loop cut) reuses them instead of rendering them again.
        self._cache: dict[tuple[str, int], Rendered] = {}

    def feed(self, text: str) -> StreamUpdate:
        # markdown-it counts a lone "\r" as a line end too; line numbers must agree with it.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        restarted = not text.startswith(self.state.text) or not self.state.text
        if restarted:
            self.state = StreamState()
        self.state.text = text
        state = self.state
        tail = text[state.open_from :]
        blocks = top_level_blocks(self.renderer.parse(tail, state.env))
        done = finished_count(tail, blocks)
        lines = tail.split("\n") if done else []
        finished = [self._finish("\n".join(lines[b.start_line : b.end_line]), b) for b in blocks[:done]]
        if done:
            state.open_from += line_offset(tail, blocks[done].start_line)
        opened = self._render(blocks[done:], len(state.code_blocks))
        return StreamUpdate(restarted, finished, opened.html, state.code_blocks + opened.code_blocks)

    def final(self) -> Rendered:
        """The whole reply's HTML, as :meth:`MarkdownRenderer.render` gives it in one go."""
        state = self.state
        if state.env.get("references"):
            # A reference may be defined after the block that uses it: only a parse of the
            # whole text links it, so render it whole (rare in replies).
            return self.renderer.render(state.text)
        tail = state.text[state.open_from :]
        opened = self._render(top_level_blocks(self.renderer.parse(tail, state.env)), len(state.code_blocks))
        return Rendered("".join(state.finished_html) + opened.html, state.code_blocks + opened.code_blocks)

    def _finish(self, source: str, block: Block) -> str:
        state = self.state
        key = (source, len(state.code_blocks))
        rendered = self._cache.get(key)
        if rendered is None:
            rendered = self._render([block], len(state.code_blocks))
            self._cache[key] = rendered
        state.finished_html.append(rendered.html)
        state.code_blocks.extend(rendered.code_blocks)
        return rendered.html

    def _render(self, blocks: Sequence[Block], first_code: int) -> Rendered:
        tokens = [token for block in blocks for token in block.tokens]
        return self.renderer.render_tokens(tokens, self.state.env, first_code)
