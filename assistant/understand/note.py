"""A terse note of a thing and a time ("dentist thu 3pm", "gym tmrw 7am", "周五下午三点 牙医"):
no verb of any intent, yet people type it into a reminder app to be reminded.

Only short, plain notes count: a question ("dinner friday 7?"), a statement about oneself or the
conversation ("tomorrow at 3 works for me", "我明天下午三点有空") or anything longer than a note
stays a chat. The time must be one the user named; the confirmation card shows what is saved.
"""

from __future__ import annotations

import re

from assistant.understand.what import EDGE_ZH, cut
from assistant.understand.when import When, WhenProblem

_MAX_WORDS_EN = 6
_MAX_CHARS_ZH = 12
_QUESTION = re.compile(
    r"\?|？|\bhow (?:many|much|long|far|often)\b|"
    r"^\s*(?:what|when|where|who|why|how|which|is|are|am|was|were|do|does|did|can|could|should|"
    r"shall|will|would|may|might)\b|吗|呢|什么|怎么|怎样|如何|哪|几点|多少|是不是|有没有|要不要",
    re.IGNORECASE,
)
#: Words of a sentence about oneself or the chat rather than a note of something to do.
_SENTENCE_EN = re.compile(
    r"\b(?:i|i'm|im|i'd|i'll|i've|you|your|you're|we|we're|it|it's|its|is|are|was|were|be|been|"
    r"sounds?|works?|suits?|fine|good|great|ok|okay|perfect|free|busy|weather|thanks|thank|hello|hi|"
    r"hey|morning|night|today|yesterday|ago|since|born|happened|left|arrived|said|told|me|about|"
    # an order to the assistant itself ("write a poem about Monday mornings") is a chat
    r"write|tell|explain|translate|summari[sz]e|describe|compose|draft|suggest|recommend|give|show|"
    r"list|plan|help|poem|story|joke|essay|song|recipe|ideas?)\b",
    re.IGNORECASE,
)
_SENTENCE_ZH = re.compile(
    r"你|是|有空|没空|可以|行|好的|不错|天气|谢谢|你好|早安|晚安|昨天|刚才|已经|过了|"
    # an order to the assistant ("写一首关于周末的诗"); "年终总结交上去" is a thing to do
    r"再说|再聊|说(?!明书)|(?:^|帮我|给我|请|你)(?:写|讲|翻译|总结|介绍|解释|推荐|建议)|诗|故事|笑话|文章|歌|菜谱|食谱"
    r"|^(?:请你?|你|麻烦你?)?(?:帮我|给我|替我)"  # "帮我计划一下周末": an order to the assistant itself
    # about someone else ("他比我早一个小时出发"), not a thing for me to do
    r"|^(?:他|她)(?:们)?(?!的)|比(?:我|你|他|她)"
)
#: "我昨天晚上十点才下班": a time gone by is a story, not a note of something to do.
_PAST = re.compile(r"\b(?:yesterday|last night)\b|昨天|昨晚|前天|上周|上个月|去年|刚才", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9][\w'&/-]*")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def is_terse_note(text: str, when: When | WhenProblem | None, language: str) -> bool:
    """Whether ``text`` is a note of something to do at the time it names, and nothing else."""
    if when is None or _QUESTION.search(text) or _PAST.search(text):
        return False
    if isinstance(when, When) and not when.clock_given and when.rrule is None and not _names_a_day(text):
        return False
    rest = re.sub(r"\([^)]*\)?", " ", cut(text, when.spans))  # "book club!! (still haven't read it)"
    if language == "zh":
        han = _HAN.findall(rest)
        return 2 <= len(han) <= _MAX_CHARS_ZH and not _SENTENCE_ZH.search(rest.strip(EDGE_ZH))
    words = _WORD.findall(rest)
    if not 1 <= len(words) <= _MAX_WORDS_EN:
        return False
    # "daily at 10pm until 31 July: log what I ate": nobody chats in repeat rules
    said_to_repeat = isinstance(when, When) and when.rrule is not None
    return not _SENTENCE_EN.search(_PERSONAL.sub(" ", rest) if said_to_repeat else rest)


_PERSONAL = re.compile(r"\b(?:i|i'm|i've|my)\b", re.IGNORECASE)


_DAY = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:tomorrow|tmrw|tmr|tonight)\b|\d|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|明天|后天|周|星期|礼拜|号|日|月",
    re.IGNORECASE,
)


def _names_a_day(text: str) -> bool:
    return bool(_DAY.search(text))
