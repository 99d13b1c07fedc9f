"""Bilingual intent cues: phrasings that say what the user wants done, each with a weight.

A weight of 3 is a phrase that settles the intent on its own ("remind me", "提醒我",
"am I free"); 2 is strong but shared with another intent ("book", "安排"); 1 is a hint. The
scores of every intent are compared in ``intent.py``: a clear winner is acted on without the
model, a near tie goes to the constrained model stage with the tied intents as its only choices.
"""

from __future__ import annotations

import re

from assistant.understand.gates import DONE_ZH, MARK_ZH, WHEN_IS

Pattern = tuple[str, int]
_ASK_WORDS = r"what|who|where|how|why|which|whether|about what"
_WHAT_IS = r"what(?:'s|s| is| was| were| are)"
#: What one has told the assistant ("I gave it to you", "I've told you", "you saved for me").
TOLD_YOU = (
    r"i(?:'ve| have)? (?:already |definitely |once )?(?:told|gave|given|sent|shared|mentioned)"
    r"(?: (?:it|that|this|them))?(?: to| with)? you|you (?:saved|stored|noted|wrote down|kept)(?: it)? for me"
)
#: The agenda is not something the user told ("what's my schedule again?" lists it).
_AGENDA_WORDS = (
    r"[^?.!]*\b(?:agenda|calendar|schedule|diary|plans|appointments?|meetings?|reminders?|events?)\b"
)

_EN: dict[str, tuple[Pattern, ...]] = {
    "add_reminder": (
        # "remind me about the oven again in 5 minutes" is a snooze (below), not a new reminder
        (rf"\bremind me\b(?!\s+(?:{_ASK_WORDS}|again)\b)(?!\s+(?:about|of)\s+[\w' -]{{1,40}}?\s+again\b)"
         r"(?!\s+(?:about\s+|of\s+)?(?:that|it|this)(?: one)?\s+(?:again\s+)?(?:in|after)\b)", 3),
        (r"\b(?:don'?t|do not|never) let me forget\b", 3),
        (r"\breminding me\b(?!\s+(?:about|of)\s+[\w' -]{1,40}?\s+again\b)", 3),
        (r"\bbe reminded\b", 3),
        (r"\b(?:add|put|save) (?:it|that|this) (?:to|in|into|on) (?:my|the) (?:reminders|reminder list|"
         r"to-?do list)\b", 3),
        (r"\b(?:make sure|see to it that) i (?:don'?t|do not) forget\b", 3),
        (r"\bset (?:me )?(?:a|an|up a|up an) (?:reminder|alarm)\b", 3),
        (r"\b(?:add|create|make|need|want) (?:a |an )?(?:new )?reminder\b", 3),
        (r"\b(?:ping|nudge|alert|wake) me\b", 2),
        (r"^\s*(?:(?:can|could|would) you\s+)?(?:please\s+)?(?:ping|nudge|buzz) me\b", 3),
        (r"\bremember to\b", 1),
        (r"\breminder\b", 1),
    ),
    "add_event": (
        (
            r"\b(?:add|put|schedule|book|create|plan|arrange|pencil in|set up|organi[sz]e)\b.{0,60}"
            r"\b(?:meeting|appointment|event|lunch|dinner|breakfast|call|party|session|class|interview|"
            r"check-?up|visit|date|viewing|sync|review|haircut|lesson|match|game|coffee)\b",
            3,
        ),
        (r"\b(?:to|in|on|into) (?:my|the) (?:calendar|agenda|diary|schedule)\b", 2),
        (r"^\s*(?:please\s+)?(?:add|schedule|book)\b", 2),
        (r"\b(?:appt|appointment|mtg)\b", 1),  # "physio appt thurs 2:15pm": a note of one
    ),
    "list_agenda": (
        (r"\bwhat'?s on\b(?!\s+(?:tv|telly|television|netflix|the (?:tv|telly|radio|menu|news)|your mind))",
         3),
        (r"\bwhat(?: is|'s) (?:on )?(?:my|the) (?:agenda|calendar|schedule|diary)\b", 3),
        (r"\b(?:am i|are we) (?:free|busy|available|booked|double[- ]booked|around)\b", 3),
        (r"^\s*(?:(?:am i|are we)\s+)?(?:busy|free)\b[^.?!]{0,25}\?\s*$", 3),  # "busy tues?"
        # "what's my day look like", "what does the rest of this week look like for me"
        (r"\bwhat(?:'s| is| does| do| will)?\b.{0,40}\b(?:day|week|weekend|morning|afternoon|evening|diary|"
         r"calendar|schedule|agenda|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|"
         r"today)\b.{0,20}\blook(?:s|ing)? like\b", 4),
        (r"\bwhat(?:'s| is) in (?:my|the) (?:diary|calendar|agenda|schedule)\b", 4),
        (r"\bwhat (?:am i|are we) (?:doing|up to)\b", 3),
        (r"\b(?:pull up|bring up|open|look at)\b.{0,20}\b(?:agenda|calendar|schedule|diary|reminders|"
         r"plans)\b", 3),
        (r"\b(?:anything|something)\s+(?:clashing|happening|going on)\b|\bclash(?:es|ing)?\b", 3),
        (r"\b(?:show|list|tell|give)(?: me)?\b.{0,30}\b(?:(?:this|next) (?:week|weekend)|the rest of "
         r"(?:this|the) (?:week|day)|today|tomorrow)\b", 3),
        (r"\bwhat (?:do i have|have i got|meetings|events|appointments|reminders|plans)\b", 3),
        (r"\bdo i have (?:any(?:thing)?|plans|meetings|appointments|something)\b", 3),
        (r"\b(?:anything|something) (?:on|planned|scheduled|booked)\b", 2),
        (
            r"\b(?:show|list|check|read|see|give)\b.{0,20}\b(?:agenda|calendar|schedule|reminders|"
            r"events|plans)\b",
            3,
        ),
        (r"\bwhat(?:'s| is) (?:planned|scheduled|coming up)\b", 3),
        (r"\bany (?:plans|meetings|appointments|events|reminders)\b", 3),
        (r"\bwhat time(?:'s| is) my\b", 3),
        (r"\b(?:everything|anything|all) (?:i'?ve got|i have got|i have|i'?ve got on)\b", 3),
        (r"\b(?:anything|something) (?:on|in) (?:my|the) (?:calendar|agenda|diary|schedule)\b", 4),
        (WHEN_IS.pattern, 3),
    ),
    "cancel": (
        (r"\b(?:cancel|delete|remove|call off|scrap|drop|clear|get rid of|erase)\b", 2),
        (
            r"\b(?:cancel|delete|remove|call off|scrap|drop|clear|get rid of|erase)\b.{0,50}"
            r"\b(?:reminders?|events?|meetings?|appointments?|alarms?|plans?|everything)\b",
            2,
        ),
        (r"\b(?:don'?t|no longer) (?:need|want) (?:the|my|that|those|these)\b.{0,40}\breminders?\b", 3),
        (r"\bstop (?:reminding|pinging|nudging|bugging) me\b", 5),
        (r"^\s*(?:please\s+|pls\s+)?(?:cancel|delete|remove|scrap|drop|ditch|bin|kill|forget)\s+"
         r"(?:that|it|this)(?: one)?(?: reminder)?\s*[.!]*\s*$", 4),
    ),
    "move": (
        # "Night shift finished late": a work shift is no move
        (r"\b(?:move|reschedule|postpone|push back|push|bring forward|delay)\b"
         r"|(?<!night )(?<!day )(?<!late )(?<!early )(?<!double )(?<!my )(?<!the )\bshift\b"
         r"(?! (?:finished|ended|starts?))", 3),
        (r"\bchange\b.{0,40}\b(?:to|time)\b", 2),
        (r"\b(?:bring|push|move)\b.{1,40}\b(?:forward|back|later|earlier)\b", 3),
    ),
    "snooze": (
        (r"\bsnooze\b", 4),
        (r"\bremind me again\b", 4),
        (r"\bremind me (?:about|of) [\w' -]{1,40}? again\b", 4),
        (r"\bremind me (?:about |of )?(?:that|it|this)(?: one)? (?:again )?(?:in|after)\b", 5),
        (r"\b(?:later|again) (?:in|after)\b", 1),
        (r"^\s*(?:give me\s+)?(?:another\s+)?(?:\d+|five|ten|fifteen|twenty|thirty)\s+more\s+"
         r"(?:mins?|minutes?)\b", 4),
    ),
    "complete": (
        (r"\b(?:mark|tick off|check off|cross off|set)\b.{0,50}\b(?:done|complete|completed|finished)\b", 4),
        (r"\b(?:reminder|task|it) is (?:done|finished|complete)\b", 4),
        (r"\b(?:that|this|it)(?: one)?(?:'s| is) (?:done|finished|complete|sorted)\b", 3),
        (r"\b(?:tick|check|cross) (?:[\w']+ ){0,3}?off\b", 3),
        (r"\b(?:tick|check|cross) (?:it|that|this)(?: one)? off\b", 5),
        (r"^\W*(?:all\s+|it'?s\s+)?(?:done|finished|completed|did it|sorted)\W*$", 4),
        (r"\bi(?:'ve| have) (?:already )?(?:done|finished|completed)\b", 2),
    ),
    "search_facts": (
        (r"\b(?:do|did|can|would) you (?:still )?(?:remember|recall|know)\b", 3),
        (r"\bwhat did i (?:tell|say to|ask) you\b", 3),
        (r"\bwhat (?:did|have) i (?:said|say|told|mention(?:ed)?)\b", 3),
        (r"\bi (?:told|asked) you (?:to remember|about|that|before|earlier)\b", 3),
        (r"\byou should (?:remember|know)\b", 3),
        (r"\bwhat do you (?:know|remember) about\b", 3),
        (r"\byou (?:know|remember) my\b", 3),
        (r"^\s*(?:do you\s+)?remember (?:what|when|where|who|how|which)\b", 3),
        (r"\bhave i (?:ever )?(?:told|mentioned)\b", 3),
        (r"\bdid i (?:ever )?(?:tell|mention|say)\b", 3),
        # Asking *again* for one's own thing: "what's my bike lock code again?"
        (rf"\b(?:{_WHAT_IS}|tell me(?: what)?) (?:my|our)\b(?!{_AGENDA_WORDS})[^?.!]{{1,40}}?\bagain\b", 3),
        # "remind me what my car reg is" asks for something known, not for a reminder
        (rf"\bremind me (?:what|which|who|where)\b[^?.!]{{0,20}}?\b(?:my|our)\b(?!{_AGENDA_WORDS})", 3),
        # "what's the wifi password at mum's that I gave you", "what's my code? I'm sure I told you"
        (rf"\b(?:{_WHAT_IS})\b[^.!]{{1,60}}?\b(?:{TOLD_YOU})\b", 3),
    ),
    "search_chats": (
        (r"\b(?:we|you and i|i) (?:talked|spoke|chatted|discussed|were talking)\b", 4),
        (r"\bdid we (?:ever |finally |already )?(?:talk|discuss|decide|pick|choose|agree|settle|say|chat|"
         r"speak)\b", 4),
        (r"\bwhat did we\b", 4),
        (r"\b(?:which|what)\b.{0,40}\bdid we\b", 4),
        (r"\b(?:earlier|previous|last|other|old) (?:chats?|conversations?|convos?)\b", 4),
        (r"\bwe were (?:chatting|talking|discussing)\b", 4),
        # "you gave me a recipe for banana bread the other day": what the assistant said back then
        (r"\byou (?:gave|recommended|suggested|told|helped|wrote|drafted|explained|showed|came up with|"
         r"listed|said)\b.{0,80}\b(?:the other day|last (?:week|month|time)|yesterday|a while (?:back|ago)|"
         r"earlier|before|once|when we|find it|pull (?:that|it) up|what was it)\b", 4),
        (r"\bin (?:our|a|that) (?:chat|conversation|convo)\b", 3),
        (r"\bwe (?:had|have had|once had) (?:a |an |that )?(?:conversation|chat|talk|discussion)\b", 4),
        (r"\b(?:find|search|look for|look up|pull up|show me|open)\b.{0,20}\b(?:conversation|chat)s?\b", 4),
    ),
    "search_documents": (
        (
            r"\b(?:find|search|look up|look for|look in|look through|check|open|dig out|pull up)\b.{0,60}"
            r"\b(?:notes?|documents?|docs|files?|pdfs?|manual|warranty|receipts?|contract|lease|"
            r"papers?|folder|write-?up|minutes|spreadsheet|invoice)\b",
            4,
        ),
        (r"\bwhat do(?:es)? (?:my|the) [\w' -]{1,30} say\b", 4),
        (r"\bmy (?:notes|documents|docs|files) (?:say|said|mention)\b", 4),
        (r"\b(?:in|from|across|through) my (?:notes|documents|docs|files|pdfs|folders?)\b", 4),
        (r"\bmy notes (?:on|about|for|from)\b", 3),
        (r"\b(?:notes?|documents?|docs?|files?|pdfs?)\b.{0,60}\b(?:find|search|look for|pull up|dig out)\b",
         3),
        (r"\b(?:in )?one of my (?:notes|documents|docs|files|pdfs)\b", 4),
        (r"\b(?:a|the|my) (?:pdf|doc|document|file|note)\b.{0,40}\bsomewhere\b", 4),
    ),
}

#: Any character that does not start an agenda word ("我明天几点开会来着" asks the agenda).
_NOT_AGENDA_ZH = r"(?!安排|日程|开会|会议|提醒|预约|行程|闹钟)"
_WE = r"(?:我们|咱们|咱俩|我俩|我和你|我跟你)"
_DOC = r"(?:笔记|文档|文件|资料|手册|合同|pdf|PDF|说明书|收据|发票|报告|表格|简历|课件)"

_ZH: dict[str, tuple[Pattern, ...]] = {
    "add_reminder": (
        (r"提醒(?:一下)?我(?!.{0,6}(?:什么|哪|谁|怎么|为什么)|已经|做完|完成)", 3),
        (r"(?:别|不要|千万别)(?:让我)?忘(?:了|记)", 3),
        (r"帮我记(?:一下|下|着|住)", 3),
        (r"(?:设|设置|定|订|建|加|添加)(?:一)?个?(?:提醒|闹钟)", 3),
        (r"叫(?:醒)?我", 2),
        (r"(?:^|[，,。]|记得)(?<!你)(?<!还)记得(?!.*吗)", 2),
        (r"^(?:请)?记得", 3),
        (r"提醒", 1),
    ),
    "add_event": (
        (
            r"(?:安排|预约|约|订|预订|加|添加|新建|创建|记)(?:一)?(?:个|场|次)?.{0,12}"
            r"(?:会议|会|日程|活动|约会|饭局|面试|聚餐|课|检查|例会|体检)",
            3,
        ),
        (r"(?:日历|日程表?)(?:里|上|中)", 2),
        (r"(?:加到|放到|记到|写到|添加到|放进|加进)(?:我的)?(?:日历|日程表?|行程)", 3),
        (r"(?:安排|预约|约)", 2),
        (r"(?:开会|会议)", 1),
    ),
    "list_agenda": (
        (r"有(?:什么|啥|哪些|没有)(?:安排|事|事情|计划|日程|会议?|活动|约|提醒)", 4),
        (r"(?:有|没)空(?:吗|嘛|没|不)?", 3),
        (r"空不空|闲不闲|有没有时间|有时间(?:吗|没|嘛)", 4),
        # "礼拜一有会吗", "我那天有别的事没", "今天还有什么要做的"
        (r"有(?:别的|其他|其它|啥|什么)?(?:事|事情|安排|活动|计划|会|会议|课|约)(?:吗|没|没有|嘛|不)", 4),
        (r"有(?:什么|啥|哪些|多少)(?:要做|要办|待办|没做|没办|要忙)", 4),
        (r"(?:忙不忙|忙吗|有空没有|有没有空)", 4),
        (
            r"(?:看看|看一下|查看|查一下|查查|列出|显示|告诉我|念一下|说一下).{0,8}(?:日程|安排|行程|提醒|计划)",
            3,
        ),
        (r"(?:日程|安排|行程|计划)(?:是什么|是啥|有哪些|吗|呢|怎么样)", 3),
        (r"(?:排了|安排了)(?:什么|啥)", 4),
        (r"(?:日程|安排|行程|计划)[^，。]{0,4}(?:给我)?(?:看看|看一下|瞧瞧|列一下|说说)", 3),
    ),
    "cancel": (
        (r"(?:取消|删除|删掉|删了|去掉|撤销|不用提醒|不要提醒)", 3),
        (r"(?:提醒|闹钟|日程)(?:就|也)?不(?:要|用|需要)了", 3),
        (r"撤(?:了|掉|下|回)|(?:关掉|关了|关闭|停掉|停了)(?:这个|那个|这条|那条)?(?:提醒|闹钟)", 3),
        # "不要再叫我喝水了": the reminder to drink water is not wanted any more
        (r"(?:不要|别|不用|不需要)再(?:提醒|催)我|(?:不要|别)再叫我(?=[^，。]{1,8}了)", 4),
        (r"(?:这个|那个|它)(?:也|就)?(?:不要了|不用了|不需要了)", 3),
    ),
    # "推迟半小时再提醒我" is a snooze: the reminder comes again, nothing is moved; "提前一天
    # 提醒我" asks for a reminder ahead of the thing, nothing is moved either
    "move": (
        (
            r"(?:改到|改成|改在|推迟|延后|推后|延迟|顺延|挪到|移到|换到|调到|(?:往|向)(?:前|后)(?:推|挪|移|调|延))"
            r"(?![^，。]{0,8}再(?:提醒|叫)我)(?!一下(?![^，。]{0,3}到))",
            3,
        ),
        (r"(?:提前到|(?:提前|提早)(?![^，。]{0,8}(?:提醒|叫|通知|告诉)(?:一下)?我))", 3),
    ),
    "snooze": (
        (r"(?:稍后|等会儿?|一会儿?|过会儿?|晚点儿?)再?(?:提醒|叫)", 4),
        (r"(?:后|之后|以后)再提醒", 4),
        (r"再(?:提醒|叫)我一次", 4),
        (r"过[^，。]{1,8}再(?:响|提醒|叫)(?![^，。]*(?:什么|吗|怎么|为什么|如何))", 5),
        (r"再响(?:一次|一下)?(?![^，。]*(?:什么|吗|怎么|为什么|如何))", 4),
        (r"(?:推迟|延后|晚|等)[^，。]{0,8}再(?:提醒|叫)我", 5),
        (r"再(?:提醒|叫)我(?:一下|一次)?(?:吧|哦|啊)?[。！!]?$", 5),  # nothing after it: that one again
        # "再过一刻钟提醒我" with nothing after it: that one again (with a "what" it is a new one)
        (r"再过[^，。]{1,8}(?:提醒|叫)我(?:一下|一次)?(?:吧|哦|啊)?[。！!]?$", 5),
        (r"贪睡|小睡|snooze|稍后再?提醒", 4),
        # "再晚点提醒我", "晚一会儿再叫我": the one that just came, a little later
        (r"(?:再(?:晚|迟)(?:一)?(?:点儿?|些|会儿?)再?|(?:晚|迟)(?:一)?(?:点儿?|些|会儿?)再)(?:提醒|叫)我", 5),
        # "推迟一下，五分钟后再说": no new time for it, just not now
        (r"(?:推迟|延后|推后|往后推)一下|(?:分钟|小时|钟头|刻钟|会儿?)(?:以后|之后|后)?再说", 4),
    ),
    "complete": (
        (r"(?:标记|标为|设为|设成).{0,12}(?:完成|做完|已完成|搞定)", 4),
        (MARK_ZH, 4),
        (rf"^[^，,。！!？?]{{0,10}}?{DONE_ZH}(?=[，,。！!\s✅☑✔]|$)", 3),
        (r"(?:已经)?(?:完成|做完|办完|搞定|弄好|交了|买了|付了)了", 3),
        (r"(?:已经|已)[^，。]{0,6}(?:办完|做完|完成|交了|付了|买了|弄好|搞定)", 3),
        (r"(?:勾掉|划掉|打个?勾)", 4),
    ),
    "search_facts": (
        (r"我(?:跟|和|对|给)你(?:说|讲|提)(?:过|起过)", 4),
        (r"我(?:之前|以前|上次|上回|那次)(?:让|叫|请)你记", 4),
        (
            r"我(?:之前|以前|上次|早就|好像|是不是|有没有)?"
            r"(?:告诉|跟你说|和你说|对你说|跟你讲|和你讲|跟你提|和你提|提到|提起)过",
            4,
        ),
        (r"你(?:还)?记(?:得|不记得|住了)", 3),
        (r"我(?:上次|之前|以前|那次|早就|刚才)?(?:让|叫|请)你(?:帮我)?记", 4),
        (r"你知道我的", 3),
        # Asking for one's own thing "again": "我的车牌号是多少来着", "我对什么过敏来着" (not "你帮我想的…")
        (rf"(?<![帮给替为让叫跟和])我(?!们(?!家))(?:{_NOT_AGENDA_ZH}[^，,。？?！!]){{0,14}}?(?:什么|多少|哪|几|谁|啥)"
         rf"(?:{_NOT_AGENDA_ZH}[^，,。？?！!]){{0,6}}来着", 3),
        # "我记得存过", "我之前给你存过": it was saved here
        (r"我(?:记得|好像|应该|之前|以前|上次)?(?:跟你|给你|让你|在你这(?:里|儿)?)?(?:存|保存|记)过", 2),
    ),
    "search_chats": (
        (
            rf"{_WE}(?:上次|上回|之前|以前|那次|前几天|上周|上个月|昨天)?.{{0,4}}(?:聊|谈|讨论|说)(?:过|的|到|起)",
            4,
        ),
        (rf"(?:上次|上回|之前|以前)(?:{_WE})?(?:聊|谈|讨论|说)", 4),
        (r"(?:之前|以前|上次|上回)的?(?:对话|聊天|谈话)(?:里|中|记录)?", 4),
        # "前几天你给我推荐的那几本书", "之前你帮我想的店名": what the assistant said before
        (r"(?:之前|以前|上次|上回|前几天|那天|昨天|前天|刚才|当时)[^，。]{0,6}(?<![跟和对给向])你(?:给我|帮我|跟我|替我)?"
         r"(?:推荐|建议|说|讲|提到|想|写|算|查|找|列|选|给|发)", 4),
        (rf"{_WE}[^，。]{{0,6}}(?:算|查|列|选|定|写|想)过的", 4),
        (r"(?:跟|和)你(?:聊|谈|讨论|说)(?:过|的|到)", 4),
        (r"(?:之前|以前|上次|上回|那次|前几天|前两天|上周|昨天|前天)问(?:过)?你", 4),
        (r"(?:那次|之前|以前|上次|我们)的?(?:聊天|对话)记录", 4),
        (r"关于[^，。]{1,12}的(?:对话|聊天|讨论)", 4),
        (r"我们.{0,8}(?:选|定|决定|挑)了?(?:哪|什么)", 4),
    ),
    "search_documents": (
        (r"(?:电脑|硬盘|文件夹|桌面|网盘)(?:上|里)(?:有|存了?)(?:个|份|一个|一份|几份|张)", 4),
        (
            r"(?:找|搜|查|翻)(?:一下|一找|找|索|查)?.{0,20}(?:笔记|文档|文件|资料|手册|合同|pdf|PDF|说明书|收据|发票|"
            r"(?<!聊天|对话)记录)",
            4,
        ),
        # "我电脑里有个年会策划的文档 帮我找找", "那份发票的PDF在哪"
        (rf"{_DOC}[^。]{{0,12}}(?:找|搜|查|翻)|{_DOC}[^，。]{{0,4}}(?:在哪|放哪)", 4),
        # "我电脑里有份租房合同", "我存的那个体检报告里", "我的文档里有没有…"
        (
            rf"(?:我的?(?:电脑|硬盘|文件夹|文档|笔记|资料|网盘|云盘)(?:里|中|上)|我(?:存|保存|下载|上传|导入)(?:过)?的)"
            rf"[^，。]{{0,12}}{_DOC}",
            4,
        ),
        (rf"{_DOC}(?:里|中|上)[^，。]{{0,16}}(?:怎么|如何|多少|什么|啥|哪|几|有没有|是否)", 4),
        (r"(?:在|从)我的(?:笔记|文档|文件|资料)", 4),
        (r"(?:笔记|文档|文件|资料)(?:里|中)[^。]{0,30}(?:找|搜|查|翻)", 4),
        (r"(?:笔记|文档|文件|资料|合同|说明书)(?:里|中|上)[^，。]{0,16}(?:写|说|记)", 4),
    ),
}


def _compile(table: dict[str, tuple[Pattern, ...]]) -> dict[str, list[tuple[re.Pattern[str], int]]]:
    return {k: [(re.compile(p, re.IGNORECASE), w) for p, w in v] for k, v in table.items()}


_COMPILED = {"en": _compile(_EN), "zh": _compile(_ZH)}


def all_matches(text: str) -> list[tuple[str, int, int]]:
    """(intent, weight, position) of every cue found in ``text``, in both languages."""
    found: list[tuple[str, int, int]] = []
    for table in _COMPILED.values():
        for intent, patterns in table.items():
            for pattern, weight in patterns:
                match = pattern.search(text)
                if match:
                    found.append((intent, weight, match.start()))
    return found
