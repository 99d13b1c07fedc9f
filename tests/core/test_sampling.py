"""Sampling defaults per model: GGUF ``general.sampling.*`` keys, a family's row, the user's
setting on top; constrained stages never get a repeat penalty."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from gguf import GGUFWriter

from assistant.config import starter_model_path
from assistant.engine import sampling
from assistant.engine.base import ChatRequest
from assistant.engine.local import LocalEngine
from assistant.models.gguf_header import read_header


def _gguf(path: Path, arch: str, **keys: float | str) -> Path:
    writer = GGUFWriter(str(path), arch)
    for key, value in keys.items():
        name = key.replace("__", ".")
        if isinstance(value, str):
            writer.add_string(name, value)
        elif isinstance(value, int):
            writer.add_uint32(name, value)
        else:
            writer.add_float32(name, value)
    writer.add_tensor("tok_embd.weight", np.zeros((4, 4), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def test_starter_model_is_recognised_from_its_metadata() -> None:
    path = starter_model_path()
    if path is None:
        pytest.skip("starter model not installed")
    header = read_header(path)
    assert sampling.family(header.metadata) == "smollm2"
    chosen = sampling.from_metadata(header.metadata)
    assert chosen.repeat_penalty > 1.0 and "smollm2" in chosen.source


@pytest.mark.parametrize(
    "metadata,expected",
    [
        ({"general.architecture": "qwen2", "general.basename": "Qwen2.5"}, "qwen2"),
        ({"general.architecture": "llama", "tokenizer.ggml.pre": "llama-bpe"}, "llama3"),
        ({"general.architecture": "gemma3"}, "gemma"),
        ({"general.architecture": "phi3"}, "phi"),
        ({"general.architecture": "llama", "general.basename": "mistral"}, ""),
        ({"general.architecture": "llama", "general.name": "smollm2-but-renamed"}, ""),  # not by name
    ],
)
def test_families(metadata: dict[str, str], expected: str) -> None:
    assert sampling.family(metadata) == expected
    chosen = sampling.from_metadata(metadata)
    assert chosen == (sampling.FAMILIES[expected] if expected else sampling.BASE)


def test_gguf_sampling_keys_win_over_the_family(tmp_path: Path) -> None:
    path = _gguf(
        tmp_path / "m.gguf", "qwen2",
        general__sampling__top_p=0.5, general__sampling__penalty_repeat=1.3,
        general__sampling__top_k=7, general__sampling__min_p=7.0,  # out of range: ignored
    )
    chosen = sampling.from_metadata(read_header(path).metadata)
    assert (chosen.top_p, chosen.repeat_penalty, chosen.top_k) == (0.5, pytest.approx(1.3), 7)
    assert chosen.min_p == sampling.FAMILIES["qwen2"].min_p
    assert chosen.source.startswith("GGUF metadata")


def test_user_setting_on_top_and_constrained_stages() -> None:
    engine = LocalEngine()
    engine.sampling = sampling.FAMILIES["smollm2"]
    plain = engine._sampling(ChatRequest(messages=[]))
    assert plain["repeat_penalty"] == sampling.FAMILIES["smollm2"].repeat_penalty
    user = engine._sampling(ChatRequest(messages=[], sampling={"repeat_penalty": 1.05}))
    assert user["repeat_penalty"] == 1.05
    constrained = engine._sampling(ChatRequest(messages=[], json_schema={"type": "object"}))
    assert constrained["repeat_penalty"] == 1.0
    assert sampling.with_user(sampling.BASE, 1.1).repeat_penalty == 1.1
    assert sampling.with_user(sampling.BASE, 0.0) == sampling.BASE


def test_session_passes_the_users_repeat_penalty(make_core) -> None:  # type: ignore[no-untyped-def]
    from assistant.engine.base import CancelToken

    core = make_core(["Hi."], repeat_penalty=1.15)
    cid = core.chats.create_conversation()
    list(core.session.send(cid, "hello", CancelToken()))
    assert core.engine.requests[-1].sampling == {"repeat_penalty": 1.15}
