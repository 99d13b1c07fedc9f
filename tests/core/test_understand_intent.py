"""understand(): intent, "what", time, language and confidence, without a model (fast).

The phrasings here are not the evaluation set's (tests/data/agent_eval.jsonl)."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.scheduler.zones import zone
from assistant.understand.intent import Understanding, understand
from assistant.understand.language import language_of
from assistant.understand.when import When, WhenProblem

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=zone("Asia/Shanghai"))  # a Thursday


def _u(text: str) -> Understanding:
    return understand(text, NOW, "Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "intent", "what"),
    [
        (
            "Set a reminder for 6pm today: renew the parking permit",
            "add_reminder",
            "renew the parking permit",
        ),
        ("Don't let me forget to feed the cat on Sunday at 8", "add_reminder", "feed the cat"),
        ("Would you remind me to ring the dentist tomorrow, at 7:45 pm?", "add_reminder", "ring the dentist"),
        ("remind me to cancel my gym membership on Friday at 9", "add_reminder", "cancel my gym membership"),
        ("Add an optician appointment on Tuesday at 2pm", "add_event", "optician appointment"),
        ("后天下午三点提醒我取快递", "add_reminder", "取快递"),
        ("明天早上八点记得提醒我给妈妈打电话", "add_reminder", "给妈妈打电话"),
        ("帮我记一下，周五下午两点开会", "add_reminder", "开会"),
        ("周六上午十点去银行办卡，别忘了提醒我", "add_reminder", "去银行办卡"),
    ],
)
def test_scheduling_requests_are_sure_with_their_what(text: str, intent: str, what: str) -> None:
    u = _u(text)
    assert (u.intent, u.what, u.sure) == (intent, what, True)
    assert isinstance(u.when, When) and u.when_text


def test_the_time_is_the_time_layers() -> None:
    u = _u("后天下午三点提醒我取快递")
    assert isinstance(u.when, When) and u.when.start.strftime("%Y-%m-%d %H:%M") == "2026-12-05 15:00"
    assert u.language == "zh" and u.when_text == "后天下午三点"


@pytest.mark.parametrize(
    ("text", "intent", "what"),
    [
        ("这周六我有什么安排？", "list_agenda", ""),
        ("am I free on Friday afternoon?", "list_agenda", ""),
        ("what's on tomorrow", "list_agenda", ""),
        (
            "Do you remember what I told you about my brother's anniversary?",
            "search_facts",
            "brother's anniversary",
        ),
        ("我跟你说过我哥哥的结婚纪念日吗", "search_facts", "哥哥的结婚纪念日"),
        ("which café did we pick when we talked last month", "search_chats", "café"),
        ("我们上次聊的那家咖啡馆叫什么", "search_chats", "咖啡馆"),
        ("find my notes on the boiler", "search_documents", "boiler"),
        ("找一下我关于装修的笔记", "search_documents", "装修"),
        ("cancel the dentist reminder", "cancel", "dentist"),
        ("把牙医的提醒取消", "cancel", "牙医"),
        ("move my call with mum to tomorrow at 6pm", "move", "call with mum"),
        ("把开会改到周五下午两点", "move", "开会"),
        ("snooze the laundry reminder for 10 minutes", "snooze", "laundry"),
        ("mark the rent reminder as done", "complete", "rent"),
        ("交房租那个提醒已经完成了", "complete", "交房租"),
    ],
)
def test_other_intents(text: str, intent: str, what: str) -> None:
    u = _u(text)
    assert (u.intent, u.sure) == (intent, True)
    assert u.what == what or intent == "list_agenda"


def test_agenda_period_is_the_users_words() -> None:
    assert _u("这周六我有什么安排？").period == "这周六"
    assert _u("下周有什么会议").period == "下周"
    assert _u("what's on my calendar this week?").period == "this week"


@pytest.mark.parametrize(
    "text",
    ["write a haiku about autumn leaves", "你好，请用中文介绍一下你自己", "remind me what a haiku is", ""],
)
def test_no_tool_requests(text: str) -> None:
    assert _u(text).intent == "none"


def test_a_huge_paste_is_not_a_command() -> None:
    assert _u("remind me tomorrow at 9 " + "x" * 100_000).intent == "none"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("remind me on 31 April at 10am to call", "impossible_date"),
        ("2月30号提醒我交报告", "impossible_date"),
        ("提醒我昨天下午三点买菜", "past"),
        ("remind me every second to blink", "too_frequent"),
    ],
)
def test_time_problems_come_back_with_the_intent(text: str, kind: str) -> None:
    u = _u(text)
    assert u.intent in ("add_reminder", "add_event") and isinstance(u.problem, WhenProblem)
    assert u.problem.kind == kind and u.problem.message_zh and u.problem.message_en


def test_ambiguous_next_weekday_is_asked_back() -> None:
    u = _u("Add an optician appointment next Saturday at 2pm")  # said on a Thursday
    assert u.intent == "add_event" and u.problem is not None and u.problem.kind == "ambiguous"


def test_next_weekday_said_on_that_weekday_is_a_week_away() -> None:
    u = _u("Add an optician appointment next Thursday at 2pm")  # said on a Thursday
    assert u.intent == "add_event" and isinstance(u.when, When)
    assert u.when.start.date().isoformat() == "2026-12-10"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("remind me tomorrow", "en"),
        ("明天提醒我", "zh"),
        ("明天下午3点提醒我 call Tom", "zh"),
        ("call 妈妈 tomorrow", "en"),
    ],
)
def test_language_by_script_share(text: str, language: str) -> None:
    assert language_of(text) == language
