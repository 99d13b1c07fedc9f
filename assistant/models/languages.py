"""Whether a model can write Chinese, from its GGUF metadata (never from its file name).

Three signals, strongest first:

1. The vocabulary: how many of its tokens decode to Han characters. A model trained on Chinese
   has thousands (Qwen2.5: ~25k of 151k); one that was not has a handful that leaked in with
   web text (the starter SmolLM2-135M: 80 of 49 152). GPT-2-style byte-level BPE spells each
   token in printable stand-ins for bytes, so those are mapped back to bytes first.
2. ``general.languages`` when the converter wrote it ("en" alone for SmolLM2).
3. The architecture, for a vocabulary that cannot be read: families trained on Chinese first.

The vocabulary walk is bounded like ``gguf_header`` (the same cursor) and cached per file.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.models.gguf_header import ARRAY, MAGIC, STRING, GGUFError, _Cursor, _value

#: Han tokens in a vocabulary that marks a model trained on Chinese (see the module doc).
MIN_HAN_TOKENS = 2000
MIN_HAN_SHARE = 0.03
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Architectures whose released models are trained on Chinese first (used only when the
#: vocabulary cannot be read).
CHINESE_FAMILIES = frozenset(
    {"qwen", "qwen2", "qwen2moe", "qwen2vl", "qwen3", "qwen3moe", "chatglm", "glm4", "internlm2",
     "baichuan", "deepseek2", "minicpm", "minicpm3", "orion", "hunyuan-moe", "ernie4_5", "bailingmoe"}
)
_ZH_NAMES = {"zh", "zho", "chi", "chinese", "zh-cn", "zh-hans", "zh_cn", "cmn"}
TOKENS_KEY = "tokenizer.ggml.tokens"


@dataclass(frozen=True)
class Vocabulary:
    size: int
    han_tokens: int

    @property
    def han_share(self) -> float:
        return self.han_tokens / self.size if self.size else 0.0

    @property
    def speaks_chinese(self) -> bool:
        return self.han_tokens >= MIN_HAN_TOKENS or self.han_share >= MIN_HAN_SHARE


@dataclass(frozen=True)
class ChineseSupport:
    able: bool | None  # None: nothing to go on (a remote server, an unreadable file)
    reason: str  # "vocabulary" | "languages" | "architecture" | "unknown"


def _byte_decoder() -> dict[str, int]:
    """GPT-2's printable stand-ins for bytes, reversed."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1),
                 *range(ord("®"), ord("ÿ") + 1)]
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


_BYTES = _byte_decoder()


def _text_of(token: str, byte_level: bool) -> str:
    if not byte_level:
        return token
    try:
        return bytes(_BYTES[ch] for ch in token).decode("utf-8", errors="ignore")
    except KeyError:  # an added token written as plain text
        return token


def count_han(tokens: list[str], byte_level: bool) -> Vocabulary:
    return Vocabulary(len(tokens), sum(1 for t in tokens if _HAN.search(_text_of(t, byte_level))))


def read_vocabulary(path: Path) -> Vocabulary | None:
    """The vocabulary's size and Han tokens, or None when the file has none or cannot be read."""
    path = Path(path)
    try:
        info = path.stat()
        return _cached_vocabulary(str(path), info.st_size, info.st_mtime_ns)
    except (OSError, GGUFError):
        return None


@lru_cache(maxsize=16)
def _cached_vocabulary(path: str, size: int, _mtime: int) -> Vocabulary | None:
    with open(path, "rb") as handle:
        if handle.read(4) != MAGIC or size < 24:
            return None
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            try:
                return _walk(_Cursor(buf, size))
            except (ValueError, UnicodeError, OverflowError):
                return None


def _walk(cur: _Cursor) -> Vocabulary | None:
    cur.pos = 8
    cur.unpack("<Q", 8)  # tensor count
    kv_count = cur.unpack("<Q", 8)
    if kv_count > 1_000_000:
        return None
    byte_level = True
    tokens: list[str] | None = None
    for _ in range(kv_count):
        key = cur.string()
        vtype = cur.unpack("<I", 4)
        if key == TOKENS_KEY and vtype == ARRAY:
            tokens = _strings(cur)
        else:
            value = _value(cur, vtype)
            if key == "tokenizer.ggml.model":
                byte_level = value == "gpt2"
    return count_han(tokens, byte_level) if tokens else None


def _strings(cur: _Cursor) -> list[str] | None:
    item_type = cur.unpack("<I", 4)
    count = cur.unpack("<Q", 8)
    if item_type != STRING or count > cur.size:
        return None
    cur.count_items(count)
    return [cur.value_string() for _ in range(count)]


def chinese_support(metadata: dict[str, Any], vocabulary: Vocabulary | None) -> ChineseSupport:
    """The decision from what the header says (see the module doc for the order)."""
    languages = metadata.get("general.languages")
    named = [str(x).strip().lower() for x in languages] if isinstance(languages, list) else []
    if vocabulary is not None and vocabulary.speaks_chinese:
        return ChineseSupport(True, "vocabulary")
    if any(name in _ZH_NAMES or name.startswith("zh") for name in named):
        return ChineseSupport(True, "languages")
    if vocabulary is not None:
        return ChineseSupport(False, "vocabulary")
    if named:
        return ChineseSupport(False, "languages")
    architecture = str(metadata.get("general.architecture", "")).lower()
    if architecture:
        return ChineseSupport(architecture in CHINESE_FAMILIES, "architecture")
    return ChineseSupport(None, "unknown")


def model_chinese_support(path: Path) -> ChineseSupport:
    """For a GGUF file: its header and its vocabulary."""
    from assistant.models.gguf_header import read_header

    try:
        header = read_header(Path(path))
    except GGUFError:
        return ChineseSupport(None, "unknown")
    return chinese_support(header.metadata, read_vocabulary(Path(path)))
