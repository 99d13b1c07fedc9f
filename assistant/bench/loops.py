"""``assistant bench --only loops``: how often the starter model's replies degenerate into
repetition, before (the old sampling for every model, no loop detector), with the model's
sampling defaults alone, and after (sampling defaults and the detector), on the same prompts
and seeds, side by side.

A reply counts as degenerate when much of its text is repeats: more than ``DEGENERATE`` of its
4-unit windows (words, CJK characters and punctuation marks, over the whole reply) already
occurred earlier in it. That measure is not the detector's rule, so the "after" column is not
graded by the thing it tests.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from assistant.bench.stats import Figure
from assistant.chat.loops import find_loop

_UNITS = re.compile(r"[\u3400-\u9fff]|[^\W\u3400-\u9fff]+|[^\w\s]")
DEGENERATE = 0.3
MAX_TOKENS = 320
PROMPTS = [
    "Write a long story about a lighthouse.",
    "Tell me a story about a dragon who is afraid of the dark.",
    "Describe your perfect day in detail.",
    "Explain how rain forms.",
    "Write a poem about the sea.",
    "What are the benefits of reading books?",
    "Tell me about the history of bicycles.",
    "Write a letter to a friend about your summer holiday.",
    "Give me tips for a good night's sleep.",
    "Explain why the sky is blue to a child.",
    "Write a long story about a robot learning to paint.",
    "Describe a busy market in the morning.",
    "写一个关于灯塔的长故事。",
    "给我讲一个关于小猫的故事。",
    "介绍一下你自己。",
    "为什么天空是蓝色的？",
    "写一首关于秋天的诗。",
    "请描述一下你理想中的一天。",
    "学习一门外语有什么好处？",
    "给朋友写一封信，讲讲你的暑假。",
    "怎样才能睡个好觉？",
    "讲一个关于龙的长故事。",
    "介绍一下中国的茶文化。",
    "描述一下早晨热闹的菜市场。",
]


def repeated_share(text: str) -> float:
    """The share of 4-unit windows that already occurred earlier in the text."""
    units = [u.lower() for u in _UNITS.findall(text)]
    windows = [tuple(units[i : i + 4]) for i in range(len(units) - 3)]
    if not windows:
        return 0.0
    return 1 - len(set(windows)) / len(windows)


def _reply(core: Any, prompt: str) -> tuple[str, str, int]:
    from assistant.engine.base import CancelToken
    from assistant.events import Done

    conversation = core.chats.create_conversation()
    done = None
    for event in core.session.send(conversation, prompt, CancelToken()):
        if isinstance(event, Done):
            done = event
    reply = core.chats.messages(conversation)[-1]
    return reply.content, reply.status, done.n_tokens if done else 0


def _run(core: Any, prompts: list[str], sampling: bool, detector: bool, seed: int) -> list[dict[str, Any]]:
    settings = core.settings
    settings.repeat_penalty = 0.0 if sampling else 1.0  # 0: the model's default; 1.0: the old one
    core.save_settings(settings)
    core.session.stop_loops = detector
    core.session.seed = seed
    rows = []
    for prompt in prompts:
        t0 = time.perf_counter()
        text, status, tokens = _reply(core, prompt)
        share = repeated_share(text)
        rows.append({
            "prompt": prompt, "status": status, "tokens": tokens, "seconds": time.perf_counter() - t0,
            "repeated_share": round(share, 3), "degenerate": share > DEGENERATE,
            "detector_fires": find_loop(text) is not None, "stopped_for_loop": "(Stopped: the reply" in text
            or "（已停止：回复在重复。）" in text, "text": text,
        })
    return rows


def _share(rows: list[dict[str, Any]], key: str) -> float:
    return sum(1 for r in rows if r[key]) / len(rows) if rows else 0.0


def loop_share(home: Path, quick: bool) -> list[Figure]:
    from assistant.config import Settings, starter_model_path
    from assistant.core import Core

    path = starter_model_path()
    if path is None:
        return [Figure("loops_degenerate_share", 0.0, "", None, "starter model not installed", None)]
    prompts = PROMPTS[::3] if quick else PROMPTS
    core = Core.open(path=home / "loops.db")
    try:
        core.session.agent = None  # plain replies: the agent's decisions are measured elsewhere
        core.session.memory = None
        core.save_settings(Settings(model_path=str(path), max_reply_tokens=MAX_TOKENS, n_ctx=2048))
        before = _run(core, prompts, sampling=False, detector=False, seed=7)
        sampled = _run(core, prompts, sampling=True, detector=False, seed=7)
        after = _run(core, prompts, sampling=True, detector=True, seed=7)
    finally:
        core.close()
    return _figures(before, sampled, after, prompts)


Rows = list[dict[str, Any]]


def _mean(rows: Rows, key: str) -> float:
    return sum(float(r[key]) for r in rows) / len(rows) if rows else 0.0


def _figures(before: Rows, sampled: Rows, after: Rows, prompts: list[str]) -> list[Figure]:
    b, s, a = (_share(rows, "degenerate") for rows in (before, sampled, after))
    details = {"prompts": len(prompts), "max_tokens": MAX_TOKENS, "threshold": DEGENERATE,
               "before": before, "sampling_only": sampled, "after": after}
    return [
        Figure("loops_degenerate_share_before", b, "", None, "old sampling, no detector", None,
               {"detector_would_fire": _share(before, "detector_fires")}),
        Figure("loops_degenerate_share_sampling_only", s, "", b, "model defaults, no detector", None,
               {"detector_would_fire": _share(sampled, "detector_fires")}),
        Figure("loops_degenerate_share_after", a, "", b, "< before", a < b or b == 0, details),
        Figure("loops_mean_repeated_share_after", _mean(after, "repeated_share"), "",
               _mean(before, "repeated_share"), "< before (mean share of repeated 4-unit windows)", None),
        Figure("loops_stopped_by_detector_after", _share(after, "stopped_for_loop"), "", None,
               "share of replies cut", None),
        Figure("loops_mean_tokens", sum(r["tokens"] for r in after) / max(1, len(after)), "tokens",
               sum(r["tokens"] for r in before) / max(1, len(before)), "after vs before", None),
    ]
