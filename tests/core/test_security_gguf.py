"""Hostile GGUF headers: every parsing failure is the reader's own GGUFError, and one bad file
never stops the Models page from listing the others.

The fuzzer mutates the starter model's real header. To keep a run to a few seconds it works on
a "slim" copy: the same metadata keys and all 272 tensor records, but the three tokenizer
arrays cut to 80 entries (still past KEEP_ARRAY_MAX, so the skip path is exercised). The file
keeps the original size (sparse), so the tensor offsets stay consistent.
"""

from __future__ import annotations

import math
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core import Core
from assistant.engine.fake import ScriptedEngine
from assistant.models.fit import estimate
from assistant.models.gguf_header import KEEP_ARRAY_MAX, GGUFError, GGUFHeader, read_header
from assistant.models.library import describe, models_dir

SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
SLIM_ARRAY = KEEP_ARRAY_MAX + 16


# building headers ---------------------------------------------------------------------------
def gguf_string(text: bytes) -> bytes:
    return struct.pack("<Q", len(text)) + text


def kv(key: str, vtype: int, payload: bytes) -> bytes:
    return gguf_string(key.encode()) + struct.pack("<I", vtype) + payload


def gguf_file(path: Path, pairs: list[bytes], tensors: bytes = b"", n_tensors: int = 0) -> Path:
    body = b"GGUF" + struct.pack("<IQQ", 3, n_tensors, len(pairs)) + b"".join(pairs) + tensors
    path.write_bytes(body + b"\0" * 64)
    return path


def nested_arrays(depth: int) -> bytes:
    """``depth`` arrays, each holding one array, around one uint8."""
    return struct.pack("<IQ", 9, 1) * (depth - 1) + struct.pack("<IQ", 0, 1) + b"\x07"


@dataclass(frozen=True)
class Field:
    offset: int
    size: int
    kind: str  # version | count | length | type | scalar | dims | ggml_type | offset


class _Slimmer:
    """Walks a GGUF header, copying it with long arrays cut short, and records where every
    structural field lands in the copy (the places a fuzzer should aim at)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0
        self.out = bytearray()
        self.fields: list[Field] = []
        #: (start of the value type, end of the value) of each metadata pair, in the copy.
        self.values: list[tuple[int, int]] = []
        #: (start, end) of each tensor name's length and bytes, in the copy.
        self.names: list[tuple[int, int]] = []

    def take(self, fmt: str, kind: str) -> int:
        size = struct.calcsize(fmt)
        value = struct.unpack_from(fmt, self.data, self.pos)[0]
        self.fields.append(Field(len(self.out), size, kind))
        self.out += self.data[self.pos : self.pos + size]
        self.pos += size
        return value

    def string(self) -> None:
        length = self.take("<Q", "length")
        self.out += self.data[self.pos : self.pos + length]
        self.pos += length

    def value(self, vtype: int) -> None:
        if vtype in SCALAR_SIZES:
            self.take({1: "<B", 2: "<H", 4: "<I", 8: "<Q"}[SCALAR_SIZES[vtype]], "scalar")
        elif vtype == 8:
            self.string()
        else:
            self.array()

    def array(self) -> None:
        item_type = self.take("<I", "type")
        count = struct.unpack_from("<Q", self.data, self.pos)[0]
        kept = min(count, SLIM_ARRAY)
        self.fields.append(Field(len(self.out), 8, "count"))
        self.out += struct.pack("<Q", kept)
        self.pos += 8
        for index in range(count):
            mark, recorded = len(self.out), len(self.fields)
            self.value(item_type)
            if index >= kept:  # read past the rest of the original array, keep none of it
                del self.out[mark:]
                del self.fields[recorded:]

    def header(self) -> bytes:
        self.out += self.data[:4]
        self.pos = 4
        self.take("<I", "version")
        n_tensors = self.take("<Q", "count")
        n_kv = self.take("<Q", "count")
        for _ in range(n_kv):
            self.string()
            start = len(self.out)
            self.value(self.take("<I", "type"))
            self.values.append((start, len(self.out)))
        for _ in range(n_tensors):
            start = len(self.out)
            self.string()
            self.names.append((start, len(self.out)))
            for _ in range(self.take("<I", "dims")):
                self.take("<Q", "dims")
            self.take("<I", "ggml_type")
            self.take("<Q", "offset")
        return bytes(self.out)


@dataclass(frozen=True)
class Slim:
    header: bytes
    fields: list[Field]
    values: list[tuple[int, int]]
    names: list[tuple[int, int]]
    size: int  # of the real file: the copy is extended to it (sparse), so offsets stay valid


@pytest.fixture(scope="module")
def slim(starter: Path) -> Slim:
    with starter.open("rb") as handle:
        head = handle.read(4 << 20)
    slimmer = _Slimmer(head)
    header = slimmer.header()
    return Slim(header, slimmer.fields, slimmer.values, slimmer.names, starter.stat().st_size)


def write_sparse(path: Path, header: bytes, size: int) -> Path:
    path.write_bytes(header)
    os.truncate(path, max(size, len(header)))
    return path


def assert_handled(path: Path) -> GGUFHeader | None:
    """The reader's contract: a header, or GGUFError; and nothing derived from a header may
    raise either (the Models page and the GPU fit read these properties)."""
    try:
        header = read_header(path)
    except GGUFError as exc:
        assert str(exc)
        header = None
    if header is not None:
        assert isinstance(header.architecture, str) and isinstance(header.file_type, str)
        assert isinstance(header.context_length, int) and isinstance(header.block_count, int)
        assert header.chat_template is None or isinstance(header.chat_template, str)
        estimate(header, 4096)
    info = describe(path, "added")
    assert info.error or header is not None
    return header


# the cases named in the issue -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "pair"),
    [
        ("float", kv("general.alignment", 6, struct.pack("<f", 0.5))),
        ("nan", kv("general.alignment", 12, struct.pack("<d", math.nan))),
        ("string", kv("general.alignment", 8, gguf_string(b"thirty-two"))),
        ("zero", kv("general.alignment", 4, struct.pack("<I", 0))),
        ("not a power of two", kv("general.alignment", 4, struct.pack("<I", 24))),
        ("negative", kv("general.alignment", 5, struct.pack("<i", -32))),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_bad_alignment_is_a_gguf_error(tmp_path: Path, name: str, pair: bytes) -> None:
    path = gguf_file(tmp_path / "align.gguf", [pair])
    with pytest.raises(GGUFError, match="alignment"):
        read_header(path)


def test_thousands_of_nested_arrays_are_a_gguf_error(tmp_path: Path) -> None:
    path = gguf_file(tmp_path / "nest.gguf", [kv("deep", 9, nested_arrays(5000))])
    with pytest.raises(GGUFError, match="nested"):
        read_header(path)


def test_a_few_nested_arrays_still_read(tmp_path: Path) -> None:
    path = gguf_file(tmp_path / "nest.gguf", [kv("shallow", 9, nested_arrays(3))])
    assert read_header(path).metadata["shallow"] == [[[7]]]


# other hostile shapes ---------------------------------------------------------------------------
def test_absurdly_long_key_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "key.gguf"
    key = b"k" * 70_000
    gguf_file(path, [gguf_string(key) + struct.pack("<I", 4) + struct.pack("<I", 1)])
    with pytest.raises(GGUFError, match="long"):
        read_header(path)


def test_huge_string_value_is_skipped_not_decoded(tmp_path: Path) -> None:
    path = gguf_file(tmp_path / "big.gguf", [kv("general.name", 8, gguf_string(b"x" * (2 << 20)))])
    assert read_header(path).metadata["general.name"] == f"<string of {2 << 20} bytes>"


def test_unicode_digit_layer_name_is_not_a_crash(tmp_path: Path) -> None:
    # "²".isdigit() is True but int("²") raises ValueError.
    tensor = gguf_string("blk.².attn".encode()) + struct.pack("<IQIQ", 1, 8, 0, 0)
    path = gguf_file(tmp_path / "sq.gguf", [], tensor, n_tensors=1)
    header = read_header(path)
    assert header.layer_bytes == {} and header.other_bytes > 0


@pytest.mark.parametrize(
    "value",
    [(8, gguf_string(b"lots")), (12, struct.pack("<d", math.inf)), (9, struct.pack("<IQI", 4, 1, 5))],
    ids=["string", "infinity", "array"],
)
def test_metadata_numbers_of_the_wrong_type_read_as_unknown(tmp_path: Path, value: tuple[int, bytes]) -> None:
    pairs = [kv("general.architecture", 8, gguf_string(b"llama")), kv("llama.context_length", *value),
             kv("llama.block_count", *value), kv("general.file_type", *value)]
    header = read_header(gguf_file(tmp_path / "types.gguf", pairs))
    assert (header.context_length, header.block_count, header.file_type) == (0, 0, "")
    estimate(header, 4096)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_gguf_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.gguf"
    os.mkfifo(fifo)
    unblock = threading.Timer(3.0, _open_writer_end, [fifo])  # frees a reader stuck in open()
    unblock.start()
    try:
        with pytest.raises(GGUFError, match="regular file"):
            read_header(fifo)
    finally:
        unblock.cancel()


def _open_writer_end(fifo: Path) -> None:
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass  # nobody was blocked on it


def test_one_bad_file_does_not_stop_the_models_page(tmp_path: Path, starter: Path) -> None:
    folder = models_dir()
    folder.mkdir(parents=True)
    gguf_file(folder / "a-bad-alignment.gguf", [kv("general.alignment", 6, struct.pack("<f", 0.5))])
    gguf_file(folder / "b-nested.gguf", [kv("deep", 9, nested_arrays(5000))])
    gguf_file(folder / "c-string.gguf", [kv("general.alignment", 8, gguf_string(b"x"))])
    os.symlink(starter, folder / "d-good.gguf")
    core = Core.open(engine=ScriptedEngine(), path=tmp_path / "a.db")
    try:
        listed = {info.path.name: info for info in core.models.list()}
    finally:
        core.close()
    assert all(listed[name].error for name in ("a-bad-alignment.gguf", "b-nested.gguf", "c-string.gguf"))
    assert not listed["d-good.gguf"].error and listed["d-good.gguf"].architecture == "llama"


# fuzzing the starter's header ------------------------------------------------------------------
def test_the_slim_header_is_still_a_valid_model(tmp_path: Path, slim: Slim) -> None:
    header = assert_handled(write_sparse(tmp_path / "slim.gguf", slim.header, slim.size))
    assert header is not None and header.architecture == "llama" and header.tensor_count == 272
    assert len(slim.values) == len(header.metadata) and len(slim.names) == 272
    assert {f.kind for f in slim.fields} >= {"version", "count", "length", "type", "scalar", "dims", "offset"}


INTERESTING = [0, 1, 2, 3, 7, 8, 9, 12, 13, 24, 31, 63, 64, 65, 255, 4096, 2**31 - 1, 2**31, 2**32 - 1,
               2**32, 2**40, 2**62, 2**63, 2**64 - 1]
#: Keys the reader and its callers interpret, rather than just store.
KEYS = ["general.alignment", "general.architecture", "general.file_type", "general.name",
        "llama.context_length", "llama.block_count", "llama.embedding_length",
        "llama.attention.head_count", "llama.attention.head_count_kv", "tokenizer.chat_template"]
FORMATS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 7: "<?", 10: "<Q", 11: "<q"}


@st.composite
def typed_values(draw: st.DrawFn) -> bytes:
    """A value type and its payload: any scalar (NaN and infinity included), a string, an
    array whose declared count may lie, or arrays nested up to 6 000 deep."""
    kind = draw(st.sampled_from(["int", "int", "float", "string", "array", "nested"]))
    if kind == "int":
        vtype = draw(st.sampled_from(sorted(FORMATS)))
        fmt = FORMATS[vtype]
        bits = struct.calcsize(fmt) * 8
        low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if fmt.islower() else (0, 2**bits - 1)
        value: object = draw(st.integers(low, high)) if fmt != "<?" else draw(st.booleans())
        return struct.pack("<I", vtype) + struct.pack(fmt, value)
    if kind == "float":
        vtype = draw(st.sampled_from([6, 12]))
        number = draw(st.floats(width=32 if vtype == 6 else 64))
        return struct.pack("<I", vtype) + struct.pack("<f" if vtype == 6 else "<d", number)
    if kind == "string":
        return struct.pack("<I", 8) + gguf_string(draw(st.binary(max_size=40)))
    if kind == "nested":
        return struct.pack("<I", 9) + nested_arrays(draw(st.integers(1, 6000)))
    items = draw(st.lists(st.integers(0, 255), max_size=8))
    count = draw(st.sampled_from([len(items), len(items) + 1, 2**40]))
    return struct.pack("<IIQ", 9, 0, count) + bytes(items)


Edit = tuple[str, int, int, bytes]  # how, start, end, bytes


@st.composite
def structured_edits(draw: st.DrawFn, slim: Slim) -> list[Edit]:
    """Edits that keep the file parseable up to the edited spot: a metadata value retyped, a
    tensor renamed (layer names such as "blk.²"), or a new pair (general.alignment ...)."""
    edits: list[Edit] = []
    for _ in range(draw(st.integers(0, 2))):
        how = draw(st.sampled_from(["retype", "rename", "add"]))
        if how == "retype":
            start, end = draw(st.sampled_from(slim.values))
            edits.append(("splice", start, end, draw(typed_values())))
        elif how == "rename":
            start, end = draw(st.sampled_from(slim.names))
            layer_names = st.text(max_size=12).map(lambda text: "blk." + text)
            name = draw(st.sampled_from(["blk.", "blk.1", ""]) | layer_names)
            edits.append(("splice", start, end, gguf_string(name.encode("utf-8", "surrogatepass"))))
        else:
            key = draw(st.sampled_from(KEYS))
            edits.append(("add", 24, 24, gguf_string(key.encode()) + draw(typed_values())))
    return edits


@st.composite
def raw_edits(draw: st.DrawFn, slim: Slim) -> list[Edit]:
    """Edits that ignore the structure: a structural field set to an interesting or random
    value, random bytes overwritten or inserted, the header cut short."""
    edits: list[Edit] = []
    for _ in range(draw(st.integers(0, 3))):
        how = draw(st.sampled_from(["field", "field", "bytes", "insert", "cut"]))
        at = draw(st.integers(4, len(slim.header) - 1))
        if how == "field":
            field = draw(st.sampled_from(slim.fields))
            value = draw(st.sampled_from(INTERESTING) | st.integers(0, 2**64 - 1))
            raw = (value % 2 ** (8 * field.size)).to_bytes(field.size, "little")
            edits.append(("put", field.offset, field.offset + field.size, raw))
        elif how == "bytes":
            raw = draw(st.binary(min_size=1, max_size=8))
            edits.append(("put", at, at + len(raw), raw))
        elif how == "insert":
            edits.append(("splice", at, at, draw(st.binary(min_size=1, max_size=8))))
        else:
            edits.append(("cut", at, at, b""))
    return edits


def apply(blob: bytes, structured: list[Edit], raw: list[Edit]) -> bytes:
    """Structured edits from the end backwards (so earlier offsets stay valid), then raw ones."""
    data = bytearray(blob)
    for how, start, end, new in sorted(structured, key=lambda e: e[1], reverse=True):
        data[start:end] = new
        if how == "add":
            struct.pack_into("<Q", data, 16, struct.unpack_from("<Q", data, 16)[0] + 1)
    for how, start, end, new in raw:
        if how == "cut":
            del data[start:]
        else:
            data[start:end] = new
    return bytes(data)


def test_fuzz_mutated_starter_headers(tmp_path_factory: pytest.TempPathFactory, slim: Slim) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    outcomes = {"read": 0, "refused": 0}

    @settings(max_examples=400, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(structured_edits(slim), raw_edits(slim))
    def run(structured: list[Edit], raw: list[Edit]) -> None:
        path = write_sparse(folder / "fuzz.gguf", apply(slim.header, structured, raw), slim.size)
        outcomes["read" if assert_handled(path) is not None else "refused"] += 1

    run()
    # Both outcomes are common: the mutations reach the checks, and not only token text.
    assert outcomes["refused"] > 50 and outcomes["read"] > 50, outcomes


def test_fuzz_random_bytes_in_the_full_header(
    tmp_path_factory: pytest.TempPathFactory, starter: Path
) -> None:
    """Fewer examples (each parses ~100 000 tokenizer strings), aimed at the first 64 KiB,
    where the metadata and the start of the vocabulary are."""
    folder = tmp_path_factory.mktemp("fuzz-full")
    size = starter.stat().st_size
    with starter.open("rb") as handle:
        head = handle.read(4 << 20)
    edit = st.tuples(st.integers(4, 65_535), st.binary(min_size=1, max_size=8))

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(edit, min_size=1, max_size=6))
    def run(edits: list[tuple[int, bytes]]) -> None:
        data = bytearray(head)
        for at, raw in edits:
            data[at : at + len(raw)] = raw
        assert_handled(write_sparse(folder / "full.gguf", bytes(data), size))

    run()
