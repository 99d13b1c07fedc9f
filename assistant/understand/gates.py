"""Checks that keep everyday questions out of the tools.

A verb alone does not make a request about the agenda: "How do I remove a stain?", "move a file
in Linux", "我想把家具挪到客厅" and "Do you know what LoRA is?" carry cue words of cancel, move
and the fact search, yet ask for no tool. An intent that acts on the agenda needs something of
the agenda in the words (a reminder, a meeting, a time it moves to); a question about what the
user said needs the user in it ("my", "I told you", 我).
"""

from __future__ import annotations

import re

_AGENDA_THING = re.compile(
    r"\b(?:reminders?|events?|meetings?|appointments?|alarms?|agenda|calendar|diary|schedule|"
    r"plans?|calls?|lunch|dinner|breakfast|party|class|lesson|interview|check-?up|visit|session|appts?|mtg|"
    r"booking|reservation|sync|stand-?up|haircut|dentist|doctor|gym|task|to-?do)\b"
    r"|提醒|日程|会议|开会|例会|预约|闹钟|安排|约会|活动|面试|课|行程|计划|饭局|聚餐|体检|待办|任务",
    re.IGNORECASE,
)
#: The agenda as such, for questions about it (a "dinner party" menu is not one).
_AGENDA_ITSELF = re.compile(
    r"\b(?:agenda|calendar|diary|schedule|plans|meetings|appointments|reminders|events)\b"
    r"|日程|安排|行程|提醒|会议|计划",
    re.IGNORECASE,
)
#: Asking for information rather than giving an order ("how do I …", "should I …", "怎么 …").
_INFO_QUESTION = re.compile(
    r"^\s*(?:how|why|what|should|shall|could|would it|is it|are there|does|do you think|"
    r"can you (?:explain|tell me|help me understand))\b"
    r"|^\s*(?:怎么|怎样|如何|为什么|什么是|是不是|要不要|能不能|我们可以|可以)"
    r"|(?:怎么|如何)(?:删除|删|取消|移动|挪|完成)",
    re.IGNORECASE,
)
#: "Cancel the piano": cancel is hardly ever said of anything but a plan; delete/remove/clear are.
_CANCEL_ORDER = re.compile(
    r"^\s*(?:please\s+)?(?:cancel|call off)\b|^\s*(?:请|帮我)?取消"
    r"|\bstop (?:reminding|pinging|nudging|bugging) me\b"
    # "scrap that one", "pls remove the pilates one": the reminder just shown, or one named so
    r"|^\s*(?:please\s+|pls\s+)?(?:cancel|delete|remove|scrap|drop|ditch|bin|kill|forget)\s+(?:that|it|this)"
    r"(?: one)?(?: reminder)?\s*[.!]*\s*$|\bthe [\w' -]{1,30} one\b"
    # "pls remove parkrun, knee's knackered": an order with a one- or two-word name of a plan
    r"|^\s*(?:please\s+|pls\s+)?(?:remove|delete|scrap|drop|ditch)\s+(?:the\s+|my\s+)?+"
    r"(?!(?:the|a|an|this|that|all|duplicates?|files?|folders?|stains?|apps?|accounts?|photos?|pictures?|"
    r"background|lines?|words?|paragraphs?|emails?|messages?|cookies|cache|history|spaces?|formatting|"
    r"watermark|virus|malware|programs?|software|extensions?|items?)\b)[\w'-]+(?:\s+[\w'-]+)?\s*(?:[,.!]|$)"
    # "算了，这个不要了，删掉吧": the one at hand
    r"|^.{0,12}?(?:这个|那个|这条|那条|它)(?:也|就)?(?:不要了|不用了|不需要了|删掉|删了|删除|撤了|撤掉|取消)",
    re.IGNORECASE,
)
#: "周报写完啦", "药吃过了", "搞定了": a to-do said to be done (a verb, its result, 了).
DONE_ZH = (
    r"(?:已经|已|都)?(?:完成|搞定|弄好|办好|做好|(?:写|做|办|交|吃|拿|取|收|付|缴|买|弄|洗|修|寄|还|充|打|看|"
    r"处理|打扫|收拾|发|回|提交)(?:完|好|过|到|掉)?)(?:了|啦|喽|咯|喇)"
)
#: "标记完成", "打个勾", "✅": the order to mark a to-do done.
MARK_ZH = (
    r"(?:标记|标为|标成|标上|设为|设成|改为|改成)(?:一下)?(?:为|成)?(?:已)?(?:完成|做完|搞定|办完|done)"
    r"|打(?:个|上|一个)?(?:勾|钩|✓|√)|勾(?:掉|上|选)|划掉|[✅☑✔]"
)
#: "这个做完了", "复查做完了", "搞定了": the whole message says a to-do is done (not "我吃过了",
#: a question, or a story with more in it).
_DONE_ALONE = re.compile(
    rf"^\s*(?:这个|那个|这件事|那件事|这事|那事|它|[^，,。！!？?\s我你他她]{{1,8}}?)?(?:{DONE_ZH})[！!。~～\s]*$"
)
#: "Mark the shopping as done", "把买菜标记为完成": the order itself names a to-do.
_MARK_DONE = re.compile(
    r"^\s*(?:please\s+)?(?:mark|tick off|check off|cross off)\b"
    r"|\b(?:mark|tick|check|cross)\s+(?:it|that|this|them)\b"
    r"|\b(?:that|this|it)(?: one)?(?:'s| is) (?:done|finished|complete|sorted)\b"
    r"|^(?:请|帮我)?(?:把|将)[^，。]{1,20}(?:标记|标为|设为|设成)(?:为|成)?(?:已)?(?:完成|做完|搞定)|勾掉|划掉"
    # "报告已经交了，帮我标记完成": the to-do is named before the order
    r"|(?:已经|已)[^，。]{0,8}(?:办完|做完|完成|交了|付了|买了|弄好|搞定)了?[，,][^，。]{0,4}(?:标记|勾)"
    r"|^\W*(?:all\s+|it'?s\s+)?(?:done|finished|completed|did it|sorted)\W*$"
    rf"|{MARK_ZH}",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'?ve|i'?d|me|my|mine|we|our|us)\b|我", re.IGNORECASE)
_ACTS_ON_AGENDA = ("cancel", "move", "complete")
_ADDS = ("add_reminder", "add_event")


#: Asking about words rather than giving an order: "Translate 'remind me tomorrow at noon' into
#: Spanish", "what does 'snooze' mean?".
_ABOUT_WORDS = re.compile(
    r"^\s*(?:(?:can|could) you\s+)?(?:please\s+)?"
    r"(?:translate|how do (?:you|i) say|proofread|rephrase|spell)\b"
    r"|^\s*what does\b.{1,80}\bmean\b",
    re.IGNORECASE,
)
#: "我今晚要提前半小时下班", "会议推迟了一天，真烦": one's own plan, or news of a change, with
#: no order in it (把/将, 帮我, 请, 吧) to move anything.
_MOVE_NEWS = re.compile(
    r"^[^，。]{0,4}我[^，。]{0,6}(?:要|得|想|会|打算|准备|需要|可能)[^，。]{0,8}(?:提前|提早|推迟|延后|晚|早)"
    r"|(?:推迟|延后|推后|延迟|提前|改|挪|推)了(?![^。]{0,20}(?:吧|改到|改成|改在|挪到|移到|换到|调到))"
)
_ORDER_ZH = re.compile(r"把|将|帮我|请|麻烦|给我")
_OTHERS_DID = re.compile(r"\s*(?:他|她|他们|她们|对方|人家)")


def allowed(intent: str, text: str, has_time: bool, score: float) -> bool:
    """Whether ``intent`` may stand for ``text`` at all (its cues scored ``score``)."""
    if _ABOUT_WORDS.search(text):
        return False
    if intent == "move" and _MOVE_NEWS.search(text) and not _ORDER_ZH.search(text):
        return False
    if intent in _ACTS_ON_AGENDA and _OTHERS_DID.match(text) and not _ORDER_ZH.search(text):
        return False  # "他取消了明天的会议": news of what someone else did
    if intent in _ACTS_ON_AGENDA:
        return _names_agenda(text, intent, has_time)
    if intent == "add_event" and score < 3:  # "Schedule is tight this week…": no thing, no time
        return has_time and bool(_AGENDA_THING.search(text)) and not _INFO_QUESTION.search(text)
    if intent == "list_agenda":  # "what's on the menu" is not about the agenda
        return has_time or bool(_AGENDA_ITSELF.search(text) or _PERIOD.search(text)) or _asks_free(text)
    if intent == "search_facts":
        return bool(_FIRST_PERSON.search(text))
    return True


def _names_agenda(text: str, intent: str, has_time: bool) -> bool:
    if _INFO_QUESTION.search(text):
        return False
    if _AGENDA_THING.search(text) or _CANCEL_ORDER.search(text):
        return True
    if intent == "complete" and (_MARK_DONE.search(text) or _DONE_ALONE.match(text)):
        return True
    # "Move the dentist to Friday": the thing is named by its title, the time says where to.
    return intent == "move" and has_time


#: A request to work on some words ("把“下周一开会”翻译成英文", "translate 'see you Friday at 3'"):
#: the times and verbs in those words are material, not an order, unless one came before it
#: ("提醒我明天把报告翻译成英文").
_TEXT_TASK = re.compile(
    r"翻译|译成|译为|(?:用|的)(?:英文|英语|中文|日语|日文)(?:怎么)?(?:说|讲|表达|写)|(?:是)?什么意思|润色|改写"
    r"|\b(?:translate|rephrase|proofread|paraphrase)\b|\bhow (?:do you|do i|to) say\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|『[^』]*』|\"[^\"]*\"")
_ORDER_BEFORE = re.compile(
    r"提醒|记得|别忘|不要忘|日程|日历|\bremind|\bdon'?t (?:let me )?forget|\bcalendar|\bschedule",
    re.IGNORECASE,
)


def is_text_task(text: str) -> bool:
    """Whether ``text`` asks to translate, explain or rewrite words rather than to act on them."""
    plain = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    task = _TEXT_TASK.search(plain)
    return task is not None and not _ORDER_BEFORE.search(plain[: task.start()])


#: Days said as a period ("this week", "周末"): a time for an agenda question.
_PERIOD = re.compile(
    r"\bmy (?:day|week|weekend)\b"
    r"|\b(?:this|next|the) (?:week|weekend|month)\b|\bweekend\b|(?:这|本|下)(?:个)?(?:周|星期|礼拜|月)|周末",
    re.IGNORECASE,
)
_FREE = re.compile(
    r"\b(?:am i|are we) (?:free|busy|available|double[- ]booked)\b|^\s*(?:busy|free)\b[^.?!]{0,25}\?\s*$"
    r"|有空|没空|忙不忙|忙吗",
    re.IGNORECASE,
)


#: "When is my dentist appointment?": a question about the agenda that names no day.
WHEN_IS = re.compile(
    r"\bwhen(?:'s| is| are) (?:my|the) (?:next )?[\w' -]{0,30}?\b(?:appointment|meeting|call|class|lesson|"
    r"interview|reminder|check-?up|session|dentist|doctor|flight|party)s?\b",
    re.IGNORECASE,
)


def _asks_free(text: str) -> bool:
    return bool(_FREE.search(text) or WHEN_IS.search(text))
