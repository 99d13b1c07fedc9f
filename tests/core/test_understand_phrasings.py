"""Everyday phrasings the understanding layer must read without the model: the request's cue
anywhere in the sentence, typos in the cue and time words, moves that name two times, and the
time families found missing on fresh requests (ordinal month days, "a week from today", a bare
hour said after it passed, "6:45 tomorrow morning")."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.scheduler.parse import parse_when
from assistant.scheduler.zones import zone
from assistant.understand.intent import understand
from assistant.understand.spelling import mend
from assistant.understand.when import When

LONDON = zone("Europe/London")
SHANGHAI = zone("Asia/Shanghai")
NOW = datetime(2027, 5, 12, 11, 0, tzinfo=LONDON)  # a Wednesday, 11:00
NOW_ZH = datetime(2027, 3, 10, 9, 30, tzinfo=SHANGHAI)  # a Wednesday, 09:30


def _start(u_when: object) -> str:
    assert isinstance(u_when, When), u_when
    return u_when.start.strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "what", "at"),
    [
        ("Could you kindly set a reminder for Friday at 4pm to water the plants?", "water the plants",
         "2027-05-14 16:00"),
        ("would you be so kind as to remind me at 6 tonight to call grandma", "call grandma",
         "2027-05-12 18:00"),
        ("I need a reminder at 3pm to pick up the dry cleaning", "pick up the dry cleaning",
         "2027-05-12 15:00"),
        ("I'd appreciate a reminder to ring the vet at 4pm", "ring the vet", "2027-05-12 16:00"),
        ("hey, mind reminding me to feed the fish at 7pm?", "feed the fish", "2027-05-12 19:00"),
        ("i want to be reminded to take my vitamins at 9pm", "take my vitamins", "2027-05-12 21:00"),
        ("Need to call the garage tomorrow at 9, remind me", "call the garage", "2027-05-13 09:00"),
        ("gotta send the invoice on thursday at 11am - remind me pls", "send the invoice",
         "2027-05-13 11:00"),
        ("could you remind me, please, to back up my laptop on Sunday at 5pm", "back up my laptop",
         "2027-05-16 17:00"),
        ("Yo remind me at 4 to grab the kids", "grab the kids", "2027-05-12 16:00"),
    ],
)  # fmt: skip
def test_the_cue_anywhere_leaves_only_the_what(text: str, what: str, at: str) -> None:
    u = understand(text, NOW, "Europe/London")
    assert (u.intent, u.what, u.sure) == ("add_reminder", what, True)
    assert _start(u.when) == at


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("remnid me tmorrow", "remind me tomorrow"),
        ("remidn me at 5pm", "remind me at 5pm"),
        ("reminde me tommorow at noon", "remind me tomorrow at noon"),
        ("in 20 minuts on wendesday", "in 20 minutes on wednesday"),
        ("thrusday and satuday", "thursday and saturday"),
        ("my calender", "my calendar"),
        ("pls remind me 2moro at 9, or tonite", "pls remind me tomorrow at 9, or tonight"),
    ],
)
def test_typos_of_cue_and_time_words_are_mended(typed: str, meant: str) -> None:
    assert mend(typed) == meant


@pytest.mark.parametrize(
    "text",
    ["a tennis match in march", "the remainder of the cake", "cancer screening", "a sundae on Sunday",
     "Remind", "forge the key", "call Monty", "buy minuets", "ask Remy"],
)  # fmt: skip
def test_real_words_near_the_vocabulary_stay_as_typed(text: str) -> None:
    assert mend(text) == text


def test_a_typo_in_the_cue_still_schedules() -> None:
    u = understand("remnid me to buy milk tomorow at 8am", NOW, "Europe/London")
    assert (u.intent, u.what, _start(u.when)) == ("add_reminder", "buy milk", "2027-05-13 08:00")


@pytest.mark.parametrize(
    ("text", "now", "what", "at"),
    [
        ("把周五的家长会改到下周一下午四点", NOW_ZH, "家长会", "2027-03-15 16:00"),
        ("把明天的体检推迟到后天上午九点", NOW_ZH, "体检", "2027-03-12 09:00"),
        ("move my friday 3pm call with Tom to monday at 4pm", NOW, "call with Tom", "2027-05-17 16:00"),
        ("reschedule the book club to next Wednesday at 7pm", NOW, "book club", "2027-05-19 19:00"),
    ],
)
def test_a_move_goes_to_the_time_after_its_to(text: str, now: datetime, what: str, at: str) -> None:
    u = understand(text, now)
    assert (u.intent, u.what, _start(u.when)) == ("move", what, at)


@pytest.mark.parametrize(
    ("words", "local", "rule"),
    [
        ("the first of every month at 9am", "2027-06-01 09:00", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("each month on the fifteenth", "2027-05-15 09:00", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("every month on the twenty-first at 8", "2027-05-21 08:00", "FREQ=MONTHLY;BYMONTHDAY=21"),
        ("a week from today at 10am", "2027-05-19 10:00", None),
        ("6:45 tomorrow morning", "2027-05-13 06:45", None),
        ("at 7", "2027-05-12 19:00", None),  # said at 11:00: the evening's, the next 7 o'clock
        ("at 10", "2027-05-13 10:00", None),  # 22:00 is not an everyday time: tomorrow's
        ("tomorrow at 7", "2027-05-13 07:00", None),
        ("next Wednesday at 7pm", "2027-05-19 19:00", None),  # said on a Wednesday
    ],
)
def test_time_families_found_missing(words: str, local: str, rule: str | None) -> None:
    parsed = parse_when(words, NOW, "Europe/London")
    assert (parsed.local.strftime("%Y-%m-%d %H:%M"), parsed.rrule) == (local, rule)


@pytest.mark.parametrize(
    ("text", "intent", "now"),
    [
        ("done with the invoice, you can mark it complete", "complete", NOW),
        ("I already called the garage, tick that off", "complete", NOW),
        ("报告已经交了，帮我标记完成", "complete", NOW_ZH),
        ("any plans for the weekend?", "list_agenda", NOW),
        ("下周的日程给我看看", "list_agenda", NOW_ZH),
        ("what do my notes say about the Q3 roadmap?", "search_documents", NOW),
        ("我的笔记里关于年终总结写了什么", "search_documents", NOW_ZH),
        ("what's my schedule tomorrow?", "list_agenda", NOW),
        ("when is my dentist appointment?", "list_agenda", NOW),
    ],
)
def test_more_ways_to_ask(text: str, intent: str, now: datetime) -> None:
    # "What is my locker code?" stays out of the tools on purpose: the chat's grounded memory
    # answers it by quoting the saved fact (tests/core/test_grounded.py)
    u = understand(text, now)
    assert (u.intent, u.sure) == (intent, True)


def test_chinese_keeps_the_verb_of_going() -> None:
    u = understand("提醒我去银行办卡，明天上午十点", NOW_ZH)
    assert (u.what, _start(u.when)) == ("去银行办卡", "2027-03-11 10:00")
    u = understand("到时候叫我：今晚十点看球赛", NOW_ZH)
    assert (u.what, _start(u.when)) == ("看球赛", "2027-03-10 22:00")


@pytest.mark.parametrize(
    ("text", "now", "what", "by"),
    [
        ("push my dentist appointment back an hour", NOW, "dentist appointment", "+an hour"),
        ("bring the call forward by 15 minutes", NOW, "call", "-15 minutes"),
        ("把会议推迟一小时", NOW_ZH, "会议", "+一小时"),
        ("家长会提前半小时", NOW_ZH, "家长会", "-半小时"),
    ],
)
def test_a_move_by_an_amount(text: str, now: datetime, what: str, by: str) -> None:
    u = understand(text, now)
    assert (u.intent, u.what, u.shift, u.sure) == ("move", what, by, True)


@pytest.mark.parametrize(
    "text", ["每10秒提醒我一次", "每隔三十秒提醒我喝水", "remind me every 10 seconds to blink"]
)
def test_every_few_seconds_is_refused(text: str) -> None:
    u = understand(text, NOW_ZH)
    assert u.problem is not None and u.problem.kind == "too_frequent"


NOW_SEPT = datetime(2027, 9, 15, 10, 20, tzinfo=LONDON)  # a Wednesday
NOW_JUNE = datetime(2027, 6, 9, 14, 5, tzinfo=SHANGHAI)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "now", "intent", "what"),
    [
        ("dentist appt thurs 2:15pm", NOW_SEPT, "add_event", "dentist appt"),
        ("ping me at noon to move the car", NOW_SEPT, "add_reminder", "move the car"),
        ("would you mind reminding me to book the vet nxt tuesday at 4.30pm", NOW_SEPT, "add_reminder",
         "book the vet"),
        ("find the chat where we planned the lisbon trip", NOW_SEPT, "search_chats", ""),
        ("what time is my appt on thursday?", NOW_SEPT, "list_agenda", ""),
        ("吃药的提醒过二十分钟再响一次", NOW_JUNE, "snooze", "吃药"),
        ("报销单交上去了，这个提醒打个勾吧", NOW_JUNE, "complete", "报销单"),
        ("上周跟你聊的减肥食谱，再给我看看当时说了什么", NOW_JUNE, "search_chats", "减肥食谱"),
        ("我文档里有一份去年的年终总结，帮我找出来", NOW_JUNE, "search_documents", "去年的年终总结"),
        ("闹钟再响一次是什么意思", NOW_JUNE, "none", ""),
    ],
)  # fmt: skip
def test_notes_shorthands_and_more_orders(text: str, now: datetime, intent: str, what: str) -> None:
    u = understand(text, now)
    assert (u.intent, u.sure) == (intent, True)
    assert not what or u.what == what


@pytest.mark.parametrize(
    ("text", "now", "at", "rule"),
    [
        ("remind me on the last day of this month at 5pm to pay", NOW_SEPT, "2027-09-30 17:00", None),
        ("set a yearly reminder on 3 march at 10am to renew it", NOW_SEPT, "2028-03-03 10:00",
         "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3"),
        ("thurs 2:15pm physio", NOW_SEPT, "2027-09-16 14:15", None),  # "thurs" is no plural
        ("这个月最后一天下午5点提醒我交物业费", NOW_JUNE, "2027-06-30 17:00", None),
        ("下个月底提醒我续租", NOW_JUNE, "2027-07-31 09:00", None),
        ("每个月底提醒我记账", NOW_JUNE, "2027-06-30 09:00", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ],
)  # fmt: skip
def test_month_ends_and_yearly_dates(text: str, now: datetime, at: str, rule: str | None) -> None:
    u = understand(text, now)
    assert (_start(u.when), u.when.rrule if isinstance(u.when, When) else None) == (at, rule)


@pytest.mark.parametrize(
    ("text", "intent", "what", "at"),
    [
        ("hey assistant remind me tomorrow at eight to call the vet", "add_reminder", "call the vet",
         "2027-05-13 08:00"),
        ("reminder to self: buy stamps tomorrow at lunchtime", "add_reminder", "buy stamps",
         "2027-05-13 12:30"),
        ("remind me about that in an hour", "snooze", "", ""),
        ("what's coming up this week?", "list_agenda", "", ""),
        ("you know my daughter's shoe size, right?", "search_facts", "", ""),
    ],
)  # fmt: skip
def test_third_set_of_phrasings(text: str, intent: str, what: str, at: str) -> None:
    u = understand(text, NOW, "Europe/London")
    assert (u.intent, u.sure) == (intent, True)
    assert not what or (u.what, _start(u.when)) == (what, at)


NOW_JAN = datetime(2028, 1, 19, 8, 45, tzinfo=LONDON)  # a Wednesday
NOW_NOV = datetime(2027, 11, 3, 19, 40, tzinfo=SHANGHAI)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "now", "intent", "what", "at"),
    [
        ("The tailor says it'll be ready next week. Remind me on Jan 28th at 5pm to collect the coat.",
         NOW_JAN, "add_reminder", "collect the coat", "2028-01-28 17:00"),
        ("remind me to feed the cat this friday at 6.30pm", NOW_JAN, "add_reminder", "feed the cat",
         "2028-01-21 18:30"),
        ("房租还没交，月底提醒我交房租", NOW_NOV, "add_reminder", "交房租", "2027-11-30 09:00"),
        ("10号下午两点提醒我去医院复查，谢谢！", NOW_NOV, "add_reminder", "去医院复查", "2027-11-10 14:00"),
        ("周六上午十点半带孩子去打疫苗，提醒我一下", NOW_NOV, "add_reminder", "带孩子去打疫苗",
         "2027-11-06 10:30"),
        ("can you show me everything I've got next week", NOW_JAN, "list_agenda", "", ""),
        ("I've paid the gas bill, you can tick that reminder off", NOW_JAN, "complete", "", ""),
        ("we had a conversation about sourdough a while ago, can you dig it up?", NOW_JAN, "search_chats",
         "", ""),
        ("健身房那个提醒不要了", NOW_NOV, "cancel", "", ""),
        ("我之前问过你怎么养多肉，帮我翻一下那次的聊天记录", NOW_NOV, "search_chats", "", ""),
        ("找一下我们之前关于换工作的对话", NOW_NOV, "search_chats", "", ""),
        ("如何删除微信聊天记录？", NOW_NOV, "none", "", ""),
    ],
)  # fmt: skip
def test_fourth_set_of_phrasings(text: str, now: datetime, intent: str, what: str, at: str) -> None:
    u = understand(text, now)
    assert (u.intent, u.sure) == (intent, True)
    assert not what or (u.what, _start(u.when)) == (what, at)


def test_this_morning_is_today_and_workdays_repeat() -> None:
    u = understand("set a reminder for 8:15am this morning to call the vet", NOW_JAN)
    assert u.problem is not None and u.problem.kind == "past"
    u = understand("工作日早上七点半提醒我带饭盒", NOW_NOV)
    assert isinstance(u.when, When) and u.when.rrule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert (u.what, _start(u.when)) == ("带饭盒", "2027-11-04 07:30")
