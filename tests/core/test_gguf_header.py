"""The GGUF header reader refuses damaged and hostile files before llama.cpp sees them."""

from __future__ import annotations

import pickle
import struct
from pathlib import Path

import pytest

from assistant.models.gguf_header import GGUFError, read_header


def header_bytes(
    kv: list[bytes], tensor_count: int = 0, kv_count: int | None = None, version: int = 3
) -> bytes:
    count = len(kv) if kv_count is None else kv_count
    return b"GGUF" + struct.pack("<IQQ", version, tensor_count, count) + b"".join(kv)


def gguf_string(text: bytes, length: int | None = None) -> bytes:
    return struct.pack("<Q", len(text) if length is None else length) + text


def test_reads_the_starter_model(starter: Path) -> None:
    header = read_header(starter)
    assert header.architecture == "llama"
    assert header.context_length == 8192
    assert header.chat_template and "im_start" in header.chat_template
    assert header.data_end == header.file_size
    assert 100_000_000 < header.n_params < 200_000_000


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GGUFError) as info:
        read_header(tmp_path / "nope.gguf")
    assert info.value.kind == "model_missing"
    assert "does not exist" in str(info.value)


def test_text_file_renamed(tmp_path: Path) -> None:
    path = tmp_path / "notes.gguf"
    path.write_text("these are my notes, not a model\n")
    with pytest.raises(GGUFError, match="not a GGUF model"):
        read_header(path)


def test_pickle_is_refused_not_unpickled(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    marker = tmp_path / "pwned"
    # A pickle that would create a file if it were ever loaded.
    payload = pickle.dumps(_Evil(str(marker)))
    path.write_bytes(payload)
    with pytest.raises(GGUFError, match="pickle"):
        read_header(path)
    assert not marker.exists()


class _Evil:
    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self):  # pragma: no cover - must never run
        return (open, (self.target, "w"))


def test_truncated_tail(tmp_path: Path, starter: Path) -> None:
    path = tmp_path / "cut.gguf"
    with starter.open("rb") as src, path.open("wb") as dst:
        dst.write(src.read(starter.stat().st_size // 2))
    with pytest.raises(GGUFError, match="truncated"):
        read_header(path)


def test_truncated_inside_header(tmp_path: Path, starter: Path) -> None:
    path = tmp_path / "cut.gguf"
    path.write_bytes(starter.read_bytes()[:5000])
    with pytest.raises(GGUFError, match=r"truncated|damaged"):
        read_header(path)


def test_bad_version(tmp_path: Path) -> None:
    path = tmp_path / "v9.gguf"
    path.write_bytes(header_bytes([], version=9) + b"\0" * 64)
    with pytest.raises(GGUFError, match="version 9"):
        read_header(path)


def test_absurd_counts(tmp_path: Path) -> None:
    path = tmp_path / "huge.gguf"
    path.write_bytes(header_bytes([], tensor_count=2**62, kv_count=2**62) + b"\0" * 64)
    with pytest.raises(GGUFError, match="impossible"):
        read_header(path)


def test_string_longer_than_file(tmp_path: Path) -> None:
    path = tmp_path / "liar.gguf"
    kv = gguf_string(b"general.name") + struct.pack("<I", 8) + gguf_string(b"x", length=2**40)
    path.write_bytes(header_bytes([kv]))
    with pytest.raises(GGUFError, match=r"truncated|damaged"):
        read_header(path)


def test_array_longer_than_file(tmp_path: Path) -> None:
    path = tmp_path / "arr.gguf"
    kv = gguf_string(b"tokens") + struct.pack("<IIQ", 9, 8, 2**50)
    path.write_bytes(header_bytes([kv]))
    with pytest.raises(GGUFError, match="damaged"):
        read_header(path)
