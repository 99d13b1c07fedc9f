"""A bounded, fast reader for GGUF headers.

``gguf.GGUFReader`` parses every tokenizer array into numpy objects (1.8 s for the starter
model); the app needs the scalars and a damage check in milliseconds, and must survive
hostile files. Every length is checked against the file size before it is trusted.
"""

from __future__ import annotations

import math
import mmap
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
MAX_COUNT = 10_000_000  # more tensors or keys than any real model: a damaged header
MAX_DIMS = 8
#: Arrays of arrays deeper than this are damage (llama.cpp itself refuses nested arrays); the
#: limit keeps a file of thousands of nested one-element arrays from exhausting the stack.
MAX_DEPTH = 4
#: The GGUF specification caps keys at 65 535 bytes; tensor names are far shorter still.
MAX_NAME = 65_535
#: Longer string values are skipped, not decoded, so a hostile header cannot make us copy gigabytes.
KEEP_STRING_MAX = 1 << 20
#: Keys, tensors and array strings walked in one header. The largest real vocabularies need
#: about a million; this keeps a multi-gigabyte file of tiny entries from taking minutes.
MAX_ITEMS = 8_000_000
SCALARS: dict[int, tuple[str, int]] = {
    0: ("<B", 1), 1: ("<b", 1), 2: ("<H", 2), 3: ("<h", 2), 4: ("<I", 4), 5: ("<i", 4),
    6: ("<f", 4), 7: ("<?", 1), 10: ("<Q", 8), 11: ("<q", 8), 12: ("<d", 8),
}
STRING, ARRAY = 8, 9
#: Arrays longer than this are skipped, not kept (tokenizer vocabularies).
KEEP_ARRAY_MAX = 64


class GGUFError(ValueError):
    """The file is not a usable GGUF model; the message is for the user."""

    def __init__(self, message: str, kind: str = "model_invalid") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class GGUFHeader:
    path: Path
    version: int
    file_size: int
    tensor_count: int
    metadata: dict[str, Any] = field(default_factory=dict)
    data_end: int = 0
    n_params: int = 0
    tensor_types: dict[str, int] = field(default_factory=dict)
    #: Bytes of weights per transformer block ("blk.N.*"), and of everything else.
    layer_bytes: dict[int, int] = field(default_factory=dict)
    other_bytes: int = 0

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", ""))

    @property
    def context_length(self) -> int:
        return self.arch_int("context_length")

    @property
    def block_count(self) -> int:
        return self.arch_int("block_count")

    def arch_int(self, key: str, default: int = 0) -> int:
        return as_int(self.metadata.get(f"{self.architecture}.{key}"), default)

    @property
    def file_type(self) -> str:
        """Quantisation name from ``general.file_type`` (e.g. Q4_K_M), or "" if unknown."""
        from gguf.constants import LlamaFileType

        value = as_int(self.metadata.get("general.file_type"), -1)
        try:
            return LlamaFileType(value).name.replace("MOSTLY_", "")
        except ValueError:
            return ""

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) else None


def as_int(value: Any, default: int = 0) -> int:
    """A metadata number as an int; anything else (a string, NaN, a list) gives ``default``.
    Header values are untrusted: a key may hold any type the file's author chose."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    if isinstance(value, float) and not math.isfinite(value):
        return default
    return int(value)


class _Cursor:
    def __init__(self, buf: mmap.mmap, size: int) -> None:
        self.buf, self.size, self.pos = buf, size, 0
        self.items = 0

    def count_items(self, n: int) -> None:
        self.items += n
        if self.items > MAX_ITEMS:
            raise GGUFError("The model file is damaged (far more header entries than any real model).")

    def need(self, n: int) -> None:
        if n < 0 or self.pos + n > self.size:
            raise GGUFError("The model file is truncated or damaged (header runs past the end).")

    def unpack(self, fmt: str, n: int) -> Any:
        self.need(n)
        value = struct.unpack_from(fmt, self.buf, self.pos)[0]
        self.pos += n
        return value

    def string(self, limit: int = MAX_NAME) -> str:
        """A key or name; longer than ``limit`` bytes is damage."""
        length = self.unpack("<Q", 8)
        if length > limit:
            raise GGUFError("The model file is damaged (a key or tensor name is absurdly long).")
        self.need(length)
        raw = self.buf[self.pos : self.pos + length]
        self.pos += length
        return raw.decode("utf-8", errors="replace")

    def value_string(self) -> str:
        """A string value: kept when short, else skipped and summarised (like long arrays)."""
        length = self.unpack("<Q", 8)
        self.need(length)
        if length > KEEP_STRING_MAX:
            self.pos += length
            return f"<string of {length} bytes>"
        raw = self.buf[self.pos : self.pos + length]
        self.pos += length
        return raw.decode("utf-8", errors="replace")

    def skip_string(self) -> None:
        length = self.unpack("<Q", 8)
        self.need(length)
        self.pos += length


def _value(cur: _Cursor, vtype: int, depth: int = 0) -> Any:
    if vtype in SCALARS:
        fmt, n = SCALARS[vtype]
        return cur.unpack(fmt, n)
    if vtype == STRING:
        return cur.value_string()
    if vtype == ARRAY:
        if depth >= MAX_DEPTH:
            raise GGUFError("The model file is damaged (arrays nested too deeply).")
        item_type = cur.unpack("<I", 4)
        count = cur.unpack("<Q", 8)
        if count > cur.size:
            raise GGUFError("The model file is damaged (an array is longer than the file).")
        if count <= KEEP_ARRAY_MAX:
            cur.count_items(count)
            return [_value(cur, item_type, depth + 1) for _ in range(count)]
        if item_type in SCALARS:
            cur.need(SCALARS[item_type][1] * count)
            cur.pos += SCALARS[item_type][1] * count
        elif item_type == STRING:
            cur.count_items(count)
            for _ in range(count):
                cur.skip_string()
        else:
            raise GGUFError("The model file is damaged (unsupported nested array).")
        return f"<array of {count}>"
    raise GGUFError(f"The model file is damaged (unknown value type {vtype}).")


def read_header(path: Path) -> GGUFHeader:
    """Parse and sanity-check a GGUF header without loading any weights."""
    path = Path(path)
    try:
        info = path.stat()
        # A FIFO or device named *.gguf would block open() or read forever.
        if not stat.S_ISREG(info.st_mode):
            raise GGUFError(f"{path.name} is not a regular file, so it is not a model.")
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise GGUFError(f"The model file {path} does not exist.", "model_missing") from exc
    except OSError as exc:
        raise GGUFError(f"The model file {path} cannot be read: {exc.strerror}.", "model_missing") from exc
    with handle:
        return _read_open(path, handle, info.st_size)


def _read_open(path: Path, handle: Any, size: int) -> GGUFHeader:
    try:
        head = handle.read(4)
        if head != MAGIC:
            raise GGUFError(_not_gguf_message(path, head))
        if size < 24:
            raise GGUFError("The model file is truncated (shorter than a GGUF header).")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            return _parse(path, _Cursor(buf, size))
    except GGUFError:
        raise
    # The checks above and in _parse should leave nothing else; this net keeps the promise
    # that a hostile file only ever produces the reader's own error (one bad file in the
    # models folder must not stop the Models page from listing the others).
    except (ValueError, TypeError, ArithmeticError, LookupError, RecursionError, MemoryError,
            OSError, struct.error) as exc:
        raise GGUFError(f"The model file is damaged ({type(exc).__name__}: {exc}).") from exc


def _not_gguf_message(path: Path, head: bytes) -> str:
    if head[:2] == b"PK" or head[:1] == b"\x80" or path.suffix.lower() in {".bin", ".pt", ".pth", ".pkl"}:
        return (
            f"{path.name} is a PyTorch/pickle file, not a GGUF model. It was not opened "
            "(pickle files can run code). Download the GGUF version of this model."
        )
    return f"{path.name} is not a GGUF model file (it does not start with the GGUF signature)."


def _parse(path: Path, cur: _Cursor) -> GGUFHeader:
    cur.pos = 4
    version = cur.unpack("<I", 4)
    if version not in SUPPORTED_VERSIONS:
        raise GGUFError(f"GGUF version {version} is not supported (this app reads versions 2 and 3).")
    tensor_count = cur.unpack("<Q", 8)
    kv_count = cur.unpack("<Q", 8)
    if tensor_count > MAX_COUNT or kv_count > MAX_COUNT:
        raise GGUFError("The model file is damaged (impossible tensor or metadata count).")
    header = GGUFHeader(path, version, cur.size, tensor_count)
    cur.count_items(kv_count + tensor_count)
    for _ in range(kv_count):
        key = cur.string()
        header.metadata[key] = _value(cur, cur.unpack("<I", 4))
    _read_tensors(cur, header)
    if header.data_end > cur.size:
        missing = header.data_end - cur.size
        raise GGUFError(
            f"The model file is truncated: {missing:,} bytes of weights are missing. "
            "The download was probably interrupted; download it again."
        )
    return header


def _read_tensors(cur: _Cursor, header: GGUFHeader) -> None:
    ends: list[int] = []
    for _ in range(header.tensor_count):
        name = cur.string()
        n_dims = cur.unpack("<I", 4)
        if n_dims > MAX_DIMS:
            raise GGUFError("The model file is damaged (a tensor has too many dimensions).")
        elements = 1
        for _ in range(n_dims):
            elements *= cur.unpack("<Q", 8)
        ggml_type = cur.unpack("<I", 4)
        offset = cur.unpack("<Q", 8)
        n_bytes = _tensor_bytes(ggml_type, elements)
        ends.append(offset + n_bytes)
        header.n_params += elements
        layer = _layer_index(name)
        if layer is None:
            header.other_bytes += n_bytes
        else:
            header.layer_bytes[layer] = header.layer_bytes.get(layer, 0) + n_bytes
        header.tensor_types[str(ggml_type)] = header.tensor_types.get(str(ggml_type), 0) + 1
    alignment = _alignment(header.metadata.get("general.alignment", 32))
    data_start = (cur.pos + alignment - 1) // alignment * alignment
    header.data_end = data_start + (max(ends) if ends else 0)


def _alignment(value: Any) -> int:
    """``general.alignment`` must be a positive power of two, as llama.cpp requires."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value & (value - 1):
        shown = str(value)[:40]
        raise GGUFError(f"The model file is damaged (general.alignment {shown!r} is not a power of two).")
    return value


def _layer_index(name: str) -> int | None:
    if not name.startswith("blk."):
        return None
    head = name[4:].split(".", 1)[0]
    # isdigit() alone accepts "²" and 5 000-digit runs, which int() rejects.
    return int(head) if head.isascii() and head.isdigit() and len(head) <= 9 else None


def _tensor_bytes(ggml_type: int, elements: int) -> int:
    try:
        block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
    except (ValueError, KeyError) as exc:
        raise GGUFError(f"The model file uses an unknown tensor type ({ggml_type}).") from exc
    return elements // block * type_size
