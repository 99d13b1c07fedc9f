"""Chinese: the pieces of a time inside a sentence ("后天" "下午" "三点半", "每月最后一天").

Each kind of piece is one pattern with bounded repeats (linear in the text); the pieces are
taken leftmost-longest without overlaps, then each fills one slot (day, part of the day, clock
time, offset, repeat). A second piece for a slot already filled belongs to the "what" and is
left there. ``when_zh_resolve`` turns the slots into a time with the scheduler's rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

N = r"[零〇一二两三四五六七八九十百千\d]"
WEEK = r"(?:周|星期|礼拜|禮拜)"
WD = r"[一二三四五六日天]"
_DAY_SUFFIX = rf"(?:\s?[（(]?{WEEK}{WD}[）)]?)?"
_DATE_BODY = rf"(?P<m>{N}{{1,2}})月(?:份)?(?P<d>{N}{{1,3}})(?:日|号|號|(?![\d点點时時:：]))"
_ONE_DAY = rf"{WD}(?![点點时時:：\d次回])"
_DAYS = rf"(?P<days>{WEEK}?{_ONE_DAY}(?:(?:[、，,和及与跟]|{WEEK}){{0,3}}{_ONE_DAY}){{0,6}})"
HOUR = r"(?:\d{1,2}|二十[一二三四]?|十[一二三四五六七八九]?|[零〇一二两三四五六七八九])"
MINUTE = r"(?:\d{1,2}|[二三四五]?十[一二三四五六七八九]?|[零〇]?[一二三四五六七八九])"
LATER = r"(?:往后|向后)(?:推迟?|挪|移|调|延)|推迟|延后|推后|延迟|顺延|晚"
EARLIER = r"(?:往前|向前)(?:推|挪|移|调)|提前|提早|早"
_PART = r"凌晨|清晨|早上|早晨|上午|中午|午后|下午|傍晚|晚上|夜里|夜间|晚间|半夜|深夜"
#: Holidays on a fixed Gregorian date (the lunar ones, 春节 and 中秋, move: not read here).
HOLIDAYS = {
    "元旦": (1, 1), "情人节": (2, 14), "妇女节": (3, 8), "三八节": (3, 8), "植树节": (3, 12),
    "愚人节": (4, 1), "劳动节": (5, 1), "五一劳动节": (5, 1), "青年节": (5, 4), "儿童节": (6, 1),
    "六一儿童节": (6, 1), "建党节": (7, 1), "建军节": (8, 1), "教师节": (9, 10), "国庆节": (10, 1),
    "国庆": (10, 1), "光棍节": (11, 11), "双十一": (11, 11), "双十二": (12, 12), "平安夜": (12, 24),
    "圣诞节": (12, 25), "圣诞": (12, 25),
}  # fmt: skip
HOLIDAY = rf"(?P<hol>{'|'.join(sorted(HOLIDAYS, key=len, reverse=True))})(?![树老礼帽歌卡])"
#: Places whose time people name ("东京时间下午3点") -> zoneinfo names.
ZONES = {
    "北京": "Asia/Shanghai", "上海": "Asia/Shanghai", "东京": "Asia/Tokyo", "首尔": "Asia/Seoul",
    "香港": "Asia/Hong_Kong", "台北": "Asia/Taipei", "新加坡": "Asia/Singapore", "曼谷": "Asia/Bangkok",
    "迪拜": "Asia/Dubai", "新德里": "Asia/Kolkata", "莫斯科": "Europe/Moscow", "伦敦": "Europe/London",
    "巴黎": "Europe/Paris", "柏林": "Europe/Berlin", "纽约": "America/New_York", "美东": "America/New_York",
    "美国东部": "America/New_York", "芝加哥": "America/Chicago", "洛杉矶": "America/Los_Angeles",
    "旧金山": "America/Los_Angeles", "美西": "America/Los_Angeles", "美国西部": "America/Los_Angeles",
    "太平洋": "America/Los_Angeles", "多伦多": "America/Toronto", "温哥华": "America/Vancouver",
    "悉尼": "Australia/Sydney", "墨尔本": "Australia/Melbourne", "UTC": "UTC", "格林尼治": "Europe/London",
}  # fmt: skip
_END_BODY = (
    rf"(?:(?P<y>{N}{{2,4}})年)?(?:{_DATE_BODY}{_DAY_SUFFIX}|(?P<um>{N}{{1,2}})月(?:底|末|份?结束)"
    r"|(?P<ur>本月|这个月|下个?月|月|今年|年)(?:底|末))"
)

#: (kind, pattern); the kind names the slot it fills (see ``SLOTS``).
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("too_often", re.compile(rf"每(?:隔)?(?:{N}{{1,3}})?(?:个)?秒(?:钟|鐘)?")),
    (
        "every_unit",
        re.compile(rf"每(?P<gap>隔)?(?P<n>{N}{{1,3}})?(?:个)?(?P<u>分钟|分鐘|小时|小時|钟头|個?钟头)"),
    ),
    (
        "workdays",
        re.compile(
            rf"每(?:个|個)?(?:工作日|周工作日)|工作日每天|每{WEEK}一(?:到|至){WEEK}?五|{WEEK}一(?:到|至){WEEK}?五每天"
            # "工作日早上七点半提醒我…": a time of the workdays is every workday's
            rf"|(?<![非除])工作日(?=(?:的)?(?:早上|早晨|上午|中午|下午|傍晚|晚上|凌晨|\d|[一二三四五六七八九十两]))"
        ),
    ),
    (
        "weekly",
        re.compile(
            rf"(?P<every>每隔|每逢|逢|每|隔)(?P<n>{N}{{1,2}})?(?:个|個)?{WEEK}(?:的)?(?:{_DAYS}|(?P<weekend>末))?"
        ),
    ),
    (
        "daily",
        re.compile(rf"(?P<every>每隔|每)(?P<n>{N}{{1,3}})?(?:个)?(?:天|日)(?!历)|(?P<night>每晚|每夜)"),
    ),
    ("month_last", re.compile(r"每(?:个|個)?月(?:的)?(?:最后一天|最后1天|月底|底)|每到月底")),
    (
        "month_nth",
        re.compile(rf"每(?:个|個)?月(?:的)?(?:第(?P<o>[一二三四1-4])|(?P<last>最后))一?个{WEEK}(?P<d>{WD})"),
    ),
    ("month_day", re.compile(rf"每(?:个|個)?月(?:的)?(?P<d>{N}{{1,3}})(?:号|號|日)")),
    ("monthly", re.compile(r"每(?:个|個)?月")),
    (
        "yearly",
        re.compile(rf"每年(?:的)?(?:(?P<m>{N}{{1,2}})月(?:份)?(?P<d>{N}{{1,3}})(?:日|号|號)?|{HOLIDAY})|每年"),
    ),
    ("zone", re.compile(rf"(?P<z>{'|'.join(ZONES)})(?:标准)?时间")),
    # "到…为止" needs its 为止: a bare 到 is also "move it to" (改到3月5号).
    (
        "until",
        re.compile(
            rf"(?:直到|直至|一直到|截至|截止到?|(?:坚持|持续|延续)到|到(?=[^，。,]{{1,12}}为止)){_END_BODY}(?:为止)?"
        ),
    ),
    (
        "for",
        re.compile(
            rf"(?:持续|为期|连续|坚持|接下来(?:的)?|未来(?:的)?)(?P<n>{N}{{1,3}}|半)(?:个)?(?P<u>天|日|周|星期|礼拜|月)"
        ),
    ),
    ("count", re.compile(rf"(?:共|一共|总共|重复)(?:提醒)?(?P<n>{N}{{1,4}})(?:次|遍)")),
    (
        "rel",
        re.compile(
            rf"(?<![\d零〇一二两三四五六七八九十百千])(?P<pre>再?过)?(?P<n>{N}{{1,7}}|半)(?:个|個)?(?P<half>半)?"
            r"(?P<u>分钟|分鐘|刻钟|刻鐘|分|小时|小時|钟头|天|日|周|星期|礼拜|个月|月)(?P<post>以后|之后|后|後)?"
        ),
    ),
    # "往后推一个小时", "提前一天": the time named is moved by that much (a move of a reminder
    # named by its time, or a reminder ahead of what it is about)
    (
        "shift",
        re.compile(
            rf"(?P<dir>{LATER}|{EARLIER})了?(?P<n>{N}{{1,3}}|半)(?:个|個)?(?P<half>半)?"
            r"(?P<u>分钟|分鐘|刻钟|刻鐘|刻|小时|小時|钟头|天|日|周|星期|礼拜)"
        ),
    ),
    # "这个月最后一天", "月底": a one-off on the month's last day (每月底 is the repeat above)
    (
        "month_end",
        re.compile(r"(?<![每个個])(?:(?P<mq>本|这个?|下个?)月(?:的)?(?:最后一天|最后1天|底|末)|月底|月末)"),
    ),
    ("date", re.compile(rf"(?:(?P<y>{N}{{2,4}}|今|明|后|去)年)?{_DATE_BODY}{_DAY_SUFFIX}")),
    (
        "day_of_month",
        re.compile(
            rf"(?<![月\d零〇一二两三四五六七八九十])(?P<mq>本月|这个月|这月|下个月|下月)?(?P<d>{N}{{1,3}})"
            r"(?:号|號)(?![楼樓线線床房门門车車位口])"
        ),
    ),
    ("holiday", re.compile(rf"(?:(?P<y>今|明|后|去)年(?:的)?)?{HOLIDAY}(?:那天|当天)?")),
    ("dayword", re.compile(r"大后天|后天|明天|明日|明早|明晚|明儿|今天|今日|今早|今晚|今儿|昨天|昨晚")),
    (
        "week",
        # "计划一下周末": the 下 of 一下 ("a bit") names no next week
        re.compile(rf"(?P<q>下下个|下下|下个|(?<!一)下|这个|这|本|上个|上)?{WEEK}(?P<d>{WD}|末)(?![点點时時:：\d])"),
    ),
    ("part", re.compile(rf"(?:{_PART})(?!好)")),
    (
        "clock",
        re.compile(
            rf"(?<!\d)(?P<h>{HOUR})(?:点|點|时|時)(?:钟|鐘)?"
            rf"(?:(?P<half>半)|(?P<q>一刻|三刻|1刻|3刻)|(?P<m>{MINUTE})分?|整)?"
        ),
    ),
    ("hhmm", re.compile(r"(?<![\d:：])(?P<h>[01]?\d|2[0-4])[:：](?P<m>[0-5]\d)(?![\d:：])")),
    (
        "ampm",
        re.compile(r"(?<![\d:])(?P<h>1[0-2]|0?[1-9])(?:[:：](?P<m>[0-5]\d))?\s?(?P<ap>[ap])\.?m\b\.?", re.I),
    ),
]
RECUR = {"too_often", "every_unit", "workdays", "weekly", "daily", "month_last", "month_nth", "month_day",
         "monthly", "yearly"}  # fmt: skip
SLOTS = {k: "recur" for k in RECUR} | {
    "until": "until",
    "for": "until",
    "count": "count",
    "zone": "zone",
    "rel": "rel",
    "shift": "shift",
    "date": "day",
    "month_end": "day",
    "day_of_month": "day",
    "dayword": "day",
    "holiday": "day",
    "week": "day",
    "part": "part",
    "clock": "clock",
    "hhmm": "clock",
    "ampm": "clock",
}
_NOT_CLOCK_BEFORE = set("快早晚多少慢大小好高低轻重长短近远有些这那")


@dataclass(frozen=True)
class Piece:
    kind: str
    match: re.Match[str]

    @property
    def span(self) -> tuple[int, int]:
        return self.match.span()

    def group(self, name: str) -> str | None:
        return self.match.groupdict().get(name)


@dataclass
class Slots:
    pieces: dict[str, Piece] = field(default_factory=dict)

    def spans(self) -> tuple[tuple[int, int], ...]:
        return tuple(sorted(p.span for p in self.pieces.values()))


def number(text: str) -> int:
    """Arabic or Chinese numerals (两, 〇, 十五, 二〇二七) -> int."""
    if text.isdigit():
        return int(text)
    import cn2an  # lazy: ~0.15 s to import, paid only when a Chinese numeral is first read

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError, TypeError) as exc:  # it raises more than ValueError
        raise ValueError(f"not a number: {text!r}") from exc


def pieces(text: str) -> list[Piece]:
    """All pieces, leftmost-longest, without overlaps."""
    found = [Piece(kind, m) for kind, pattern in PATTERNS for m in pattern.finditer(text)]
    found = [p for p in found if _plausible(p, text)]
    found.sort(key=lambda p: (p.span[0], p.span[0] - p.span[1]))
    kept: list[Piece] = []
    end = -1
    for piece in found:
        if piece.span[0] >= end:
            kept.append(piece)
            end = piece.span[1]
    return kept


def _plausible(piece: Piece, text: str) -> bool:
    """ "快一点" is "a bit faster", not one o'clock; "过" or "后" makes a count an offset."""
    start, end = piece.span
    if piece.kind == "clock" and piece.group("h") == "一" and end - start == 2:
        return not (start > 0 and text[start - 1] in _NOT_CLOCK_BEFORE) and text[end : end + 1] not in (
            "儿",
            "东",
        )
    if piece.kind == "rel":
        return bool(piece.group("pre") or piece.group("post"))
    if piece.kind == "weekly" and piece.group("every") == "隔" and piece.group("n"):
        return False
    return True


def slots(text: str) -> Slots:
    """The first piece for each slot; the pieces that would fill a slot twice are left out."""
    found = Slots()
    every = pieces(text)
    # "元旦要回她妈家，31号晚上提醒我…": a holiday is context beside another day or a repeat
    others = any(SLOTS[p.kind] in ("day", "recur") and p.kind != "holiday" for p in every)
    for piece in every:
        slot = SLOTS[piece.kind]
        if slot in found.pieces or (piece.kind == "holiday" and others):
            continue
        if (slot == "day" and "rel" in found.pieces) or (slot == "rel" and "day" in found.pieces):
            continue
        found.pieces[slot] = piece
    return found
