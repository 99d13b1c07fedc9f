"""Sampling settings per model: GGUF metadata where present, else a family's defaults.

Order, each layer over the one before: llama.cpp's own defaults (``BASE``), the family's row in
``FAMILIES`` (recognised from GGUF metadata, never from the file name), the model file's own
``general.sampling.*`` keys, then what the user set. The temperature stays the user's
setting (Settings → temperature, shown in the window); the agent's constrained stages ask for 0.

Sources of the family rows (generation_config.json in each model's official repository, or
our own measurement where the makers give none):

==========  =====  =====  =====  =====  ===========  =======================================
family      top_k  top_p  min_p  temp   rep.penalty  source
==========  =====  =====  =====  =====  ===========  =======================================
smollm2     40     0.95   0.05   (0.7)  1.2 / 64     measured: ``assistant bench --only loops``
qwen2       20     0.8    0.0    (0.7)  1.05 / 64    Qwen2.5-*-Instruct generation_config.json
llama3      0      0.9    0.0    (0.6)  1.0          Llama-3.1/3.2-Instruct generation_config.json
gemma       64     0.95   0.0    (1.0)  1.0          gemma-3-*-it generation_config.json
phi         40     0.95   0.05   (0.7)  1.0          none given (Phi-3.x generation_config.json
                                                     sets no sampling): llama.cpp's defaults
==========  =====  =====  =====  =====  ===========  =======================================

(The makers' temperatures are recorded in brackets and used only when the caller has none.)

SmolLM2's repeat penalty was measured on the starter model with the loops bench's quick prompts
(8, English and Chinese, seed 7, temperature 0.7, 320 tokens, no detector), mean share of
repeated 4-unit windows / degenerate replies: 1.0 -> 0.165 / 1 of 8; 1.1 -> 0.030 / 0;
1.2 -> 0.026 / 0; 1.3 -> 0.032 / 0 (and longer, more rambling replies). See docs/BENCHMARKS.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

#: GGUF keys (gguf.constants.Keys.General.SAMPLING_*) and the field each sets.
GGUF_KEYS = {
    "general.sampling.top_k": "top_k",
    "general.sampling.top_p": "top_p",
    "general.sampling.min_p": "min_p",
    "general.sampling.temp": "temperature",
    "general.sampling.penalty_last_n": "repeat_last_n",
    "general.sampling.penalty_repeat": "repeat_penalty",
}


@dataclass(frozen=True)
class Sampling:
    top_k: int = 40
    top_p: float = 0.95
    min_p: float = 0.05
    repeat_penalty: float = 1.0
    repeat_last_n: int = 64
    #: The model's suggestion; the request's temperature (the user's) wins.
    temperature: float | None = None
    #: Where these values came from, for logs and the bench ("smollm2 family", "GGUF metadata").
    source: str = "llama.cpp defaults"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


BASE = Sampling()
#: The settings every model ran with before per-model defaults (the bench's "before" column).
OLD = Sampling(source="old: the same for every model")

FAMILIES: dict[str, Sampling] = {
    "smollm2": Sampling(40, 0.95, 0.05, 1.2, 64, None, "smollm2 family (measured)"),
    "qwen2": Sampling(20, 0.8, 0.0, 1.05, 64, 0.7, "qwen2 family (generation_config.json)"),
    "llama3": Sampling(0, 0.9, 0.0, 1.0, 64, 0.6, "llama3 family (generation_config.json)"),
    "gemma": Sampling(64, 0.95, 0.0, 1.0, 64, 1.0, "gemma family (generation_config.json)"),
    "phi": Sampling(40, 0.95, 0.05, 1.0, 64, None, "phi family (llama.cpp defaults)"),
}


def family(metadata: Mapping[str, Any]) -> str:
    """The model family from GGUF metadata: basename, then the tokenizer's pre-tokenizer, then
    the architecture. "" when none is known (a plain ``llama`` architecture with another
    tokenizer is not assumed to be Llama 3)."""
    base = str(metadata.get("general.basename") or "").lower()
    pre = str(metadata.get("tokenizer.ggml.pre") or "").lower()
    arch = str(metadata.get("general.architecture") or "").lower()
    if base.startswith("smollm") or pre == "smollm":
        return "smollm2"
    if base.startswith("qwen") or pre.startswith("qwen") or arch.startswith("qwen"):
        return "qwen2"
    if arch.startswith("gemma") or base.startswith("gemma"):
        return "gemma"
    if arch.startswith("phi") or base.startswith("phi"):
        return "phi"
    if pre == "llama-bpe" or (arch == "llama" and base.startswith("llama-3")):
        return "llama3"
    return ""


def from_metadata(metadata: Mapping[str, Any]) -> Sampling:
    """Defaults for the model with this GGUF metadata (family row, then the file's own keys)."""
    chosen = FAMILIES.get(family(metadata), BASE)
    found: dict[str, Any] = {}
    for key, name in GGUF_KEYS.items():
        value = _number(metadata.get(key))
        if value is not None:
            found[name] = value
    if found:
        chosen = replace(_checked(chosen, found), source="GGUF metadata (general.sampling.*)")
    return chosen


def with_user(defaults: Sampling, repeat_penalty: float = 0.0) -> Sampling:
    """The user's settings on top (0: keep the model's)."""
    if repeat_penalty > 0:
        return replace(defaults, repeat_penalty=repeat_penalty, source=defaults.source + " + user")
    return defaults


def _checked(base: Sampling, values: dict[str, Any]) -> Sampling:
    """Header values are untrusted: out-of-range ones are ignored, types are coerced."""
    bounds = {
        "top_k": (0, 1000), "top_p": (0.0, 1.0), "min_p": (0.0, 1.0), "temperature": (0.0, 5.0),
        "repeat_last_n": (0, 4096), "repeat_penalty": (0.5, 3.0),
    }
    kinds = {f.name: f.type for f in fields(Sampling)}
    clean: dict[str, Any] = {}
    for name, value in values.items():
        low, high = bounds[name]
        if low <= value <= high:
            clean[name] = int(value) if kinds[name] == "int" else float(value)
    return replace(base, **clean)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None
