"""The "what" of a request: the words left once the lead-in and the time are cut out.

"Set a reminder for 6pm today: renew the parking permit" -> "renew the parking permit";
"后天下午三点提醒我取快递" -> "取快递". For cancel/move/snooze/complete it is the words that
name the reminder ("the dentist reminder" -> "dentist"); for searches, the words to look for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.understand.cues import TOLD_YOU
from assistant.understand.gates import DONE_ZH, MARK_ZH
from assistant.understand.when_zh import EARLIER, LATER

Span = tuple[int, int]
_GAP = "\u2063"  # where a time phrase was cut out (invisible separator, never typed)
_EDGE_EN = " \t\n,.;:!?-—–\"'()" + _GAP
EDGE_ZH = " \t\n，。、；：！？,.;:!?~～（）()“”\"'" + _GAP


def cut(text: str, spans: Iterable[Span]) -> str:
    """``text`` with each span replaced by a gap mark, and the preposition that led into it."""
    out = text
    for start, end in sorted(set(spans), reverse=True):  # a span named twice is cut once
        if 0 <= start < end <= len(out):
            head = re.sub(
                r"(?:\b(?:on|at|by|for|in|from|to|until|till|starting)\s*|[在于从]|(?<![改挪移推调换前])到)$",
                "",
                out[:start],
                flags=re.IGNORECASE,
            )
            out = head + _GAP + out[end:]
    return out


def _squash(text: str, edges: str) -> str:
    text = re.sub(rf"\s*{_GAP}+\s*", " ", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text.strip(edges)


# ------------------------------------------------------------------------------ English
_POLITE = (
    r"(?:(?:hey|hi|ok|okay|so|and|also|oh)[,!]?\s+)*(?:please\s+|pls\s+|kindly\s+)?"
    r"(?:(?:could|can|would|will) you(?: please)?\s+|would you mind\s+|i(?:'d| would) like you to\s+|"
    r"i need you to\s+|i want you to\s+)?(?:please\s+)?"
)
_LEAD_EN = re.compile(
    rf"^{_POLITE}(?:"
    r"remind me(?: again)?|(?:don'?t|do not|never) let me forget|make sure i (?:don'?t|do not) forget|"
    r"set (?:me )?(?:a|an|up a|up an) (?:reminder|alarm)|(?:add|create|make|put in|set) (?:a |"
    r"an )?(?:new )?reminder|"
    r"(?:ping|nudge|alert|wake) me(?: up)?|remember|i need to remember|note down"
    r")\b(?:\s+(?:to|about|of|that|for|so that i)\b)?",
    re.IGNORECASE,
)
#: An event's verb is a lead-in only when the request starts with it ("book a haircut"), never
#: inside a reminder's text ("remind me to book the MOT").
_EVENT_EN = re.compile(
    rf"^{_POLITE}(?:(?:add|put|pop) (?:this |it )?(?:to|in|into|on) (?:my|the) "
    r"(?:calendar|agenda|diary|schedule)\s*:?"
    r"|add|put|schedule|book(?! club\b)|create|plan|arrange|pencil in|set up|organi[sz]e|make|"
    r"i(?:'ve| have) got|i have|there(?:'s| is))\b(?: me)?(?: (?:a|an|the|my)\b)?",
    re.IGNORECASE,
)
_TAIL_EN = re.compile(
    # "…, can you remind me?" / "…, add it to my calendar": the order after the thing
    r"(?:,\s*(?:(?:can|could|would|will) you\s+)?(?:please\s+)?(?:add|put|save|pop|stick|note) "
    r"(?:it|that|this)(?: down)?(?=\s+(?:to|in|into|on|onto) (?:my|the) |\s*$)"
    r"|,?\s+(?:can|could|would|will) you(?: please)?(?: remind me)?)?"
    r"(?:\s+(?:to|in|into|on|onto) (?:my|the) (?:calendar|agenda|diary|schedule|reminders))?"
    r"(?:,?\s+(?:please|pls|plz|thanks|thank you|thank u|thx|ty|cheers|ta|x+|lol|for me|ok|okay|each time|"
    r"every time)(?:\s+(?:dear|love|mate|so much|a lot))?)*\s*$",
    re.IGNORECASE,
)
_LEFT_EN = re.compile(
    r"^(?:to|about|of|that|for|on|at|in|by|and|then|please|pls|plz|kindly|just|is|are|each time|every time)"
    r"\b[\s,]*"
    r"|\s+(?:on|at|in|by|and|to|for|from|so|is|are|was)$", re.IGNORECASE
)


#: The words that ask for a reminder, wherever they stand: what follows them is the "what"
#: ("Could you kindly set a reminder … to water the plants"), or, with nothing after them, what
#: came before ("Need to call the garage tomorrow at 9, remind me").
_CUE_EN = re.compile(
    r"\b(?:remind(?:ing)? me(?: again)?|(?:to )?be reminded|(?:a |an |the )?(?:new )?(?:reminder|alarm)|"
    r"(?:don'?t|do not|never) let me forget|make sure i (?:don'?t|do not) forget|(?:ping|nudge) me)\b"
    r"(?:\s+(?:to (?:self|myself)|for (?:me|myself)|to|about|of|that|for|so that i)\b)?",
    re.IGNORECASE,
)
#: "physio said do the knee exercises …, so remind me": who gave the advice is not the what.
_ADVISED_EN = re.compile(
    r"^(?:(?:the|my)\s+)?[\w']+(?:\s+[\w']+)?\s+(?:said|says|told me|wants me|reckons)\s+"
    r"(?:(?:that\s+)?i\s+(?:should|need to|have to|must)\s+|to\s+)?",
    re.IGNORECASE,
)
_NEED_EN = re.compile(
    r"^(?:(?:so|ok|okay|hey|oh)[,!]?\s+)*(?:i\s+)?(?:really\s+)?"
    r"(?:need to|have to|gotta|got to|must|should)\s+",
    re.IGNORECASE,
)


def _around_cue(cleaned: str) -> str:
    cue = _CUE_EN.search(cleaned)
    if cue is None:
        return cleaned
    after = _ASIDE_EN.sub("", cleaned[cue.end() :]).strip(_EDGE_EN)  # "… so I never forget it again"
    if _LEFT_EN.sub("", _TAIL_EN.sub("", after)).strip(_EDGE_EN):
        return after
    before = _NEED_EN.sub("", cleaned[: cue.start()].strip(_EDGE_EN))
    return _ADVISED_EN.sub("", _LEFT_EN.sub("", before).strip(_EDGE_EN))


def reminder_en(text: str) -> str:
    cleaned = _squash(text, _EDGE_EN)
    led = _LEAD_EN.sub("", cleaned)
    cleaned = led if led != cleaned else _EVENT_EN.sub("", cleaned)
    cleaned = _around_cue(cleaned)
    for _ in range(3):
        before = cleaned
        cleaned = _LEAD_EN.sub("", cleaned).strip(_EDGE_EN)
        cleaned = _TAIL_EN.sub("", cleaned).strip(_EDGE_EN)
        cleaned = _LEFT_EN.sub("", cleaned).strip(_EDGE_EN)
        if cleaned == before:
            break
    return cleaned


# ------------------------------------------------------------------------------ Chinese
_LEAD_ZH = re.compile(
    r"(?:到时候?)?(?:请|麻烦你?|帮忙|你)?(?:帮我)?再?(?:"
    r"记得(?:要)?提醒(?:一下)?我|提醒(?:一下)?我|提醒(?:一下)?(?![他她它你大家老妈爸孩子儿女同事客户])|千万别让我忘了|别让我忘了|不要让我忘了|别忘了|不要忘了|不要忘记|别忘记|"
    r"帮我记(?:一下|下|着|住)|记(?:一下|下)|(?:设|设置|定|订|建|加|添加)(?:一)?个(?:提醒|闹钟)|叫(?:醒)?我|"
    r"(?:在日历|在日程)?(?:里|上)?(?:安排|预约|预订|新建|创建|添加|加)(?:一下|一)?(?:个|场|次)?|记得|帮我"
    r")"
)
_FILLER_ZH = re.compile(
    r"^(?:(?:开始|起)(?=[，,\s提叫记]|$))|^(?:要|该|得|说|：|:|，|的|了)+|(?:吧|哦|啊|呀|哈|啦|呗|嘛|一下|一声|了|哟|呢|的提醒|这件事)+$"
    r"|[，,]?(?:谢谢|多谢|谢啦|感谢)(?:你|啦|了)?[！!。~～]*$"
)
_PLACE_ZH = re.compile(r"(?:加到|放到|记到|写到|添加到|放进)?(?:我的)?(?:日历|日程表?|行程)(?:里|上|中)?")


_HAN_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff])")
_LEAD_ZH_AT = re.compile(
    rf"^(?:{_LEAD_ZH.pattern})|"
    r"[，,]?(?:你|请你?|麻烦你?)?(?:到时候?)?(?:记得|(?:千万)?(?:别|不要)忘(?:了|记)?|帮我记(?:一下|下|着|住))?"
    r"(?:要)?(?:(?:提醒(?:一下)?|叫)我)?$"
    # "…，帮我记到日程里": the place goes first (_PLACE_ZH), then the "帮我" it leaves
    r"|[，,](?:请|麻烦你?)?帮我(?:记|加|放|写|添加|安排|存)?(?:一下|下|上)?(?:吧|哦)?$"
)


#: "这个月的房租还没交，月底提醒我交房租": the order after a clause of context.
_MID_CUE_ZH = re.compile(
    r"[，,。；;！!\s]\s*(?:你|请|麻烦你?)?\s*(?:那天|当天|到时候?)?(?:记得)?\s*"
    r"(?:提醒(?:一下)?我|叫我|别让我忘了|不要让我忘了)(?:一下)?(?:要)?"
)


def reminder_zh(text: str) -> str:
    # a space between clauses ("老婆说元旦要回家 你31号晚上提醒我收拾行李") ends one, as a comma does
    cleaned = _squash(text, EDGE_ZH)
    mid = _MID_CUE_ZH.search(cleaned)
    if mid and _FILLER_ZH.sub("", cleaned[mid.end() :].strip(EDGE_ZH)).strip(EDGE_ZH):
        cleaned = cleaned[mid.end() :]
    cleaned = _HAN_GAP.sub("", cleaned)
    for _ in range(3):
        before = cleaned
        cleaned = _PLACE_ZH.sub("", cleaned).strip(EDGE_ZH)
        cleaned = _LEAD_ZH_AT.sub("", cleaned, count=1).strip(EDGE_ZH)
        cleaned = _FILLER_ZH.sub("", cleaned).strip(EDGE_ZH)
        if cleaned == before:
            break
    return cleaned


#: Emoji and pictographs ("mow the lawn 🌱", "done ✅") are never part of the words.
_SYMBOLS = re.compile(r"[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]+")
#: A reason or an aside after the thing to do: "lock the back door because the cat gets out",
#: "keep the dog inside (fireworks)".
_ASIDE_EN = re.compile(
    r"\s*(?:\([^)]*\)?|,?\s+(?:because|cos|coz|'cause|since)\b.*"
    # "cancel the free trial before it charges me", "move the car before the parking runs out"
    r"|(?:^|,?\s+)so (?:that )?i (?:never|don'?t|do not|won'?t|will not)\b.*"
    r"|,?\s+before\s+(?:it|i|we|you|they|he|she|the\s+\w+(?:\s+\w+)?\s+(?:runs?|expires?|closes?|ends?|"
    r"starts?|charges?|goes|gets?))\b.*)$",
    re.IGNORECASE,
)


_SAME_DAY = re.compile(r"\b(?:on\s+)?(?:that|the same) (?:day|morning|evening|night)\b", re.IGNORECASE)


def reminder_text(text: str, spans: Iterable[Span], language: str) -> str:
    rest = _SYMBOLS.sub(" ", cut(text, spans))
    if language != "zh":
        rest = _SAME_DAY.sub(" ", rest)  # "remind me at 5:45 that day to leave work early"
        return _ASIDE_EN.sub("", reminder_en(rest)).strip(_EDGE_EN) or reminder_en(rest)
    return reminder_zh(rest)


# ------------------------------------------------------------------------------ references
_REF_EN = re.compile(
    r"\b(?:please|could you|can you|would you|cancel|delete|remove|call off|scrap|drop|clear|"
    r"get rid of|erase|"
    r"move|reschedule|postpone|push back|push|bring forward|bring|shift|delay|change|snooze|mark|tick off|"
    r"later|earlier|sooner|"
    r"check off|cross off|tick|check|cross|off|set|as|is|it's|done with|done|complete|completed|finished|"
    r"the|my|that|this|a|an|you can|just|now|so|one's|"
    r"reminders?|alarms?|again|for|to|back|forward|i(?:'ve| have)?|already|no longer|don'?t|need|want|it|one|"
    r"hit|not now|not|now|pls|plz|got|was|has been|pushed|moved|"
    r"remind me|about|of|on|at|in|by|from)\b",
    re.IGNORECASE,
)
_REF_ZH = re.compile(
    r"请|帮我|麻烦|把|将|给|那个|这个|那条|这条|改一下|一下|我的|的提醒|提醒|取消|删除|删掉|删了|去掉|撤销|不用|不要|"
    r"改到|改成|改在|推迟|延后|推后|延迟|顺延|提前到|提前|提早|挪到|移到|换到|调到|[往向][前后][推挪移调延]|稍后|等会儿?|一会儿?|过会儿?|再|"
    r"之后|以后|后|标记为|标记|标为|设为|设成|已经|完成|做完|办完|搞定|弄好|勾掉|划掉|打个?勾|交上去|响|一次|"
    r"为|了|吧|我|次|叫|等|撤掉|撤下|撤回|撤|关掉|关了|关闭|停掉|停了|不要|不用|不需要|算了|别|小睡|snooze|[晚迟]一?(?:点儿?|些|会儿?)|闹钟|"
    r"也|可以|就|都|能|哈|啊|呀|哦|嘛|呗|啦"
)
_SAID_DONE_ZH = re.compile(rf"{DONE_ZH}|{MARK_ZH}")
_CLAUSE_ZH = re.compile(rf"[，,。；;！!？?\s{_GAP}]+")


_NAMING_ZH = re.compile(r"提醒|闹钟|把|将")


_THIS_ZH = re.compile(r"这个|那个|这条|那条|它")


def _reference_zh(rest: str) -> str:
    """The name in the clause that names it ("药吃过了，把吃药提醒标成完成" -> "吃药", "取消明天的
    牙医提醒，医生请假了" -> "牙医"), else in the first clause with one: the other clauses say
    why, or when, or what to do with it."""
    clauses = _CLAUSE_ZH.split(_SAID_DONE_ZH.sub(" ", rest))
    # "体检预约已经搞定啦，把它勾掉": 它 points back at the name said before
    names = [(_THIS_ZH.sub("", _REF_ZH.sub("", c)).strip(EDGE_ZH + "的"), bool(_NAMING_ZH.search(c)))
             for c in clauses]
    named = [name for name, naming in names if name and naming] or [name for name, _ in names if name]
    return named[0] if named else ""




def at_hand(named: str, text: str, intent: str, language: str) -> str:
    """"这个做完了", "取消这个": no name but the one at hand, in the user's word for it (the
    tools read 这个 as the reminder that just came due)."""
    if named or language != "zh" or intent not in ("cancel", "complete", "move"):
        return named
    this = _THIS_ZH.search(text)
    return this.group(0) if this else ""


_ALL = re.compile(r"(?<!after )(?<!at )\b(?:all|every|everything)\b|所有|全部", re.IGNORECASE)


def reference(text: str, spans: Iterable[Span], language: str) -> str:
    """The words that name an existing reminder; "all" when the user said all of them."""
    rest = _SYMBOLS.sub(" ", cut(text, spans))
    if _ALL.search(rest):
        return "所有" if language == "zh" and not re.search(r"\ball\b", rest, re.I) else "all"
    if language == "zh":
        return _reference_zh(rest)
    # "not now, hit snooze on the meds one": the clause of the order names it; "Sunday's lunch with
    # Kate is at 1pm but she's running late, move it …": else the first clause that has words
    clauses = [_named_en(c) for c in _REF_CLAUSE.split(_squash(rest, _EDGE_EN))]
    ordered = [c for c, said in zip(clauses, _REF_CLAUSE.split(_squash(rest, _EDGE_EN)), strict=True)
               if _ORDER_VERB.search(said)]
    named = next((c for c in [*ordered, *clauses] if c), "")
    pointer = _POINTS_AT.search(rest)
    return named or (pointer.group(0).lower() if pointer else "")  # the user's own word: the guard checks


def _named_en(clause: str) -> str:
    words = _REF_EN.sub(" ", clause)
    return _squash(re.sub(r"\b\d+\s*(?:minutes?|mins?|hours?|hrs?|days?)\b", " ", words), _EDGE_EN)


_ORDER_VERB = re.compile(
    r"\b(?:cancel|delete|remove|scrap|drop|move|reschedule|postpone|push|shift|delay|snooze|mark|tick|"
    r"check|cross|change|bring)\b",
    re.IGNORECASE,
)


_REF_CLAUSE = re.compile(r"\s*(?:[,;]|\s-+\s|\b(?:but|because|since|as|so)\b)\s*", re.IGNORECASE)
#: "scrap that", "这个不要了": no words of the reminder, a pointer to the one in view.
_POINTS_AT = re.compile(r"\b(?:that|it|this)\b|这个|那个|它", re.IGNORECASE)


_DURATION_EN = re.compile(
    r"\b(?:(?:\d+(?:\.\d+)?|an?|one|two|three|five|ten|fifteen|twenty|thirty|half an?)"
    r"(?:\s+and\s+a\s+half)?\s*"
    r"(?:minutes?|mins?|hours?|hrs?|days?)\b(?:\s+and\s+a\s+half)?|(?:a\s+)?quarter of an hour|"
    r"three quarters of an hour)",
    re.IGNORECASE,
)
_DURATION_ZH = re.compile(r"(?:[\d一二两三四五六七八九十]+(?:个)?半?|半(?:个)?)(?:分钟|小时|钟头|天|刻钟)")


def duration(text: str, language: str) -> str | None:
    """The snooze length in the user's words ("10 minutes", "十分钟"), if one was said."""
    found = (_DURATION_ZH if language == "zh" else _DURATION_EN).search(text)
    if not found and language == "zh":
        found = _DURATION_EN.search(text)
    return found.group(0) if found else None


# ------------------------------------------------------------------------------ shifts
_LATER_EN = re.compile(r"\b(?:back|later|delay|postpone|push)\b", re.IGNORECASE)
_EARLIER_EN = re.compile(r"\b(?:forward|earlier|sooner|advance)\b", re.IGNORECASE)
_LATER_ZH = re.compile(LATER)
_EARLIER_ZH = re.compile(EARLIER)


def shift(text: str, language: str) -> str:
    """A move by an amount ("push it back an hour", "提前半小时") as the tool's ``by``: "+1 hour",
    "-半小时"; "" when the words name no amount with a direction."""
    amount = duration(text, language)
    if not amount:
        return ""
    later, earlier = (_LATER_ZH, _EARLIER_ZH) if language == "zh" else (_LATER_EN, _EARLIER_EN)
    if earlier.search(text):
        return "-" + amount
    return "+" + amount if later.search(text) else ""


# ------------------------------------------------------------------------------ search words
_QUERY_EN = re.compile(
    rf"\b(?:remind me(?: what| which| who| where)?|what'?s|{TOLD_YOU}|"
    r"i'?m (?:pretty |quite )?(?:sure|certain)|i think|(?:ages|a while|a long time|long) ago|"
    r"(?:do|did|can|would) you (?:still )?(?:remember|recall|know)|what (?:did|"
    r"have) i (?:tell|told|say|said|"
    r"ask|asked|mention|mentioned)(?: to)?(?: you)?|i (?:told|asked) you(?: to remember)?|"
    r"you should (?:remember|know)|"
    r"what do you (?:know|remember)|have i (?:ever )?(?:told|mentioned)(?: you)?|"
    r"did i (?:ever )?(?:tell|mention|say)"
    r"(?: you)?|(?:find|search|look up|look for|look in|look through|check|open|dig out|pull up|show me)|"
    r"(?:what|which|when|where|who|how) did we (?:ever |finally |already )?(?:talk|discuss|decide|pick|"
    r"choose|agree|settle|say|chat|speak)"
    r"(?: about| on)?|did we (?:ever |finally |already )?(?:talk|discuss|decide|pick|choose|agree|settle|say|"
    r"chat|speak)(?: about| on)?|remember|"
    r"(?:when|where) we (?:talked|spoke|chatted|discussed)(?: about)?|we (?:talked|spoke|chatted|"
    r"discussed)(?: about)?|"
    r"(?:last|this|next) (?:week|month|year|time)|yesterday|earlier|before|recently|the other day|"
    r"in (?:our|a|an|my) (?:earlier |previous |last |old )?(?:chat|conversation)s?|"
    r"(?:in|from|across|through) my (?:notes|documents|docs|files|pdfs|folders?)|my notes|"
    r"what|which|who|where|when|how|please|could you|can you|about|tell me|again|the|did|do|is|was|it|"
    r"that|for|on|of|in|me|you|we|us|a|an|any|some|to|are|were)\b",
    re.IGNORECASE,
)
_QUERY_ZH = re.compile(
    r"来着|我?(?:记得|好像|应该|之前|以前|上次)?(?:跟你|给你|让你|在你这(?:里|儿)?)?(?:存|保存|记)过|"
    r"我(?:上次|之前|以前|那次|早就|刚才)?(?:让|叫|请)你(?:帮我)?记(?:住|下)?(?:的|过)?|"
    r"你还记得|你记得|你记不记得|你知道|我(?:跟|和|对|给)你(?:说|讲|提)(?:过|起过)?|我告诉过你|"
    r"我?(?:之前|以前|上次|早就|好像|是不是|有没有)?(?:告诉|跟你说|和你说|对你说|跟你讲|和你讲|跟你提|和你提|提到|提起)过你?|"
    r"我们|上次|之前|以前|那次|前几天|上周|上个月|昨天|聊过|聊的|聊到|聊|谈过|谈的|谈|讨论过?的?|说过|说的|"
    r"跟你|和你|再给我看看|给我看看|当时|帮我找出来|找出来|有一份|"
    r"帮我|请|一下|找一找|找找|找|搜索|搜|查一查|查查|查|翻|关于|有关|在|从|我的|里|中|的笔记|笔记|文档|文件|资料|"
    r"写了?什么|说了?什么|是什么|是多少|是啥|叫什么|是哪(?:一)?天|哪天|哪家|哪个|哪里|什么|多少|啥|吗|呢|吧|啊|选了|定了|决定了|挑了|选|定|决定|"
)


#: Ways to point back at a chat or a file ("上回咱俩聊…", "你给我推荐的那几本", "我电脑里有份…"):
#: not words to look for.
_POINTING_ZH = re.compile(
    r"咱俩|咱们|我俩|上回|前几天|刚才|对话里|聊天记录|对话记录|(?<![跟和对给向])你(?:给我|帮我|跟我|替我)?(?:推荐|想|算|列|选|说|发)的?|"
    r"算过的|查过的|让你记住的|记住的|那几[个本家条]|哪几[个本家条]|来着|叫啥|是啥|再(?:给我|发我)(?:看看|一遍)|"
    r"(?:电脑|硬盘|网盘|云盘|文件夹)里?|有[个份]|那份|在哪里?|帮我翻一下|翻一下|怎么规定的?|(?:我)?(?:存|保存|下载)的|"
    r"写的是|版的|有没有"
)


def query_words(text: str, language: str) -> str:
    if language == "zh":
        cleaned = _QUERY_ZH.sub("", _POINTING_ZH.sub(" ", text).replace(" ", ""))
        cleaned = re.sub(r"^(?:[的我了那个这个家]|[，,、\s])+|[的了吗呢]+$", "", cleaned.strip(EDGE_ZH))
        return cleaned.strip(EDGE_ZH) or text.strip(EDGE_ZH)
    cleaned = _squash(_QUERY_EN.sub(" ", text), _EDGE_EN)
    cleaned = re.sub(r"^(?:my|our)\s+", "", cleaned, flags=re.IGNORECASE)
    return cleaned or text.strip(_EDGE_EN)
