"""Chinese time families read without the model: repeats said in other words (每逢周一三五,
每周末, 坚持到11月底, 接下来五天), holidays on a fixed date (元旦, 国庆, 平安夜), the order word
left out of the reminder's text ("提醒交周报"), and requests to work on words that contain a time
("把“下周一开会”翻译成英文"), which are no order at all."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.scheduler.zones import zone
from assistant.understand.intent import understand
from assistant.understand.when import When

SHANGHAI = zone("Asia/Shanghai")
NOW = datetime(2028, 10, 19, 8, 20, tzinfo=SHANGHAI)  # a Thursday, 08:20


def _read(text: str) -> tuple[str, str, str, str | None]:
    u = understand(text, NOW, "Asia/Shanghai")
    assert isinstance(u.when, When), (text, u)
    return u.intent, u.what, u.when.start.strftime("%Y-%m-%d %H:%M"), u.when.rrule


@pytest.mark.parametrize(
    ("text", "what", "at", "rule"),
    [
        ("每逢周一三五晚上7点提醒我去游泳", "去游泳", "2028-10-20 19:00", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("逢周二四下午提醒我练琴", "练琴", "2028-10-19 15:00", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("每周末提醒我给妈妈打电话", "给妈妈打电话", "2028-10-21 09:00", "FREQ=WEEKLY;BYDAY=SA,SU"),
        ("从明天开始每天早上6点半提醒我跑步，坚持到11月底", "跑步", "2028-10-20 06:30",
         "FREQ=DAILY;UNTIL=20281130T235959"),
        ("每天晚上十点提醒我写日记，持续到年底", "写日记", "2028-10-19 22:00",
         "FREQ=DAILY;UNTIL=20281231T235959"),
        ("接下来五天每天中午12点提醒我吃消炎药", "吃消炎药", "2028-10-19 12:00",
         "FREQ=DAILY;UNTIL=20281024T082000"),
        ("从下周一起每天提醒我背单词", "背单词", "2028-10-23 09:00", "FREQ=DAILY"),
    ],
)  # fmt: skip
def test_repeats_said_in_other_words(text: str, what: str, at: str, rule: str) -> None:
    assert _read(text) == ("add_reminder", what, at, rule)


@pytest.mark.parametrize(
    ("text", "what", "at", "rule"),
    [
        ("元旦那天上午十点提醒我给爷爷奶奶拜年哦", "给爷爷奶奶拜年", "2029-01-01 10:00", None),
        ("每年元旦提醒我写新年计划", "写新年计划", "2029-01-01 09:00", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1"),
        ("平安夜晚上八点提醒我给孩子放礼物", "给孩子放礼物", "2028-12-24 20:00", None),
        ("明年国庆提醒我回老家", "回老家", "2029-10-01 09:00", None),
        ("每年情人节提醒我订花", "订花", "2029-02-14 09:00", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=14"),
        ("周六提醒我买圣诞树", "买圣诞树", "2028-10-21 09:00", None),  # a tree, not the day
    ],
)  # fmt: skip
def test_holidays_on_a_fixed_date(text: str, what: str, at: str, rule: str | None) -> None:
    assert _read(text) == ("add_reminder", what, at, rule)


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("下周二早上8点15提醒交周报", "交周报"),
        ("每月15号上午10点提醒交房租", "交房租"),
        ("明天提醒一下去银行", "去银行"),
        ("明天提醒老婆买菜", "提醒老婆买菜"),  # someone else to remind: part of the thing to do
    ],
)
def test_the_order_word_is_not_the_thing_to_do(text: str, what: str) -> None:
    assert _read(text)[:2] == ("add_reminder", what)


@pytest.mark.parametrize(
    "text",
    [
        "帮我把“下周一开会”翻译成英文",
        "把\"明天提醒我交房租\"翻译成英文",
        "“下周三有空吗”用英语怎么说",
        "translate \"remind me tomorrow at 9\" into Chinese",
        "国庆假期你去哪玩了",
        "写一首关于周末的诗",
    ],
)
def test_words_to_work_on_are_no_order(text: str) -> None:
    assert understand(text, NOW, "Asia/Shanghai").intent == "none"


def test_an_order_before_the_words_still_counts() -> None:
    u = understand("提醒我明天把报告翻译成英文", NOW, "Asia/Shanghai")
    assert (u.intent, u.what) == ("add_reminder", "把报告翻译成英文")


def test_a_thing_named_like_an_order_to_the_assistant_is_still_a_note() -> None:
    u = understand("十二月三十一号下午五点 年终总结交上去", NOW, "Asia/Shanghai")
    assert (u.intent, u.what) == ("add_reminder", "年终总结交上去")


@pytest.mark.parametrize(
    ("text", "what", "at", "rule"),
    [
        ("我老婆说元旦要回她妈家 你31号晚上提醒我收拾行李吧", "收拾行李", "2028-10-31 19:00", None),
        ("每年9月30号晚上7点提醒我订国庆回家的票", "订国庆回家的票", "2029-09-30 19:00",
         "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=30"),
        ("2月3号给房东转账 到时候叫我一声呗", "给房东转账", "2029-02-03 09:00", None),
    ],
)  # fmt: skip
def test_a_holiday_or_a_clause_of_context_beside_the_order_is_context(
    text: str, what: str, at: str, rule: str | None
) -> None:
    assert _read(text) == ("add_reminder", what, at, rule)
