"""GPU layer fitting from the GGUF header (pure logic; no GPU needed)."""

from __future__ import annotations

import pytest

from assistant.config import starter_model_path
from assistant.models.fit import AUTO, choose_gpu_layers, estimate, fallbacks
from assistant.models.gguf_header import read_header

GIB = 1024**3


@pytest.fixture(scope="module")
def est():
    path = starter_model_path()
    assert path is not None
    return estimate(read_header(path), 4096)


def test_estimate_matches_the_file(est) -> None:
    path = starter_model_path()
    weights = est.n_layers * est.layer_bytes + est.other_bytes
    # Layer weights + the rest account for the file's tensor data (blocks may differ slightly).
    assert 0.9 * path.stat().st_size < weights < 1.1 * path.stat().st_size
    assert est.n_layers == 30
    # 4096 ctx * 3 kv heads * (64 + 64) dims * 2 bytes
    assert est.kv_bytes_per_layer == 4096 * 3 * 128 * 2


def test_full_offload_when_it_fits(est) -> None:
    decision = choose_gpu_layers(est, AUTO, True, 8 * GIB, 4096)
    assert decision.n_gpu_layers == est.n_layers + 1
    assert "All 30 layers" in decision.reason


def test_partial_offload_when_memory_is_capped(est) -> None:
    cap = est.gpu_bytes(est.n_layers + 1) // 2 + 300 * 1024 * 1024 // 2
    decision = choose_gpu_layers(est, AUTO, True, cap, 4096)
    assert 0 < decision.n_gpu_layers < est.n_layers
    assert est.gpu_bytes(decision.n_gpu_layers) <= cap
    assert est.gpu_bytes(decision.n_gpu_layers + 1) > cap * 0.9
    assert f"of {est.n_layers} layers" in decision.reason


def test_cpu_builds_never_pretend(est) -> None:
    decision = choose_gpu_layers(est, AUTO, False, None, 4096)
    assert decision.n_gpu_layers == 0 and "no GPU support" in decision.reason


def test_manual_override_and_cpu_choice(est) -> None:
    assert choose_gpu_layers(est, 7, True, 1, 4096).n_gpu_layers == 7
    assert choose_gpu_layers(est, 0, True, 8 * GIB, 4096).n_gpu_layers == 0


def test_fallbacks_go_fewer_layers_then_smaller_context_then_cpu(est) -> None:
    plans = fallbacks(choose_gpu_layers(est, AUTO, True, 8 * GIB, 8192))
    layers = [p.n_gpu_layers for p in plans]
    assert layers == sorted(layers, reverse=True) and layers[-1] == 0
    ctxs = [p.n_ctx for p in plans]
    assert ctxs[0] == 8192 and ctxs[-1] == 2048
    assert all(p.reason for p in plans)
