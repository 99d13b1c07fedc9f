"""Terse notes ("dentist thu 3pm", "周五下午三点 牙医") are reminders; a chat line that names a
time ("tomorrow at 3 works for me", "write a poem about Monday mornings") is not."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.scheduler.single import parse_single
from assistant.scheduler.zones import zone
from assistant.understand.intent import understand
from assistant.understand.when import When

LONDON = zone("Europe/London")
SHANGHAI = zone("Asia/Shanghai")
NOW = datetime(2027, 10, 6, 16, 25, tzinfo=LONDON)  # a Wednesday
NOW_ZH = datetime(2027, 12, 28, 9, 5, tzinfo=SHANGHAI)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "what", "at"),
    [
        ("dentist thu 3pm", "dentist", "2027-10-07 15:00"),
        ("gym tmrw 7am", "gym", "2027-10-07 07:00"),
        ("call bank re mortgage friday 10", "call bank re mortgage", "2027-10-08 10:00"),
        ("parents evening 12th nov 6:30pm", "parents evening", "2027-11-12 18:30"),
    ],
)
def test_a_note_of_a_thing_and_a_time_is_a_reminder(text: str, what: str, at: str) -> None:
    u = understand(text, NOW, "Europe/London")
    assert (u.intent, u.what, u.sure) == ("add_reminder", what, True)
    assert isinstance(u.when, When) and u.when.start.strftime("%Y-%m-%d %H:%M") == at


@pytest.mark.parametrize(("text", "what"), [("周五下午三点 牙医", "牙医"), ("明早7点 健身", "健身")])
def test_a_chinese_note_is_a_reminder(text: str, what: str) -> None:
    u = understand(text, NOW_ZH, "Asia/Shanghai")
    assert (u.intent, u.what, u.sure) == ("add_reminder", what, True)


@pytest.mark.parametrize(
    "text",
    [
        "tomorrow at 3 works for me",
        "friday 7pm dinner?",
        "I'm free at 3",
        "see you at 5",
        "Write a short poem about Monday mornings",
        "good morning",
        "晚上八点见",
        "今天天气真好",
        "写一首关于周末的诗",
        "帮我计划一下周末",  # an order to the assistant; 一下 is no "next" (下周末)
    ],
)
def test_chat_lines_that_name_a_time_are_not_notes(text: str) -> None:
    chinese = any("\u4e00" <= c <= "\u9fff" for c in text)
    now, tz = (NOW_ZH, "Asia/Shanghai") if chinese else (NOW, "Europe/London")
    assert understand(text, now, tz).intent == "none"


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("friday 10", "2027-10-08 10:00"),
        ("thu 3", "2027-10-07 15:00"),
        ("tmrw 8", "2027-10-07 08:00"),
        ("friday 10 december", "2027-12-10 09:00"),  # a date, not an hour
        ("tomorrow 3 times", "2027-10-07 09:00"),
    ],
)
def test_a_bare_number_right_after_the_day_is_its_hour(text: str, at: str) -> None:
    moment, _ = parse_single(text, NOW.replace(tzinfo=None))
    assert moment.strftime("%Y-%m-%d %H:%M") == at
