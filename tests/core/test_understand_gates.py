"""Everyday questions that use cue words ask for no tool; the same words about the agenda do."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.understand.intent import understand

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    "text",
    [
        "How do I remove a stain from a shirt?",
        "How do I move a file in Linux?",
        "Can you clear up the difference between TCP and UDP?",
        "It's \"quoted\" -- ; drop table messages",
        "Should I push the release to next week?",
        "What does the change to the tax law mean?",
        "I've finished the book, can you recommend another?",
        "Do you know what LoRA is?",
        "Schedule is tight this week, any tips for time management?",
        "what's on the menu for a vegan dinner party?",
        "怎么删除电脑里的临时文件？",
        "我想把家具挪到客厅",
        "我们可以提前吃饭吗",
    ],
)
def test_cue_words_in_an_everyday_question_choose_no_tool(text: str) -> None:
    understood = understand(text, NOW, "Asia/Shanghai")
    assert understood.intent == "none" and not understood.candidates, understood


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Remove the reminder about the gym", "cancel"),
        ("cancel the piano lesson", "cancel"),
        ("Move the dentist to Friday at 4pm", "move"),
        ("mark the tax return task as done", "complete"),
        ("Do you remember what I told you about my brother?", "search_facts"),
        ("what's on tomorrow?", "list_agenda"),
        ("取消明天的提醒", "cancel"),
        ("把周五的会议改到下午三点", "move"),
    ],
)
def test_the_same_words_about_the_agenda_still_act(text: str, intent: str) -> None:
    assert understand(text, NOW, "Asia/Shanghai").intent == intent
