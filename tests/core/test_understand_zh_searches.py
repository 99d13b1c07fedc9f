"""Chinese ways to ask for something said before or saved on the computer, read without the
model: what the assistant said ("前几天你给我推荐的那几本书", "上回咱俩聊…"), a chat ("之前对话里"),
a file ("我电脑里有份租房合同", "我存的那个体检报告里…", "那份发票的PDF在哪"), and the chat lines
with the same words that ask for no search."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.scheduler.zones import zone
from assistant.understand.intent import understand

NOW = datetime(2028, 10, 19, 8, 20, tzinfo=zone("Asia/Shanghai"))


def _asked(text: str) -> tuple[str, str]:
    u = understand(text, NOW, "Asia/Shanghai")
    return u.intent, u.what


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("前几天你给我推荐的那几本书 再给我看看", "书"),
        ("找一下我们之前关于考研的聊天记录", "考研"),
        ("之前你帮我想的那几个奶茶店名叫啥来着", "奶茶店名"),
        ("之前对话里我们算过的房贷月供是多少", "房贷月供"),
        ("刚才你说的那个菜谱再发我一遍", "菜谱"),
        ("上回咱俩聊去日本的行程，你推荐的是哪几个城市来着？", "去日本的行程"),
    ],
)
def test_what_was_said_before_searches_the_chats(text: str, words: str) -> None:
    intent, what = _asked(text)
    assert intent == "search_chats" and what.startswith(words), what


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("我电脑里有个年会策划的文档 帮我找找", "年会策划"),
        ("那份发票的PDF在哪 帮我翻一下", "发票的PDF"),
        ("我的文档里有没有去年的体检报告", "去年的体检报告"),
        ("我电脑里有份租房合同，押金写的是多少", "租房合同，押金"),
        ("我存的那个体检报告里血糖多少", "体检报告血糖"),
        ("那个PDF版的员工手册里年假怎么规定的", "PDF员工手册年假"),
    ],
)
def test_what_is_in_a_saved_file_searches_the_documents(text: str, words: str) -> None:
    assert _asked(text) == ("search_documents", words)


def test_what_i_asked_to_be_remembered_searches_the_facts() -> None:
    intent, what = _asked("我上次让你记住的，我对什么过敏来着")
    assert intent == "search_facts" and "过敏" in what


@pytest.mark.parametrize(
    "text",
    ["你说的对", "我电脑里有病毒怎么办", "我的文件夹太乱了", "书里说人要早睡", "你给我推荐一本书吧"],
)
def test_chat_with_the_same_words_asks_for_no_search(text: str) -> None:
    assert understand(text, NOW, "Asia/Shanghai").intent == "none"
