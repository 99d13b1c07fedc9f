"""find_when: the time inside a whole sentence, English and Chinese, said on Thursday
3 December 2026 at 15:00 in Shanghai (the spans are checked against the words they cut out)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.understand.when import When, WhenProblem, describe_when, find_when

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 15, 0, tzinfo=SHANGHAI)


def found(text: str, now: datetime = NOW) -> When:
    result = find_when(text, now)
    assert isinstance(result, When), f"{text!r} -> {result!r}"
    return result


def start(text: str) -> str:
    return f"{found(text).start:%Y-%m-%d %H:%M}"


def cut(text: str) -> str:
    """The text with the time words taken out: what the "what" is made of."""
    when = found(text)
    kept, last = [], 0
    for a, b in when.spans:
        kept.append(text[last:a])
        last = b
    return " ".join("".join([*kept, text[last:]]).split())


@pytest.mark.parametrize(
    ("text", "expected", "rest"),
    [
        ("Set a reminder for 6pm today: renew the parking permit", "2026-12-03 18:00",
         "Set a reminder : renew the parking permit"),
        ("Don't let me forget to feed the cat on Sunday at 8", "2026-12-06 08:00",
         "Don't let me forget to feed the cat"),
        ("Would you remind me to ring the dentist tomorrow, at 7:45 pm?", "2026-12-04 19:45",
         "Would you remind me to ring the dentist ?"),
        ("Dentist check-up on 3 April 2027 at 16:30", "2027-04-03 16:30", "Dentist check-up"),
        ("remind me tomorrow to call mum at 7:45", "2026-12-04 07:45", "remind me to call mum"),
        ("please ping me in 20 minutes to stretch", "2026-12-03 15:20", "please ping me to stretch"),
        ("book a table for 2 tomorrow", "2026-12-04 09:00", "book a table for 2"),
        ("Good morning! Remind me to call May tomorrow at noon", "2026-12-04 12:00",
         "Good morning! Remind me to call May"),
        ("pay the plumber on the 15th at 10am", "2026-12-15 10:00", "pay the plumber"),
        ("call the office at 5pm about the 3pm meeting", "2026-12-03 17:00",
         "call the office about the 3pm meeting"),
        ("water the plants next Monday at 18:00", "2026-12-07 18:00", "water the plants"),
        ("tomorrow at 9am EST call the New York team", "2026-12-04 22:00", "call the New York team"),
    ],
)  # fmt: skip
def test_english_time_found_inside_the_sentence(text: str, expected: str, rest: str) -> None:
    assert start(text) == expected
    assert cut(text) == rest


@pytest.mark.parametrize(
    ("text", "rule", "first"),
    [
        ("call mum on the 1st of each month", "FREQ=MONTHLY;BYMONTHDAY=1", "2027-01-01 09:00"),
        ("pay rent on the final day of each month", "FREQ=MONTHLY;BYMONTHDAY=-1", "2026-12-31 09:00"),
        (
            "every month on the last day at 8pm check the meter",
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "2026-12-31 20:00",
        ),
        ("stand-up every weekday at 9:15", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2026-12-04 09:15"),
        ("bins out every other Tuesday at 6pm", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2026-12-08 18:00"),
        (
            "my sister's birthday every year on 3 March",
            "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3",
            "2027-03-03 09:00",
        ),
    ],
)
def test_english_repeats_land_on_the_named_day(text: str, rule: str, first: str) -> None:
    when = found(text)
    assert when.rrule == rule and f"{when.start:%Y-%m-%d %H:%M}" == first


def test_bare_hour_follows_the_scheduler_rule() -> None:
    # parse.py: a bare 7-11 is morning, 1-6 afternoon; a bare 7-9 said after it has passed today
    # is the evening's (20:00 today), unless a part of the day was said; 10-11 is tomorrow's.
    assert start("call Ana at 8") == "2026-12-03 20:00"
    assert start("call Ana today at 8") == "2026-12-03 20:00"
    assert start("call Ana at 8 in the morning") == "2026-12-04 08:00"
    assert start("call Ana at 4") == "2026-12-03 16:00"
    assert start("八点给安娜打电话") == "2026-12-03 20:00"
    assert start("今天八点给安娜打电话") == "2026-12-03 20:00"
    assert start("早上八点给安娜打电话") == "2026-12-04 08:00"
    assert start("四点给安娜打电话") == "2026-12-03 16:00"


@pytest.mark.parametrize(
    ("text", "expected", "rest"),
    [
        ("后天下午三点提醒我取快递", "2026-12-05 15:00", "提醒我取快递"),
        ("明天两点半开会", "2026-12-04 14:30", "开会"),
        ("提醒我十点一刻给王老师打电话", "2026-12-04 10:15", "提醒我给王老师打电话"),
        ("十点三刻出门", "2026-12-04 10:45", "出门"),
        ("中午十二点吃饭", "2026-12-04 12:00", "吃饭"),
        ("中午一点去银行", "2026-12-04 13:00", "去银行"),
        ("凌晨两点看球赛", "2026-12-04 02:00", "看球赛"),
        ("早上七点叫我起床", "2026-12-04 07:00", "叫我起床"),
        ("傍晚六点遛狗", "2026-12-03 18:00", "遛狗"),
        ("晚上八点给妈妈打电话", "2026-12-03 20:00", "给妈妈打电话"),
        ("今晚九点半看电影", "2026-12-03 21:30", "看电影"),
        ("大后天上午九点体检", "2026-12-06 09:00", "体检"),
        ("周日交房租", "2026-12-06 09:00", "交房租"),
        ("星期天下午四点踢球", "2026-12-06 16:00", "踢球"),
        ("礼拜天晚上七点聚餐", "2026-12-06 19:00", "聚餐"),
        ("这周六上午十点理发", "2026-12-05 10:00", "理发"),
        ("本周日下午两点", "2026-12-06 14:00", ""),
        ("下周三上午十点开会", "2026-12-09 10:00", "开会"),
        ("下下周五交报告", "2026-12-18 09:00", "交报告"),
        ("十分钟后提醒我关火", "2026-12-03 15:10", "提醒我关火"),
        ("半小时后叫我", "2026-12-03 15:30", "叫我"),
        ("一个半小时后收衣服", "2026-12-03 16:30", "收衣服"),
        ("两小时以后提醒我吃药", "2026-12-03 17:00", "提醒我吃药"),
        ("三天后下午三点去取车", "2026-12-06 15:00", "去取车"),
        ("2027年4月3日下午4点半签合同", "2027-04-03 16:30", "签合同"),
        ("4月3日去杭州", "2027-04-03 09:00", "去杭州"),
        ("15号交水电费", "2026-12-15 09:00", "交水电费"),
        ("1号交房租", "2027-01-01 09:00", "交房租"),
        ("4月3号下午两点面试", "2027-04-03 14:00", "面试"),
        ("明天15:30开会", "2026-12-04 15:30", "开会"),
        ("明天3点30分去医院", "2026-12-04 15:30", "去医院"),
        ("明天3点半去医院", "2026-12-04 15:30", "去医院"),
        ("明天早上八点零五分出发", "2026-12-04 08:05", "出发"),
        ("晚上十二点关灯", "2026-12-04 00:00", "关灯"),
        ("提醒我明天下午三点去3号楼开会", "2026-12-04 15:00", "提醒我去3号楼开会"),
        ("下个月5号交房租", "2027-01-05 09:00", "交房租"),
        ("本月20号下午开会", "2026-12-20 15:00", "开会"),
        ("明年3月1日", "2027-03-01 09:00", ""),
        ("明早七点跑步", "2026-12-04 07:00", "跑步"),
        ("过十分钟叫我", "2026-12-03 15:10", "叫我"),
        ("一周后复查", "2026-12-10 15:00", "复查"),
    ],
)
def test_chinese_one_off_times(text: str, expected: str, rest: str) -> None:
    assert start(text) == expected
    assert cut(text) == rest


@pytest.mark.parametrize(
    ("text", "rule", "first"),
    [
        ("每天早上八点提醒我吃药", "FREQ=DAILY", "2026-12-04 08:00"),
        ("每晚十点提醒我关窗", "FREQ=DAILY", "2026-12-03 22:00"),
        ("每周三下午三点开例会", "FREQ=WEEKLY;BYDAY=WE", "2026-12-09 15:00"),
        ("每星期一、三、五早上七点跑步", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "2026-12-04 07:00"),
        ("每个工作日早上九点打卡", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2026-12-04 09:00"),
        ("每隔一周周五下午五点交周报", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "2026-12-04 17:00"),
        ("每隔一周的周二倒垃圾", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2026-12-08 09:00"),
        ("每月15号还信用卡", "FREQ=MONTHLY;BYMONTHDAY=15", "2026-12-15 09:00"),
        ("每个月1号交房租", "FREQ=MONTHLY;BYMONTHDAY=1", "2027-01-01 09:00"),
        ("每月最后一天晚上八点对账", "FREQ=MONTHLY;BYMONTHDAY=-1", "2026-12-31 20:00"),
        ("每月月底提醒我交报表", "FREQ=MONTHLY;BYMONTHDAY=-1", "2026-12-31 09:00"),
        ("每年4月3日给妈妈过生日", "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=3", "2027-04-03 09:00"),
        ("每月第一个周一上午十点", "FREQ=MONTHLY;BYDAY=+1MO", "2026-12-07 10:00"),
        ("每两小时喝水", "FREQ=HOURLY;INTERVAL=2", "2026-12-03 17:00"),
        ("每30分钟活动一下", "FREQ=MINUTELY;INTERVAL=30", "2026-12-03 15:30"),
        ("提醒我周一到周五每天早上八点吃药", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2026-12-04 08:00"),
        ("隔周周六打扫卫生", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", "2026-12-05 09:00"),
        ("从下周一开始每天早上七点跑步", "FREQ=DAILY", "2026-12-07 07:00"),
        ("every month", "FREQ=MONTHLY", "2026-12-04 09:00"),
    ],
)
def test_chinese_repeats(text: str, rule: str, first: str) -> None:
    when = found(text)
    assert when.rrule == rule and f"{when.start:%Y-%m-%d %H:%M}" == first


def test_chinese_repeat_with_an_end_and_a_count() -> None:
    assert found("每天早上八点直到2027年1月31日").rrule == "FREQ=DAILY;UNTIL=20270131T235959"
    assert found("每周一上午十点，共5次").rrule == "FREQ=WEEKLY;BYDAY=MO;COUNT=5"


@pytest.mark.parametrize(
    ("text", "kind", "en", "zh"),
    [
        ("remind me on 31 April to renew", "impossible_date", "April has 30 days", "4月只有30天"),
        ("4月31日交报告", "impossible_date", "Did you mean 30 April or 1 May?", "4月30日还是5月1日"),
        ("2月30日开会", "impossible_date", "February", "2月"),
        ("2027年2月29日", "impossible_date", "February 2027 has 28 days", "2027年2月只有28天"),
        ("25点开会", "impossible_date", "not a time of day", "没有25点"),
        ("remind me today at 9am to call", "past", "already passed", "已经过去了"),
        ("今天早上九点提醒我", "past", "tomorrow at 09:00", "明天 09:00"),
        ("这周一上午开会", "past", "already passed", "已经过去了"),
        ("remind me every second", "too_frequent", "15 minutes", "15分钟"),
        ("每秒提醒我", "too_frequent", "15 minutes", "太频繁"),
        ("每5分钟提醒我一次", "too_frequent", "15 minutes", "太频繁"),
        ("every month on the 31st", "ambiguous", "last day of each month", "每月最后一天"),
        ("每个月31号", "ambiguous", "last day of each month", "每月最后一天"),
        (
            "next Saturday at 2pm",
            "ambiguous",
            "Sat 5 Dec or Sat 12 Dec",
            "12月5日（周六）还是12月12日（周六）",
        ),
        ("remind me today to call mum", "ambiguous", "What time today?", "今天几点"),
        ("今天提醒我交作业", "ambiguous", "What time today?", "今天几点"),
    ],
)
def test_problems_are_asked_back_in_both_languages(text: str, kind: str, en: str, zh: str) -> None:
    problem = find_when(text, NOW)
    assert isinstance(problem, WhenProblem), problem
    assert problem.kind == kind and en in problem.message_en and zh in problem.message_zh
    assert all(0 <= a < b <= len(text) for a, b in problem.spans)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello there", "你好，今天天气怎么样呀有点冷", "what's the capital of France?", "🙂🙂🙂",
     "快一点好吗", "早上好！", "Good morning", "请给我讲个故事", "3号楼在哪里"],
)  # fmt: skip
def test_text_without_a_time(text: str) -> None:
    result = find_when(text, NOW)
    assert result is None or (isinstance(result, WhenProblem) and result.kind == "ambiguous"), result


def test_mixed_languages_and_emoji() -> None:
    assert start("明天 3pm 提醒我 call Li Wei 📞") == "2026-12-04 15:00"
    assert start("remind me 后天下午三点 to pick up the parcel 📦") == "2026-12-05 15:00"
    assert start("🎉 party tomorrow at 7pm 🎉") == "2026-12-04 19:00"
    assert cut("🎉 party tomorrow at 7pm 🎉") == "🎉 party 🎉"


def test_start_is_in_the_users_zone_and_now_must_be_aware() -> None:
    when = found("tomorrow at 9am")
    assert when.start.tzinfo == SHANGHAI
    london = find_when("明天上午九点", NOW, "Europe/London")
    assert isinstance(london, When) and f"{london.start:%Y-%m-%d %H:%M %Z}" == "2026-12-04 09:00 GMT"
    with pytest.raises(ValueError):
        find_when("tomorrow", datetime(2026, 12, 3, 15, 0))


def test_clock_given_tells_a_named_time_from_a_default() -> None:
    assert found("明天下午三点").clock_given and found("tomorrow at 3pm").clock_given
    assert not found("明天").clock_given and not found("tomorrow").clock_given
    assert not found("明天下午").clock_given and not found("tomorrow afternoon").clock_given
    assert found("半小时后").clock_given and found("in 20 minutes").clock_given


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("call Li Wei today at 19:30", "Thu 3 Dec at 19:30", "12月3日（周四）19:30"),
        ("dentist on 5 January 2027 at 8am", "Tue 5 Jan 2027 at 08:00", "2027年1月5日（周二）08:00"),
        ("每月最后一天", "every month on the last day at 09:00", "每月最后一天 09:00"),
        ("every weekday at 8", "every weekday at 08:00", "每个工作日 08:00"),
        ("每隔一周周三晚上六点", "every other Wednesday at 18:00", "每隔一周的周三 18:00"),
        ("每月15号", "every month on the 15th at 09:00", "每月15号 09:00"),
        ("every year on 3 March at 10:00", "every year on 3 March at 10:00", "每年3月3日 10:00"),
        ("每周一、周四 07:00", "every Monday and Thursday at 07:00", "每周一、周四 07:00"),
        (
            "the last friday of every month at 4pm",
            "the last Friday of every month at 16:00",
            "每月最后一个周五 16:00",
        ),
        ("every 2 hours", "every 2 hours", "每2小时"),
    ],
)
def test_describe_when(text: str, en: str, zh: str) -> None:
    when = found(text)
    assert describe_when(when, "en", NOW) == en
    assert describe_when(when, "zh", NOW) == zh
