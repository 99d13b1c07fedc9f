"""Markdown → the HTML subset Qt's rich-text engine understands.

Model output is untrusted: raw HTML is disabled in the parser, so a reply can never inject
markup, and markdown-it's own link validation drops ``javascript:`` style URLs. Code blocks are
highlighted by pygments with inline styles (Qt rich text has no external stylesheet) and get a
``copy:N`` link; the raw code is kept in :attr:`Rendered.code_blocks` for the clipboard.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

# pygments is imported lazily: it is only needed once a code block appears, and every
# millisecond of import time counts against the window-shown-in-1.5 s target.


@dataclass(frozen=True)
class Theme:
    """Colours picked from the system palette, so a dark theme gets dark code blocks."""

    dark: bool = False
    mono_family: str = "monospace"
    copy_label: str = "Copy"

    @property
    def pygments_style(self) -> str:
        return "monokai" if self.dark else "friendly"


@dataclass
class Rendered:
    html: str
    code_blocks: list[str] = field(default_factory=list)


@lru_cache(maxsize=4)
def _style_colors(style_name: str) -> tuple[str, str]:
    """(background, default text colour) of a pygments style."""
    from pygments.styles import get_style_by_name
    from pygments.token import Text

    style = get_style_by_name(style_name)
    background = style.background_color or "#f6f8fa"
    color = style.style_for_token(Text).get("color")
    default = "#f8f8f2" if style_name == "monokai" else "#24292f"
    return background, f"#{color}" if color else default


def highlight(code: str, language: str, style_name: str) -> str:
    """Pygments HTML spans with inline styles (no ``<pre>``: the caller wraps it)."""
    from pygments import highlight as _highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    formatter = HtmlFormatter(noclasses=True, nowrap=True, style=style_name)
    return _highlight(code, lexer, formatter).rstrip("\n")


class MarkdownRenderer:
    """One parser per theme; :meth:`render` is pure and safe to call on partial text."""

    def __init__(self, theme: Theme | None = None) -> None:
        self.theme = theme or Theme()
        self._md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
        self._md.enable(["table", "strikethrough"])
        self._code_blocks: list[str] = []
        self._first_code = 0
        # markdown-it binds render rules to its renderer, so pass plain closures.
        def fence(_renderer: Any, tokens: Any, idx: int, _options: Any, _env: Any) -> str:
            return self._fence(tokens[idx])

        def code_inline(_renderer: Any, tokens: Any, idx: int, _options: Any, _env: Any) -> str:
            return self._code_inline(tokens[idx])

        self._md.add_render_rule("fence", fence)
        self._md.add_render_rule("code_block", fence)
        self._md.add_render_rule("code_inline", code_inline)

    def render(self, text: str) -> Rendered:
        env: dict[str, Any] = {}
        return self.render_tokens(self.parse(text, env), env)

    def parse(self, text: str, env: dict[str, Any]) -> list[Token]:
        """Block and inline tokens; link reference definitions found are added to ``env``."""
        return self._md.parse(text, env)

    def render_tokens(self, tokens: Sequence[Token], env: dict[str, Any], first_code: int = 0) -> Rendered:
        """HTML of a run of top-level tokens. ``first_code`` numbers the ``copy:N`` links on
        from the code blocks rendered before them (a streamed reply renders block by block)."""
        self._code_blocks = []
        self._first_code = first_code
        body = self._md.renderer.render(tokens, self._md.options, env)
        return Rendered(body, list(self._code_blocks))

    # render rules ---------------------------------------------------------------------
    def _code_inline(self, token: Any) -> str:
        background = "#3a3a3a" if self.theme.dark else "#eef0f3"
        return (
            f'<code style="font-family:\'{self.theme.mono_family}\'; '
            f'background-color:{background};">&nbsp;{html.escape(token.content)}&nbsp;</code>'
        )

    def _fence(self, token: Any) -> str:
        language = (token.info or "").strip().split(" ")[0]
        code = token.content.rstrip("\n")
        index = self._first_code + len(self._code_blocks)
        self._code_blocks.append(code)
        style = self.theme.pygments_style
        background, foreground = _style_colors(style)
        header = "#2d2d2d" if self.theme.dark else "#e4e7eb"
        muted = "#b0b0b0" if self.theme.dark else "#57606a"
        body = highlight(code, language, style)
        # A table is the only block Qt rich text gives a full-width background and padding.
        return (
            f'<table width="100%" cellspacing="0" cellpadding="8" '
            f'style="margin-top:6px; margin-bottom:6px; background-color:{background};">'
            f'<tr><td style="background-color:{header};">'
            f'<span style="color:{muted};">{html.escape(language or "text")}</span>'
            f'</td><td align="right" style="background-color:{header};">'
            f'<a href="copy:{index}">{html.escape(self.theme.copy_label)}</a></td></tr>'
            f'<tr><td colspan="2"><pre style="white-space:pre-wrap; margin:0; '
            f"font-family:'{self.theme.mono_family}'; color:{foreground};\">{body}</pre>"
            f"</td></tr></table>"
        )
