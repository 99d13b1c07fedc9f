"""Families of Chinese phrasings read without the model: moves of a reminder named by its
current time ("今天三点半的会往后推一个小时": the time said is the old one), reminders ahead of
the thing ("提前一天提醒我"), and chat that mentions the same words and must stay a chat."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.scheduler.zones import zone
from assistant.understand.intent import understand
from assistant.understand.when import When

SHANGHAI = zone("Asia/Shanghai")
NOW = datetime(2028, 10, 19, 8, 20, tzinfo=SHANGHAI)  # a Thursday, 08:20


def _at(text: str) -> tuple[str, str, str]:
    u = understand(text, NOW, "Asia/Shanghai")
    assert isinstance(u.when, When), (text, u)
    return u.intent, u.what, u.when.start.strftime("%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "what", "at"),
    [
        ("今天三点半的会往后推一个小时", "会", "10-19 16:30"),
        ("明天下午两点交电费那个提前半小时", "交电费", "10-20 13:30"),
        ("周六晚上六点那个聚餐往后推一个小时", "聚餐", "10-21 19:00"),
        ("今天下午2点拿快递的提醒推迟两小时", "拿快递", "10-19 16:00"),
        ("下周二的家长会原来是下午四点，提醒往前挪一刻钟", "家长会原来是", "10-24 15:45"),
        ("把明天上午九点的面试往后挪半个小时", "面试", "10-20 09:30"),
        ("明晚7点的瑜伽课延后二十分钟", "瑜伽课", "10-20 19:20"),
    ],
)
def test_a_move_by_an_amount_starts_from_the_time_named(text: str, what: str, at: str) -> None:
    assert _at(text) == ("move", what, at)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("帮我把今晚8点的健身改成9点半", "10-19 21:30"),  # the evening, as the old time
        ("把明早7点的跑步改成8点", "10-20 08:00"),  # the morning, as the old time
        ("把明天的会提前到下午两点", "10-20 14:00"),  # a clock alone keeps the old day
        ("今晚8点的健身改到明天", "10-20 20:00"),  # a day alone keeps the old clock
    ],
)
def test_a_move_to_part_of_a_time_keeps_the_rest_of_the_old_one(text: str, at: str) -> None:
    assert _at(text)[::2] == ("move", at)


@pytest.mark.parametrize(
    ("text", "what", "shift"),
    [
        ("周五的会往后推两天", "会", "+两天"),  # no clock said: it moves from its own time
        ("把牙医推迟一个小时", "牙医", "+一个小时"),
        ("把开会的提醒往前挪十分钟", "开会", "-十分钟"),
    ],
)
def test_a_move_by_an_amount_with_no_clock_goes_by_its_own_time(text: str, what: str, shift: str) -> None:
    u = understand(text, NOW, "Asia/Shanghai")
    assert (u.intent, u.what, u.shift, u.when) == ("move", what, shift, None)


@pytest.mark.parametrize(
    ("text", "at", "rule"),
    [
        ("明天下午三点开会，提前十分钟提醒我", "10-20 14:50", None),
        ("驾照1月20号到期，你提前一天提醒我一下呗", "01-19 09:00", None),
        ("提前半小时叫我，周六早上9点的航班", "10-21 08:30", None),
        ("每天早上8点吃药，提前10分钟提醒我", "10-20 07:50", "FREQ=DAILY"),
    ],
)
def test_a_reminder_ahead_of_the_thing_is_a_new_reminder(text: str, at: str, rule: str | None) -> None:
    u = understand(text, NOW, "Asia/Shanghai")
    assert isinstance(u.when, When)
    assert (u.intent, u.when.start.strftime("%m-%d %H:%M"), u.when.rrule) == ("add_reminder", at, rule)


@pytest.mark.parametrize(
    "text",
    [
        "今晚早点睡",
        "今天的火车晚了一个小时，气死我了",
        "他明天早上比我早一个小时出发",
        "我今晚要提前半小时下班",
        "会议推迟了一天，真烦",
        "明天下午三点的航班延误了两个小时吗",
    ],
)
def test_chat_about_earlier_and_later_stays_a_chat(text: str) -> None:
    assert understand(text, NOW, "Asia/Shanghai").intent == "none"


def _said(text: str) -> tuple[str, str]:
    u = understand(text, NOW, "Asia/Shanghai")
    return u.intent, u.what


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("搞定了", ""),  # no name: the one at hand (the tool takes the one just due)
        ("这个做完了", "这个"),
        ("复查做完了", "复查"),
        ("快递已经拿了 标记完成", "快递"),
        ("周报写完啦 打个勾", "周报"),
        ("药吃过了，把吃药提醒标成完成", "吃药"),
        ("快递取到了✅ 打个勾吧", "快递"),
        ("周报已经交啦，标记为已完成", "周报"),
        ("电费交了哈 那个提醒可以勾掉了", "电费"),
        ("衣服洗好了", "衣服"),
        ("搞定了，把这个标记完成", "这个"),
    ],
)
def test_a_to_do_said_to_be_done_is_completed(text: str, what: str) -> None:
    assert _said(text) == ("complete", what)


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("取消这个", "这个"),
        ("那个敷面膜的提醒撤了吧", "敷面膜"),
        ("算了，这个不要了，删掉吧", "这个"),
        ("把那条删了", "那条"),
        ("不要再叫我喝水了，关掉那个提醒", "喝水"),
        ("别再提醒我吃水果了", "吃水果"),
        ("关掉那个闹钟", "那个"),
        ("同学聚会取消了 帮我把提醒也删掉", "同学聚会"),
        ("取消明天的牙医提醒，医生请假了", "牙医"),
    ],
)
def test_ways_to_say_a_reminder_is_not_wanted_cancel_it(text: str, what: str) -> None:
    assert _said(text) == ("cancel", what)


@pytest.mark.parametrize(
    ("text", "what", "duration"),
    [
        ("snooze一下洗衣机的提醒", "洗衣机", ""),
        ("把会议提醒小睡5分钟", "会议", "5分钟"),
        ("吃药那个 再晚点提醒我吧", "吃药", ""),
        ("晚一会儿再叫我", "", ""),
        ("外卖那个推迟一下 五分钟后再说", "外卖", "五分钟"),
    ],
)
def test_ways_to_say_not_now_snooze(text: str, what: str, duration: str) -> None:
    u = understand(text, NOW, "Asia/Shanghai")
    assert (u.intent, u.what, u.duration) == ("snooze", what, duration)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("下周三我空不空", "下周三"),
        ("周五晚上想约朋友吃饭，我那天有别的事没", "周五晚上"),
        ("礼拜一有会吗", "礼拜一"),
        ("今天还有什么要做的", "今天"),
        ("这礼拜我还有哪些事 看一下", "这礼拜"),
        ("明天下午有没有时间", "明天下午"),
    ],
)
def test_questions_about_the_days_list_the_agenda(text: str, period: str) -> None:
    u = understand(text, NOW, "Asia/Shanghai")
    assert (u.intent, u.period) == ("list_agenda", period)


@pytest.mark.parametrize(
    "text",
    [
        "我吃过了",
        "我今天终于把论文写完了，好开心",
        "作业写完了吗",
        "这本书我看完了，挺好看的",
        "别再叫我小胖了",
        "把这个文件删掉",
        "你有事吗",
        "这件事明天再说吧",
        "我有个会，晚点再聊",
        "他取消了明天的会议",  # news of what someone else did
        "我昨天晚上十点才下班，累死了",  # a time gone by: a story, not a note
        "我妈说她下周二到北京",
        "快递到了",
        "我把闹钟关了",
        "元旦快乐！",
    ],
)
def test_chat_with_the_same_verbs_stays_a_chat(text: str) -> None:
    assert understand(text, NOW, "Asia/Shanghai").intent == "none"


@pytest.mark.parametrize(
    ("text", "what", "at"),
    [
        # a clause of context with its own day, then the order with the reminder's day
        ("孩子10月28号开学，27号那天提醒我给他买文具吧", "给他买文具", "10-27 09:00"),
        ("店里下周五要盘点，你周三傍晚提醒我一下通知员工", "通知员工", "10-25 18:00"),
    ],
)
def test_the_orders_own_day_after_a_clause_of_context(text: str, what: str, at: str) -> None:
    assert _at(text) == ("add_reminder", what, at)


def test_what_i_asked_you_the_other_day_searches_the_chats() -> None:
    u = understand("前几天问你的关于退休金的问题，你当时是怎么回答的？", NOW, "Asia/Shanghai")
    assert u.intent == "search_chats" and "退休金" in u.what


@pytest.mark.parametrize(
    ("text", "intent", "named"),
    [
        ("今天下午4点的家长会提前半小时，帮我把提醒改一下", "move", "家长会"),
        ("吃药的提醒稍后再叫我，现在在开车", "snooze", "吃药"),
        ("体检预约已经搞定啦，把它勾掉", "complete", "体检预约"),
        ("我电脑上有个店铺进货表，帮我搜一下", "search_documents", ""),
    ],
)
def test_fresh_six_families(text: str, intent: str, named: str) -> None:
    u = understand(text, NOW, "Asia/Shanghai")
    assert u.intent == intent and named in u.what
