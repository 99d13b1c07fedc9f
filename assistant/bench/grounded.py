"""``assistant bench --only grounded``: document and fact questions answered on the starter
model, the extractive answer (assistant/chat/grounded.py) beside the model's free answer from
the same passages, in the same run. A question counts as answered when the reply contains its
right span (folded: case and full-width forms do not matter).

The notes and facts are written for this bench (half Chinese), indexed into a temporary profile
with the real indexer and embedder; each question is asked in a fresh conversation.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from assistant.bench.stats import Figure
from assistant.memory.words import normalise
from assistant.memory.worker import pending_count

MAX_TOKENS = 120
NOTES = {
    "lisbon.md": "# Lisbon trip\n\n## Getting around\n\n"
    "The metro is cheap and runs until one in the morning. "
    "Early in the morning, take tram 28 from Martim Moniz before the crowds arrive. "
    "In the evening the Santa Justa lift has long queues.\n\n## Food\n\n"
    "The best custard tarts are at Manteigaria on Rua do Loreto. Dinner is rarely served before eight.\n",
    "bike.md": "# Bike maintenance\n\nPump the tyres to 4.5 bar every two weeks. "
    "The chain needs oil after every ride in the rain. The brake pads were replaced in March.\n",
    "wifi.md": "# Home network\n\nThe guest Wi-Fi is called Harbour-Guest. "
    "The router sits behind the bookshelf in the study. "
    "Restart the router by holding the reset button for ten seconds.\n",
    "plants.md": "# Plants\n\nWater the fern every Tuesday and Friday. "
    "The cactus only needs water once a month. The orchid likes the east window.\n",
    "成都.md": "# 成都旅行\n\n## 美食\n\n"
    "最地道的担担面在文殊院旁边的老店，早上九点开门。火锅一定要选微辣。\n\n"
    "## 交通\n\n去大熊猫基地最好坐地铁3号线，再换乘公交198路。\n",
    "装修.md": "# 装修记录\n\n厨房的瓷砖是在红星美凯龙买的，每平方米八十五元。"
    "卫生间的防水做了两遍。电工老王的电话写在冰箱上。\n",
    "读书.md": "# 读书笔记\n\n《活着》讲的是福贵的一生。余华写这本书用了一年时间。"
    "下个月读书会讨论《三体》的第二部。\n",
    "健身.md": "# 健身计划\n\n周一和周四练腿，周二和周五练上肢。每次训练前热身十分钟。"
    "蛋白粉每天喝一勺就够了。\n",
}
FACTS = [
    "Remember that my locker code is 4812",
    "Remember that my passport expires in June 2029",
    "Remember that my dentist is Dr. Okafor",
    "Remember that my sister's birthday is on 14 August",
    "Remember that my car is parked on level 3",
    "记住我的储物柜密码是4812",
    "记住我的护照号码尾号是7736",
    "记住我女儿的班主任姓陈",
    "记住我家的门禁卡放在玄关抽屉里",
    "记住我对青霉素过敏",
]
#: (question, the span a right answer contains)
QUESTIONS = [
    ("Which tram should I take early in the morning in Lisbon?", "tram 28"),
    ("Where are the best custard tarts in Lisbon?", "Manteigaria"),
    ("How often should I pump the bike tyres?", "every two weeks"),
    ("What is the guest Wi-Fi called?", "Harbour-Guest"),
    ("How often does the cactus need water?", "once a month"),
    ("What is my locker code?", "4812"),
    ("When does my passport expire?", "June 2029"),
    ("Who is my dentist?", "Okafor"),
    ("When is my sister's birthday?", "14 August"),
    ("On which level is my car parked?", "level 3"),
    ("成都最地道的担担面在哪里？", "文殊院"),
    ("去大熊猫基地应该坐什么地铁？", "3号线"),
    ("厨房的瓷砖每平方米多少钱？", "八十五元"),
    ("下个月读书会讨论什么书？", "三体"),
    ("每次训练前热身多久？", "十分钟"),
    ("我的储物柜密码是多少？", "4812"),
    ("我的护照号码尾号是多少？", "7736"),
    ("我女儿的班主任姓什么？", "陈"),
    ("我家的门禁卡放在哪里？", "玄关抽屉"),
    ("我对什么药过敏？", "青霉素"),
]


def _reply(core: Any, question: str) -> tuple[str, int]:
    from assistant.engine.base import CancelToken
    from assistant.events import Done

    conversation = core.chats.create_conversation()
    tokens = 0
    for event in core.session.send(conversation, question, CancelToken()):
        if isinstance(event, Done):
            tokens = event.n_tokens
    return core.chats.messages(conversation)[-1].content, tokens


def _setup(core: Any, home: Path) -> None:
    folder = home / "grounded-notes"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    collection = core.knowledge.add(folder)
    list(core.knowledge.index(collection.id))
    conversation = core.chats.create_conversation()
    for fact in FACTS:  # stored as the user's message, then saved as the session saves it
        message_id = core.chats.add_message(conversation, "user", fact)
        list(core.memory.on_user_message(conversation, message_id, fact))
    core.memory.start()  # facts and passages get their vectors, as in the window
    deadline = time.monotonic() + 180
    while pending_count(core.database, core.memory.index.model_id) and time.monotonic() < deadline:
        time.sleep(0.2)


def _run(core: Any, mode: str, questions: list[tuple[str, str]]) -> list[dict[str, Any]]:
    core.memory.save_changes(passages=mode)
    rows = []
    for question, span in questions:
        t0 = time.perf_counter()
        text, tokens = _reply(core, question)
        rows.append({"question": question, "span": span, "right": normalise(span) in normalise(text),
                     "tokens": tokens, "seconds": round(time.perf_counter() - t0, 3), "text": text})
    return rows


def _share(rows: list[dict[str, Any]], zh: bool | None = None) -> float:
    from assistant.memory.words import has_cjk

    chosen = [r for r in rows if zh is None or has_cjk(r["question"]) == zh]
    return sum(1 for r in chosen if r["right"]) / len(chosen) if chosen else 0.0


def grounded_share(home: Path, quick: bool) -> list[Figure]:
    from assistant.config import Settings, starter_model_path
    from assistant.core import Core

    path = starter_model_path()
    if path is None:
        return [Figure("grounded_right_span_share", 0.0, "", None, "starter model not installed", None)]
    core = Core.open(path=home / "grounded.db")
    try:
        core.session.seed = 7
        core.save_settings(Settings(model_path=str(path), max_reply_tokens=MAX_TOKENS, n_ctx=2048))
        _setup(core, home)
        questions = QUESTIONS[::2] if quick else QUESTIONS  # quick: 5 English, 5 Chinese
        model = _run(core, "model", questions)
        extractive = _run(core, "auto", questions)  # the starter model: extractive where recall answers
    finally:
        core.close()
    return _figures(model, extractive)


def _figures(model: list[dict[str, Any]], extractive: list[dict[str, Any]]) -> list[Figure]:
    m, e = _share(model), _share(extractive)
    quoted = sum(1 for r in extractive if r["tokens"] == 0) / len(extractive)
    details = {"questions": len(model), "max_tokens": MAX_TOKENS,
               "model": model, "extractive": extractive}
    return [
        Figure("grounded_right_span_model", m, "", None, "the model's free answer", None,
               {"en": _share(model, False), "zh": _share(model, True)}),
        Figure("grounded_right_span_extractive", e, "", m, "> model", e > m,
               {"en": _share(extractive, False), "zh": _share(extractive, True), **details}),
        Figure("grounded_answered_without_model", quoted, "", None, "share quoted, no model call", None),
    ]
