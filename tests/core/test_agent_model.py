"""The starter model with constrained decoding emits calls that validate (slow: real model)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from assistant.agent import prompts
from assistant.agent.registry import validate
from assistant.config import physical_cores, starter_model_path
from assistant.engine.base import CancelToken, ChatRequest, EngineConfig
from assistant.engine.local import LocalEngine
from assistant.events import TextDelta
from assistant.tools import default_registry

pytestmark = pytest.mark.slow
REQUESTS = [
    "remind me tomorrow at 9 to call mum",
    "what's on my calendar on Friday?",
    "find the warranty in my documents",
    "remind me every weekday at 8 to stretch",
]


@pytest.fixture(scope="module")
def engine() -> Iterator[LocalEngine]:
    model = starter_model_path()
    if model is None:
        pytest.skip("the starter model is not installed")
    engine = LocalEngine()
    for _ in engine.ensure_loaded(EngineConfig(str(model), n_ctx=2048, n_threads=physical_cores())):
        pass
    yield engine
    engine.close()


def _ask(engine: LocalEngine, prompt: str, schema: dict, temperature: float = 0.0, seed: int = -1) -> str:
    request = ChatRequest(
        messages=[{"role": "user", "content": prompt}],
        temperature=temperature,
        max_tokens=200,
        json_schema=schema,
        seed=seed,
    )
    return "".join(e.text for e in engine.chat(request, CancelToken()) if isinstance(e, TextDelta))


@pytest.mark.parametrize("text", REQUESTS)
def test_tool_choice_is_always_one_of_the_tools(engine: LocalEngine, text: str) -> None:
    registry = default_registry()
    names = registry.names()
    for seed in (1, 2, 3):  # sampled, not greedy: the grammar must hold for any token choice
        reply = _ask(
            engine,
            prompts.choice_prompt(registry.tools(), text, False),
            prompts.choice_schema(names),
            temperature=1.0,
            seed=seed,
        )
        assert json.loads(reply)["tool"] in [*names, prompts.NONE]


@pytest.mark.parametrize(
    "name",
    [
        "add_reminder",
        "list_agenda",
        "move_reminder",
        "search_documents",
        "cancel_reminder",
        "snooze_reminder",
        "web_search",
        "date_calc",
    ],
)
def test_arguments_validate_against_the_tool_schema(engine: LocalEngine, name: str) -> None:
    tool = default_registry().get(name)
    assert tool is not None
    for seed, text in enumerate(REQUESTS[:2]):
        reply = _ask(
            engine,
            prompts.arguments_prompt(tool, text, "Wednesday 14 January 2026 10:30"),
            prompts.constrained(tool.parameters),
            temperature=0.8,
            seed=seed,
        )
        validate(tool, json.loads(reply))  # raises if the call does not fit the schema


def test_plain_chat_still_streams_after_constrained_requests(engine: LocalEngine) -> None:
    request = ChatRequest(messages=[{"role": "user", "content": "Say hello."}], temperature=0.0, max_tokens=8)
    text = "".join(e.text for e in engine.chat(request, CancelToken()) if isinstance(e, TextDelta))
    assert text.strip() and not text.lstrip().startswith("{")
