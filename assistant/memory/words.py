"""Words for keyword search, in English and Chinese alike.

Chinese is written without spaces, so an FTS5 tokenizer cannot find its words: trigram windows
of a Chinese question ("大模型", "模型微", "型微调" ...) match nearly every passage of a corpus
about large models and drown the one rare, decisive term. Text is therefore segmented into
words before it reaches the ``search_words`` table (unicode61 over space-joined words, ranked
with bm25, so rare words dominate), and a question is segmented the same way.

The segmenter is jieba's dictionary and algorithm through rjieba (the jieba-rs binding): it
loads in ~0.1 s instead of jieba's ~1 s, segments ~10 MB/s instead of ~0.4 MB/s, prints
nothing and writes no cache file. It is imported on first use of Chinese text only, so an
English search never pays for it. Text of any size is segmented in bounded pieces.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)

#: Text is segmented in pieces of at most this many characters (a 50 MB line of Chinese
#: costs bounded memory per piece; a word cut at a piece boundary is a rare, harmless loss).
PIECE_CHARS = 4096
#: Han ideographs (CJK unified, extension A, compatibility) and the CJK symbols block.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Any CJK script: Han, kana, Hangul, CJK punctuation (a question's language, its snippets).
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LETTER_OR_DIGIT = re.compile(r"\w", re.UNICODE)
_LATIN_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)

#: English words that match nearly everything and say nothing about the topic.
STOP_EN = frozenset(
    "a an the and or for are but not no you your with this that these those what when where which "
    "who whom how why was were is be am to of in on at by as it its it's i me my we us our i'm i've "
    "have has had can could would should will shall do does did doing done been being also just "
    "very more most some any all please tell know say said get got make made like one two now new "
    "use used way may see want need much many well good thing things something anything about from "
    "into than then them they their there out so if too only".split()
)
#: Chinese function words and question words (jieba's words, simplified and traditional).
STOP_ZH = frozenset(
    "的 了 着 过 是 在 和 与 及 或 也 都 就 而 并 吗 呢 吧 啊 呀 嘛 么 我 你 您 他 她 它 我们 你们 "
    "他们 她们 它们 这 那 这个 那个 这些 那些 这里 那里 什么 怎么 怎样 怎么样 如何 哪 哪些 哪个 哪里 "
    "为什么 为何 是否 是不是 有没有 有 没有 一个 一些 一种 请 请问 告诉 关于 中 里 上 下 对 把 被 给 "
    "让 从 到 为 以 之 其 所 等 能 会 可以 能否 可 谁 多少 几 还 又 再 很 最 更 吧 呢 个 说 讲 提到 "
    "哪篇 文章 一下 以及 还是 或者 而且 但是 因为 所以 如果 那么 的话 之间 之后 之前 時 們 這 這個 "
    "那個 甚麼 什麼 怎麼 為什麼 為 與 個 嗎 還 對 從 會 說 裡".split()
)
STOP_WORDS = STOP_EN | STOP_ZH

_lock = threading.Lock()
_cut_for_search: Callable[[str], list[str]] | None = None
_cut: Callable[[str], list[str]] | None = None


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def cjk_share(text: str) -> float:
    """The share of CJK characters among the letters and digits of ``text`` (0..1)."""
    letters = _LETTER_OR_DIGIT.findall(text)
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _CJK.match(ch)) / len(letters)


def _load() -> None:
    """Import rjieba once (its dictionary is compiled in: nothing printed, no cache file)."""
    global _cut, _cut_for_search
    with _lock:
        if _cut is not None:
            return
        try:
            import rjieba

            _cut_for_search, _cut = rjieba.cut_for_search, rjieba.cut
        except Exception as exc:  # a broken install degrades to one word per character
            log.warning("Chinese word segmentation unavailable (%s): single characters used", exc)
            _cut_for_search = _cut = _characters


_HAN_OR_RUN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\s]+"
)


def _characters(text: str) -> list[str]:
    """Fallback segmentation: each Han character a word, other runs whole."""
    return _HAN_OR_RUN.findall(text)


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[str]:
    """``text`` in pieces of at most ``size`` characters, cut after punctuation or a space
    near the end of each piece when there is one."""
    start, n = 0, len(text)
    while start < n:
        end = min(start + size, n)
        if end < n:
            window = text[end - size // 4 : end]
            cut = max((window.rfind(c) for c in " \n。！？；，、.!?;,"), default=-1)
            if cut >= 0:
                end = end - size // 4 + cut + 1
        yield text[start:end]
        start = end


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def _split(text: str, cut: Callable[[str], list[str]]) -> Iterator[str]:
    """Han runs through the segmenter; everything else (Latin, kana, Hangul, punctuation)
    as it is: unicode61 splits it at spaces and punctuation."""
    for piece in pieces(text):
        last = 0
        for run in _HAN_RUN.finditer(piece):
            yield piece[last : run.start()]
            yield from cut(run.group())
            last = run.end()
        yield piece[last:]


def segment_for_index(text: str) -> str:
    """Space-joined words of ``text`` for the ``search_words`` FTS5 table (unicode61).

    Chinese runs get jieba's search-engine segmentation (the whole word and its sub-words:
    "中华人民共和国" also indexes "共和国"), so a question's precise words all find it."""
    text = normalise(text or "")
    if not _HAN.search(text):
        return text
    _load()
    assert _cut_for_search is not None
    return " ".join(_split(text, _cut_for_search))


def sql_segment(value: object) -> str:
    """``segment_for_index`` as an SQLite function: never raises (a write must not fail
    because a word could not be found)."""
    try:
        return segment_for_index("" if value is None else str(value))
    except Exception:  # pragma: no cover - defensive: fall back to the text itself
        log.exception("segmenting failed")
        return normalise(str(value))


def query_words(query: str, limit: int = 32) -> list[str]:
    """The words of a question worth matching: segmented, lower-cased, in order, without
    duplicates or stop words (English or Chinese). Latin terms inside a Chinese question stay
    whole ("LoRA", "ChatGPT-4o"). At most ``limit`` words (a 10 000-character paste)."""
    text = normalise(query or "")[: PIECE_CHARS * 4]
    if _HAN.search(text):
        _load()
        assert _cut is not None
        text = " ".join(_split(text, _cut))
    seen: dict[str, None] = {}
    for word in _LATIN_WORD.findall(text):
        if word and word not in STOP_WORDS and word not in seen:
            seen[word] = None
            if len(seen) >= limit:
                break
    return list(seen)


#: Words of a Chinese question that ask rather than name what is asked about.
ASKING_ZH = frozenset("应该 需要 要 得 哪路 哪家 哪天 哪儿 几点 几号 几路 是不是 记得".split())


def meaningful_words(query: str) -> list[str]:
    """The question's words that say what it is about: Chinese ones of 2+ characters, others of
    3+ (numbers of any length), without asking words (应该, 哪路 ...)."""
    return [
        t for t in query_words(query)
        if (len(t) >= (2 if has_cjk(t) else 3) or t.isdigit())
        and t not in ASKING_ZH and not t.startswith("哪")
    ]


def match_expression(words: list[str]) -> str:
    """An FTS5 MATCH expression for ``search_words``: any of the words, each a quoted string
    (so operator syntax in a question is only text)."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
