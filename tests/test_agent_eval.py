"""The evaluation set is sound: its expected arguments resolve to its hand-written times."""

from __future__ import annotations

from assistant.agent import prompts
from assistant.agent.loop import Call
from assistant.bench.agent import load_eval, score
from assistant.tools import default_registry


def test_eval_set_is_large_and_uses_real_tools() -> None:
    items = load_eval()
    names = set(default_registry().names()) | {prompts.NONE}
    assert len(items) >= 60
    assert {i["tool"] for i in items} <= names
    assert sum(i["tool"] == "add_reminder" for i in items) >= 25


def test_expected_arguments_score_as_correct() -> None:
    wrong = [
        i["id"]
        for i in load_eval()
        if not score(i, Call(i["tool"], i["args"]) if i["tool"] != prompts.NONE else None)
    ]
    assert wrong == []


def test_wrong_tool_or_time_scores_as_wrong() -> None:
    item = load_eval()[0]
    assert not score(item, Call("list_agenda", {"period": "tomorrow"}))
    assert not score(item, Call("add_reminder", {"text": "call mum", "when": "tomorrow at 10"}))


def test_every_tool_request_passes_the_gate() -> None:
    missed = [
        i["request"]
        for i in load_eval()
        if i["tool"] != prompts.NONE and not prompts.might_need_tool(i["request"])
    ]
    assert missed == []
