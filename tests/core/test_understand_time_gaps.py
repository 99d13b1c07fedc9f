"""Time words the first version of the layer missed, in both languages: named zones, repeats
with an end, clock times in words, snooze phrasings, remember-questions and request tails."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.understand.intent import understand
from assistant.understand.when import When, WhenProblem, find_when

LONDON = datetime(2026, 6, 10, 11, 0, tzinfo=ZoneInfo("Europe/London"))  # a Wednesday, BST
SHANGHAI = datetime(2026, 5, 20, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday


def _when(text: str, now: datetime) -> When:
    found = find_when(text, now)
    assert isinstance(found, When), (text, found)
    return found


def _at(found: When) -> str:
    return f"{found.start:%Y-%m-%d %H:%M} {found.start.tzinfo}"


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        # a one-off is kept in the user's zone, at the moment the named zone says
        (
            "remind me at 9am New York time tomorrow to call the office", LONDON,
            "2026-06-11 14:00 Europe/London",
        ),
        ("at 3pm Chicago time on Friday", LONDON, "2026-06-12 21:00 Europe/London"),
        ("纽约时间早上9点提醒我给客户打电话", SHANGHAI, "2026-05-20 21:00 Asia/Shanghai"),
        ("明天东京时间下午3点提醒我开会", SHANGHAI, "2026-05-21 14:00 Asia/Shanghai"),
        ("伦敦时间下午2点", SHANGHAI, "2026-05-20 21:00 Asia/Shanghai"),
    ],
)
def test_a_named_zone_gives_the_moment_in_the_users_zone(text: str, now: datetime, expected: str) -> None:
    found = _when(text, now)
    assert _at(found) == expected and found.rrule is None


@pytest.mark.parametrize(
    ("text", "now", "zone"),
    [
        ("remind me every Monday at 9 New York time to join the sync", LONDON, "America/New_York"),
        ("每周一纽约时间上午10点提醒我开周会", SHANGHAI, "America/New_York"),
    ],
)
def test_a_repeat_keeps_the_zone_it_was_named_in(text: str, now: datetime, zone: str) -> None:
    found = _when(text, now)
    assert str(found.start.tzinfo) == zone and found.rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert found.start.hour in (9, 10) and found.start.weekday() == 0


@pytest.mark.parametrize(
    ("text", "now", "first", "rule"),
    [
        ("every day at 7am until August", LONDON, "2026-06-11 07:00", "FREQ=DAILY;UNTIL=20260731T235959"),
        ("every Friday at 9 until the end of July", LONDON, "2026-06-12 09:00",
         "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260731T235959"),
        ("every Sunday at 6pm, 4 times", LONDON, "2026-06-14 18:00", "FREQ=WEEKLY;BYDAY=SU;COUNT=4"),
        ("每天早上八点提醒我跑步，直到六月底", SHANGHAI, "2026-05-21 08:00",
         "FREQ=DAILY;UNTIL=20260630T235959"),
        ("每周五下午五点交周报，到7月15日为止", SHANGHAI, "2026-05-22 17:00",
         "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260715T235959"),
        ("每天早上七点喝水，直到月底", SHANGHAI, "2026-05-21 07:00", "FREQ=DAILY;UNTIL=20260531T235959"),
        ("每月1号交房租，直到年底", SHANGHAI, "2026-06-01 09:00",
         "FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20261231T235959"),
        ("每周二浇花直到三月底", SHANGHAI, "2026-05-26 09:00", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270331T235959"),
        ("每天晚上九点背单词，持续两周", SHANGHAI, "2026-05-20 21:00", "FREQ=DAILY;UNTIL=20260603T093000"),
        ("每天中午吃药，重复10次", SHANGHAI, "2026-05-20 12:00", "FREQ=DAILY;COUNT=10"),
        ("每天晚上十点吃药，共7次", SHANGHAI, "2026-05-20 22:00", "FREQ=DAILY;COUNT=7"),
    ],
)  # fmt: skip
def test_repeats_with_an_end(text: str, now: datetime, first: str, rule: str) -> None:
    found = _when(text, now)
    assert (f"{found.start:%Y-%m-%d %H:%M}", found.rrule) == (first, rule)


def test_a_repeat_that_would_end_before_it_starts_is_refused() -> None:
    found = find_when("每天提醒我打卡，直到2026年4月1日", SHANGHAI)
    assert isinstance(found, WhenProblem) and found.kind == "impossible_date"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at quarter past seven this evening", "2026-06-10 19:15"),
        ("at half past six tonight", "2026-06-10 18:30"),
        ("at twenty past eleven", "2026-06-10 11:20"),
        ("at ten to six tomorrow", "2026-06-11 17:50"),
        ("in an hour and a half", "2026-06-10 12:30"),
        ("in two and a half hours", "2026-06-10 13:30"),
        ("in a quarter of an hour", "2026-06-10 11:15"),
        ("on 14 February 2027", "2027-02-14 09:00"),
        ("再过一刻钟", "2026-06-10 11:15"),
        ("三刻钟后", "2026-06-10 11:45"),
    ],
)
def test_clock_times_and_offsets_in_words(text: str, expected: str) -> None:
    now = LONDON if text.isascii() else LONDON.astimezone(ZoneInfo("Asia/Shanghai"))
    found = _when(text, now)
    local = found.start.astimezone(LONDON.tzinfo)
    assert f"{local:%Y-%m-%d %H:%M}" == expected


def test_a_year_stays_with_its_date_and_a_count_of_things_is_no_clock() -> None:
    u = understand("remind me on 14 February 2027 to buy flowers", LONDON)
    assert u.what == "buy flowers" and u.when_text == "on 14 February 2027"
    u = understand("remind me to give 10 to 3 people tomorrow", LONDON)
    assert u.what == "give 10 to 3 people" and isinstance(u.when, When) and u.when.start.hour == 9


@pytest.mark.parametrize(
    ("text", "now", "what", "duration"),
    [
        ("snooze it for a quarter of an hour", LONDON, "it", "a quarter of an hour"),
        ("remind me about the washing again in 20 minutes", LONDON, "washing", "20 minutes"),
        ("remind me again about the oven in 5 minutes", LONDON, "oven", "5 minutes"),
        ("remind me again tomorrow morning about the bins", LONDON, "bins", "tomorrow morning"),
        ("推迟半小时再提醒我", SHANGHAI, "", "半小时"),
        ("等十分钟再提醒我", SHANGHAI, "", "十分钟"),
        ("洗衣服那个提醒，再过一刻钟提醒我", SHANGHAI, "洗衣服", "一刻钟"),
        ("快递的提醒一个半小时后再提醒我", SHANGHAI, "快递", "一个半小时"),
        ("收快递那个提醒过半小时再提醒我", SHANGHAI, "收快递", "半小时"),
    ],
)
def test_snooze_phrasings(text: str, now: datetime, what: str, duration: str) -> None:
    u = understand(text, now)
    assert (u.intent, u.what, u.duration) == ("snooze", what, duration) and u.sure


@pytest.mark.parametrize(
    ("text", "intent", "what"),
    [
        ("再过一刻钟提醒我关火", "add_reminder", "关火"),  # something new to be reminded of
        ("明天再提醒我交电费", "add_reminder", "交电费"),
        ("remind me to call mum again tomorrow at 6pm", "add_reminder", "call mum again"),
        ("我有没有跟你说过我的车牌号", "search_facts", "车牌号"),
        ("我之前跟你提过我女朋友的生日吗", "search_facts", "女朋友的生日"),
        ("我是不是告诉过你我对花生过敏", "search_facts", "对花生过敏"),
        ("下周三上午十点部门例会，麻烦帮我记一下", "add_reminder", "部门例会"),
        ("周五晚上七点和大学室友吃饭，帮我加到日历", "add_event", "和大学室友吃饭"),
        ("把买菜标记为完成", "complete", "买菜"),
        ("mark the shopping as done", "complete", "shopping"),
        ("what's on TV usually on Sunday nights in the UK?", "none", ""),
    ],
)
def test_intents_and_what(text: str, intent: str, what: str) -> None:
    u = understand(text, SHANGHAI if not text.isascii() else LONDON)
    assert (u.intent, u.what) == (intent, what)
