"""How long one model decision takes, decoded under the choice grammar vs scored.

When the understanding layer is not sure, the agent asks the model to choose a tool. Two ways
side by side on the same prompts (the agent's own stage-1 choice prompt over every tool, for
the reporting half of tests/data/agent_eval.jsonl): llama.cpp decoding ``{"tool": "..."}``
under a JSON-schema grammar (the grammar is checked against the whole vocabulary at every
token), and choosing among the replies that grammar allows by greedy one-token steps after
one prompt evaluation (engine/scoring.py). Before each timed call the cache is primed with the same
prompt for another request, so each call evaluates its own request but not the shared head —
as in a real turn, where the tool list and examples are already cached.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.agent import prompts
from assistant.agent.execute import parse_json
from assistant.agent.loop import Agent
from assistant.bench.agent import _agent, _request, half, load_eval
from assistant.bench.stats import Figure, median
from assistant.engine.base import CancelToken, ChatRequest
from assistant.engine.local import LocalEngine

PRIMER = "Hello there"


def model_decisions(home: Path, quick: bool) -> list[Figure]:
    items = [i for i in load_eval() if half(i) == "reporting" and i["kind"] != "refuse"]
    items = items[:: 6 if quick else 2]
    engine, agent = _agent(home)
    assert isinstance(engine, LocalEngine)
    names = [t.name for t in agent.registry.tools()] + [prompts.NONE]
    rows: list[dict[str, Any]] = []
    try:
        for n, item in enumerate(items):
            request = _choice(agent, item["request"])
            primer = _choice(agent, PRIMER)
            order = ("grammar", "scored") if n % 2 else ("scored", "grammar")
            row: dict[str, Any] = {"id": item["id"], "expected": item["tool"]}
            for method in order:
                engine.choose_option(primer, "", ["x"])  # the head is cached
                t0 = time.perf_counter()
                chosen = _grammar(agent, request) if method == "grammar" else _scored(engine, request, names)
                row[method] = chosen
                row[f"{method}_s"] = time.perf_counter() - t0
            rows.append(row)
    finally:
        engine.close()
    return _figures(rows)


def _choice(agent: Agent, text: str) -> ChatRequest:
    item_request = _request({"request": text})
    return agent._choice_request(item_request, [], agent.registry.tools(), text, allow_none=True)


def _grammar(agent: Agent, request: ChatRequest) -> str:
    reply, _ = agent._ask(request, CancelToken())
    parsed = parse_json(reply)
    return str(parsed.get("tool") or "") if isinstance(parsed, dict) else ""


def _scored(engine: LocalEngine, request: ChatRequest, names: list[str]) -> str:
    replies = prompts.choice_replies(names)
    return replies[engine.choose_option(replace(request, json_schema=None), "", [r for r, _ in replies])][1]


def _figures(rows: list[dict[str, Any]]) -> list[Figure]:
    grammar_s = median([r["grammar_s"] for r in rows])
    scored_s = median([r["scored_s"] for r in rows])
    agree = sum(r["grammar"] == r["scored"] for r in rows) / max(1, len(rows))
    detail = {
        "n": len(rows),
        "half": "reporting",
        "grammar_seconds_median": grammar_s,
        "scored_seconds_median": scored_s,
        "grammar_right": sum(r["grammar"] == r["expected"] for r in rows),
        "scored_right": sum(r["scored"] == r["expected"] for r in rows),
        "agreement": agree,
        "note": "the model alone choosing among every tool (no understanding layer): accuracy is "
        "the starter model's, not the agent's",
        "rows": rows,
    }
    return [
        Figure("model_decision_scored", scored_s, "s", grammar_s, "<= 0.5 s", scored_s <= 0.5, detail),
    ]
