"""Choosing among a few options without a grammar (engine/scoring.py) on the real starter
model, against the grammar-constrained greedy decode it stands in for (slow: real model)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.agent import prompts
from assistant.config import physical_cores
from assistant.engine.base import CancelToken, ChatRequest, EngineConfig, OptionChooser
from assistant.engine.fake import ScriptedEngine
from assistant.engine.local import LocalEngine
from assistant.events import TextDelta
from assistant.tools import default_registry

pytestmark = pytest.mark.slow
OPTIONS = ["Paris", "Banana", "Berlin and Madrid"]
QUESTION = [{"role": "user", "content": "What is the capital of France? Answer with one word."}]


@pytest.fixture(scope="module")
def engine(starter: Path) -> Iterator[LocalEngine]:
    engine = LocalEngine()
    for _ in engine.ensure_loaded(EngineConfig(str(starter), n_ctx=2048, n_threads=physical_cores())):
        pass
    yield engine
    engine.close()


def _reply(engine: LocalEngine, request: ChatRequest) -> str:
    return "".join(e.text for e in engine.chat(request, CancelToken()) if isinstance(e, TextDelta))


def test_the_model_process_chooses_and_then_chats_normally(engine: LocalEngine) -> None:
    request = ChatRequest(messages=QUESTION, temperature=0.0, max_tokens=8)
    assert engine.choose_option(request, "", OPTIONS) == 0  # Paris
    assert _reply(engine, request).strip()
    # An option list where all but one are impossible continuations still works, and a
    # grammar that allows exactly the options gives the same answer.
    grammar = 'root ::= "Paris" | "Banana" | "Berlin and Madrid"'
    constrained = _reply(engine, replace(request, grammar=grammar))
    assert OPTIONS[engine.choose_option(request, "", OPTIONS)] == constrained


REQUESTS = [
    "remind me tomorrow at 9 to call mum",
    "what's on my calendar on Friday?",
    "find the warranty in my documents",
    "明天下午三点提醒我取快递",
    "what did we say about the trip last week",
    "Do you remember what I told you about my brother's anniversary?",
    "cancel the dentist reminder",
    "tell me a joke about cats",
]


def test_the_choice_is_the_one_greedy_grammar_decoding_makes(engine: LocalEngine) -> None:
    """The agent's stage-1 prompt over every tool: choosing without the grammar gives the
    tool the grammar-constrained greedy decode gives (right or wrong: it is the 135M model's
    choice either way). Both start from an empty cache; tokens all options share are decoded
    in one batch rather than one by one, and kernels round differently for the two, so a near
    tie may go the other way: at most one request of eight may differ."""
    registry = default_registry()
    names = [*registry.names(), prompts.NONE]
    replies = prompts.choice_replies(names)
    differ = []
    for text in REQUESTS:
        request = ChatRequest(
            messages=[{"role": "user", "content": prompts.choice_prompt(registry.tools(), text, False)}],
            temperature=0.0,
            max_tokens=48,
        )
        engine.reset_cache()  # both start from the same state: the prompt decoded in one batch
        chosen = replies[engine.choose_option(request, "", [r for r, _ in replies])][1]
        schema = prompts.choice_schema(registry.names())
        engine.reset_cache()
        decoded = json.loads(_reply(engine, replace(request, json_schema=schema)))
        if chosen != decoded["tool"]:
            differ.append((text, chosen, decoded["tool"]))
    assert len(differ) <= 1, differ


def test_engines_that_cannot_choose_are_not_option_choosers() -> None:
    assert not isinstance(ScriptedEngine([]), OptionChooser)
    assert isinstance(LocalEngine(), OptionChooser)
