"""Make variants of the starter model for tests (same size template, so offsets stay valid)."""

from __future__ import annotations

import struct
from pathlib import Path

KEY = b"tokenizer.chat_template"


def with_chat_template(source: Path, target: Path, template: str) -> Path:
    """Copy ``source`` with its chat template replaced, padded to the original length."""
    data = source.read_bytes()
    at = data.index(KEY) + len(KEY)
    vtype, length = struct.unpack_from("<IQ", data, at)
    assert vtype == 8, "chat template is not a string"
    start = at + 12
    new = template.encode()
    pad = length - len(new)
    if pad < 0:
        raise ValueError("replacement template is longer than the original")
    if pad:
        new += b"{#" + b" " * (pad - 4) + b"#}" if pad >= 4 else b" " * pad
    target.write_bytes(data[:start] + new + data[start + length :])
    return target
