"""The streamed reply's block splitter (ui/chat/markdown_stream.py): which blocks are finished, and
that block-by-block rendering gives exactly the one-shot render at every point of a stream.
Qt-free and fast."""

from __future__ import annotations

import random

import pytest

from ui.chat.markdown import MarkdownRenderer
from ui.chat.markdown_stream import StreamingMarkdown, finished_count, line_offset, top_level_blocks

RENDERER = MarkdownRenderer()

MIXED = (
    "# Plan\n\nIntro with **bold**, `code` and [a link](https://example.com) [1].\n\n"
    "1. first step\n2. second step\n\n   still the second step\n\n3. third\n\n"
    "```python\nfor i in range(3):\n\n    print(i)\n```\n\n"
    "| name | value |\n|------|-------|\n| a    | 1     |\n\n"
    "> a quote\nlazy line\n\n中文段落：**加粗**，还有`代码`。\n\n- 项目一\n- 项目二\n\n"
    "Title\n-----\n\n***\n\n    indented code\n\nThe end.\n"
)
EDGES = [
    MIXED,
    "foo\n```a`b\n\nbar\n\n```\nunclosed code\n\nstill code",  # "```a`b" is no fence
    "intro\n| a | b |\n|---|---|\n| 1 | 2 |\nafter the table\n",  # a table ends a paragraph
    "```py\na = 1\n```\n```js\nb\n```\n\ntext `x` done\n",  # two code blocks: copy:0, copy:1
    "- a\n\n- b\n  more b\n\n  para of b\n\nafter\n",
    "line one\r\nline two\r\n\r\nnext\rparagraph\r\n",
]


def stream(text: str, sizes: random.Random | None = None) -> list[tuple[str, str]]:
    """Feed ``text`` in pieces; after each, (what the view shows, the one-shot render)."""
    markdown = StreamingMarkdown(RENDERER)
    shown: list[str] = []
    seen = []
    end = 0
    while end < len(text):
        end = min(len(text), end + (sizes.randint(1, 7) if sizes else 1))
        update = markdown.feed(text[:end])
        if update.restarted:
            shown = []
        shown.extend(update.finished)
        seen.append(("".join(shown) + update.open_html, RENDERER.render(text[:end]).html))
    return seen


def test_blocks_are_the_top_level_blocks() -> None:
    text = "para\n\n- a\n  - nested\n- b\n\n| x |\n|---|\n| 1 |\n\n```\ncode\n```\n"
    blocks = top_level_blocks(RENDERER.parse(text, {}))
    assert [(b.start_line, b.end_line, b.tokens[0].type) for b in blocks] == [
        (0, 1, "paragraph_open"),
        (2, 6, "bullet_list_open"),  # a list keeps the blank line after it
        (6, 9, "table_open"),
        (10, 13, "fence"),
    ]
    assert blocks[1].tokens[-1].type == "bullet_list_close"


@pytest.mark.parametrize(
    ("text", "finished"),
    [
        ("one\n\ntwo", 0),  # "two" is half-written
        ("one\n\ntwo\n", 1),
        ("one\n\ntwo\n\nthree", 1),
        ("1. a\n\n2", 0),  # "2" may become "2. b", the same list
        ("one\n```", 0),  # the fence line is half-written: it may still become inline code
        ("one\n```py\n", 1),
        ("one\n\n```py\ncode\n\nmore", 1),  # the open fence is the last block however long
        ("- a\n\n- b\n\n  c", 0),  # one loose list
        ("- a\n\nb\n", 1),
        ("Title\n===", 0),  # the paragraph became a heading: still one block
    ],
)
def test_finished_count(text: str, finished: int) -> None:
    assert finished_count(text, top_level_blocks(RENDERER.parse(text, {}))) == finished


def test_line_offset() -> None:
    assert [line_offset("ab\ncd\n\nef", n) for n in range(4)] == [0, 3, 6, 7]


@pytest.mark.parametrize("text", EDGES)
def test_every_point_of_a_stream_shows_the_one_shot_render(text: str) -> None:
    for shown, one_shot in stream(text):
        assert shown == one_shot


def test_random_batches_and_random_documents_match_the_one_shot_render() -> None:
    pieces = ["", "para *em*", "# H", "Setext", "===", "---", "- item", "  - nested", "1. one",
              "   cont", "> quote", "```", "```py", "    code", "| a | b |", "|---|---|", "中文",
              "`x`", "``", "1) p", "***", "a  "]
    for seed in range(150):
        rnd = random.Random(seed)
        text = "\n".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        for shown, one_shot in stream(text, rnd):
            assert shown == one_shot, (seed, text)


def test_finished_blocks_are_rendered_once() -> None:
    markdown = StreamingMarkdown(RENDERER)
    text = "".join(f"Paragraph {i} with some words.\n\n" for i in range(200))
    rendered: list[int] = []
    original = RENDERER.render_tokens

    def counting(tokens, env, first_code=0):  # type: ignore[no-untyped-def]
        rendered.append(len(tokens))
        return original(tokens, env, first_code)

    RENDERER.render_tokens = counting  # type: ignore[method-assign]
    try:
        for end in range(0, len(text), 5):
            markdown.feed(text[: end + 5])
    finally:
        del RENDERER.render_tokens
    assert len(markdown.state.finished_html) == 199
    # Per feed: the open paragraph (3 tokens) and at most one newly finished block.
    assert max(rendered) <= 6


def test_a_code_fence_stays_open_until_it_closes_and_numbers_its_copy_link() -> None:
    markdown = StreamingMarkdown(RENDERER)
    first = markdown.feed("```sh\nls\n```\n\nText\n\n```py\nprint(1)\n\nprint(2)\n")
    assert len(first.finished) == 2 and 'href="copy:0"' in first.finished[0]
    assert "print" in first.open_html and 'href="copy:1"' in first.open_html
    assert first.code_blocks == ["ls", "print(1)\n\nprint(2)"]
    closed = markdown.feed("```sh\nls\n```\n\nText\n\n```py\nprint(1)\n\nprint(2)\n```\n\nAfter.\n")
    assert len(closed.finished) == 1 and 'href="copy:1"' in closed.finished[0]
    assert closed.open_html == "<p>After.</p>\n"


def test_a_revised_reply_starts_again() -> None:
    markdown = StreamingMarkdown(RENDERER)
    markdown.feed("One.\n\nTwo.\n\nThree three three")
    revised = markdown.feed("One.\n\nTwo.\n\n(cut)\n")
    assert revised.restarted
    assert revised.finished == ["<p>One.</p>\n", "<p>Two.</p>\n"]
    assert revised.open_html == "<p>(cut)</p>\n"


def test_a_reference_defined_later_still_links_in_the_final_render() -> None:
    markdown = StreamingMarkdown(RENDERER)
    text = "See [the docs][d].\n\n[d]: https://example.com/docs\n\nMore.\n"
    for end in range(1, len(text) + 1):
        markdown.feed(text[:end])
    final = markdown.final()
    assert 'href="https://example.com/docs"' in final.html
    assert final.html == RENDERER.render(text).html


def test_the_bench_probe_streams_exactly_n_tokens_of_markdown_that_renders_as_one_shot() -> None:
    from ui.app.stream_probe import parse_scenario, scripted_reply

    assert parse_scenario("1024") == (1024, 0) and parse_scenario("1024@200") == (1024, 200)
    words = scripted_reply(600).split(" ")
    assert len(words) == 600
    markdown = StreamingMarkdown(RENDERER)
    for end in range(1, len(words) + 1):
        markdown.feed(" ".join(words[:end]))
    one_shot = RENDERER.render(" ".join(words)).html
    assert markdown.final().html == one_shot
    assert all(tag in one_shot for tag in ("<h2>", "<ol>", "<pre", "<table>", "灯塔"))
    assert len(markdown.state.finished_html) > 20
