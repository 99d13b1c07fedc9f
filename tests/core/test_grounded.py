"""Extractive answers (issue 9, item 7): when the active model cannot use retrieved passages, a
question that recall answers gets the best sentence, quoted and cited, in the user's language,
without a model call. Real profiles, the real indexer and segmenter, the real session; the
scripted engine stands in for the model (its reply shows when the model answers)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.chat import extract
from assistant.chat.grounded import uses_passages
from assistant.core import Core
from assistant.engine.base import CancelToken
from assistant.events import Done, TextDelta
from assistant.memory.events import CitationsUsed, FactSaved
from assistant.memory.search import Hit

MODEL_REPLY = "I hope you have a wonderful trip to Lisbon. " * 3
TRAM = "Early in the morning, take tram 28 from Martim Moniz before the crowds arrive."
NOTE = (
    "# Lisbon trip\n\n## Getting around\n\n"
    "The metro is cheap and runs until one in the morning. "
    f"{TRAM} In the evening the Santa Justa lift has long queues.\n"
)
NOTE_ZH = (
    "# 里斯本旅行\n\n## 交通\n\n地铁很便宜，运行到凌晨一点。早上最好坐28路电车，从马蒂姆莫尼斯出发，"
    "可以避开人群。晚上圣胡斯塔升降机排队很长。\n"
)


def _turn(core: Core, cid: int, text: str) -> tuple[list[Any], str]:
    events = list(core.session.send(cid, text, CancelToken()))
    return events, "".join(e.text for e in events if isinstance(e, TextDelta))


def _with_note(make_core: Callable[..., Core], folder: Path, **settings: object) -> Core:
    core = make_core(replies=[MODEL_REPLY], **settings)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lisbon.md").write_text(NOTE, encoding="utf-8")
    (folder / "里斯本.md").write_text(NOTE_ZH, encoding="utf-8")
    collection = core.knowledge.add(folder)
    list(core.knowledge.index(collection.id))
    return core


def _stored(core: Core, cid: int) -> str:
    return core.chats.messages(cid)[-1].content


# the real session -------------------------------------------------------------------------
def test_document_question_gets_the_sentence_quoted_and_cited(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = _with_note(make_core, tmp_path / "notes")
    cid = core.chats.create_conversation()
    events, text = _turn(core, cid, "Which tram should I take early in the morning in Lisbon?")
    assert text.startswith("From your notes:") and f"“{TRAM}” [1]" in text, text
    assert "lisbon.md" in text and "wonderful trip" not in text
    assert text.count("tram 28") == 1 and _stored(core, cid) == text
    cited = [e for e in events if isinstance(e, CitationsUsed)]
    assert len(cited) == 1 and cited[0].citations[0].n == 1
    assert Path(cited[0].citations[0].path or "").name == "lisbon.md"
    assert isinstance(events[-1], Done) and events[-1].status == "complete"


def test_chinese_document_question_is_answered_in_chinese(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = _with_note(make_core, tmp_path / "notes")
    cid = core.chats.create_conversation()
    _events, text = _turn(core, cid, "在里斯本早上应该坐哪路电车？")
    assert text.startswith("根据你的笔记：") and "28路电车" in text and "[1]" in text, text
    assert "里斯本.md" in text and "wonderful" not in text


@pytest.mark.parametrize(
    ("remember", "question", "lead", "quote"),
    [
        ("Remember that my locker code is 4812", "What is my locker code?", "You told me:",
         "“My locker code is 4812” [1] (saved fact)"),
        ("记住我的储物柜密码是4812", "我的储物柜密码是多少？", "你告诉过我：",
         "「我的储物柜密码是4812」[1]（已保存的信息）"),
    ],
)
def test_a_saved_fact_is_quoted(
    make_core: Callable[..., Core], remember: str, question: str, lead: str, quote: str
) -> None:
    core = make_core(replies=["This is a reminder to use the [n] as [n]"] * 3)
    cid = core.chats.create_conversation()
    events, _ = _turn(core, cid, remember)
    assert any(isinstance(e, FactSaved) for e in events)
    asking = core.chats.create_conversation()
    events, text = _turn(core, asking, question)
    assert text.startswith(lead) and quote in text and "[n]" not in text, text
    assert [c.kind for e in events if isinstance(e, CitationsUsed) for c in e.citations] == ["fact"]


def test_a_capable_model_setting_keeps_the_models_answer(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = _with_note(make_core, tmp_path / "notes")
    core.memory.save_changes(passages="model")  # the user's setting
    cid = core.chats.create_conversation()
    _events, text = _turn(core, cid, "Which tram should I take early in the morning in Lisbon?")
    assert text.startswith("I hope you have") and "From your notes" not in text
    core.memory.save_changes(passages="auto")
    hook = core.session.extractive
    hook.uses = lambda: True  # type: ignore[union-attr]  # as for a remote or >= 3B model
    _events, text = _turn(core, cid, "Which tram should I take early in the morning in Lisbon?")
    assert text.startswith("I hope you have")
    hook.uses = lambda: False  # type: ignore[union-attr]
    _events, text = _turn(core, cid, "Which tram should I take early in the morning in Lisbon?")
    assert text.startswith("From your notes:")


def test_nothing_that_matches_well_leaves_the_answer_to_the_model(
    make_core: Callable[..., Core], tmp_path: Path
) -> None:
    core = _with_note(make_core, tmp_path / "notes")
    cid = core.chats.create_conversation()
    _events, text = _turn(core, cid, "Tell me a joke about penguins.")
    assert text.startswith("I hope you have")


# the pieces --------------------------------------------------------------------------------
def test_the_setting_goes_on_top_of_the_size_default() -> None:
    assert uses_passages("auto", lambda: True) and not uses_passages("auto", lambda: False)
    assert uses_passages("model", lambda: False) and not uses_passages("extract", lambda: True)


def test_the_starter_model_cannot_use_passages(make_core: Callable[..., Core]) -> None:
    from assistant.chat.grounded import model_uses_passages
    from assistant.config import Settings, starter_model_path

    core = make_core()
    assert not model_uses_passages(core)  # a placeholder file: no size, small
    path = starter_model_path()
    if path is not None:
        core.save_settings(Settings(model_path=str(path)))
        assert not model_uses_passages(core)


def test_sentences_in_both_languages() -> None:
    text = "# Title\n- First point. It costs 3.10 euros! Really?\n早上坐28路。晚上别去！好吗？"
    assert extract.sentences(text) == [
        "Title", "First point.", "It costs 3.10 euros!", "Really?", "早上坐28路。", "晚上别去！", "好吗？",
    ]


def _hit(text: str, kind: str = "chunk") -> Hit:
    return Hit(1, kind, text, text, (), 1.0, None, path="/n/a.md")


def test_best_sentences_are_chosen_by_the_questions_words() -> None:
    hits = [_hit("The metro is cheap. The museum opens at ten. The museum closes at six on Mondays.")]
    picks = extract.choose(hits, "When does the museum close on Mondays?")
    assert picks[0].sentence == "The museum closes at six on Mondays."
    assert extract.choose(hits, "Tell me about penguins") == []
    assert extract.choose(hits, "museum") == []  # not a question


def test_the_bench_set_and_its_figures() -> None:
    from assistant.bench.grounded import QUESTIONS, _figures
    from assistant.memory.words import has_cjk

    assert len(QUESTIONS) >= 20 and sum(has_cjk(q) for q, _ in QUESTIONS) * 2 == len(QUESTIONS)
    rows = [{"question": "Who?", "right": False, "tokens": 9},
            {"question": "谁？", "right": True, "tokens": 9}]
    quoted = [{"question": "Who?", "right": True, "tokens": 0},
              {"question": "谁？", "right": True, "tokens": 0}]
    model, extractive, without = _figures(rows, quoted)
    assert (model.value, extractive.value, without.value) == (0.5, 1.0, 1.0) and extractive.passed
    assert extractive.details["zh"] == 1.0 and model.details["en"] == 0.0
