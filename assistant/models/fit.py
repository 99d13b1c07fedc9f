"""How many layers fit on the GPU: estimate memory from the GGUF header, then choose.

The estimate is weights (per block, from the header's tensor sizes) + KV cache at the
chosen context (f16 K and V for every layer) + a compute buffer. It errs on the safe side
and the loader still retries with less if llama.cpp runs out of memory anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.models.gguf_header import GGUFHeader

#: Scratch memory llama.cpp needs for the compute graph, beyond weights and KV cache.
COMPUTE_OVERHEAD = 300 * 1024 * 1024
#: Leave this share of the free GPU memory unused (drivers, the desktop, fragmentation).
HEADROOM = 0.10
AUTO = -1


@dataclass(frozen=True)
class MemoryEstimate:
    n_layers: int
    layer_bytes: int  # weights of one block (the largest, to be safe)
    other_bytes: int  # embeddings, output head, norms
    kv_bytes_per_layer: int

    def gpu_bytes(self, gpu_layers: int) -> int:
        """GPU memory for ``gpu_layers`` offloaded blocks (the output head joins the last one)."""
        if gpu_layers <= 0:
            return 0
        layers = min(gpu_layers, self.n_layers)
        head = self.other_bytes if gpu_layers > self.n_layers else 0
        return layers * (self.layer_bytes + self.kv_bytes_per_layer) + head + COMPUTE_OVERHEAD

    def total_bytes(self) -> int:
        return (
            self.n_layers * (self.layer_bytes + self.kv_bytes_per_layer) + self.other_bytes + COMPUTE_OVERHEAD
        )


@dataclass(frozen=True)
class FitDecision:
    n_gpu_layers: int
    n_ctx: int
    reason: str


def estimate(header: GGUFHeader, n_ctx: int) -> MemoryEstimate:
    n_layers = header.block_count or len(header.layer_bytes)
    heads = max(1, header.arch_int("attention.head_count", 1))
    kv_heads = header.arch_int("attention.head_count_kv", heads) or heads
    embd = header.arch_int("embedding_length")
    key_len = header.arch_int("attention.key_length", embd // heads)
    value_len = header.arch_int("attention.value_length", embd // heads)
    kv_per_layer = n_ctx * kv_heads * (key_len + value_len) * 2  # f16 K and V
    layer = max(header.layer_bytes.values()) if header.layer_bytes else 0
    return MemoryEstimate(n_layers, layer, header.other_bytes, kv_per_layer)


def choose_gpu_layers(
    est: MemoryEstimate, requested: int, gpu_available: bool, gpu_free_bytes: int | None, n_ctx: int
) -> FitDecision:
    """Decide the layer count. ``requested`` is AUTO (-1), 0 (CPU) or a manual count."""
    gib = 1024**3
    full = est.n_layers + 1  # llama.cpp counts the output layer as one more
    if requested == 0:
        return FitDecision(0, n_ctx, "CPU only, as chosen in Settings.")
    if not gpu_available:
        return FitDecision(
            0, n_ctx, "CPU only: this llama.cpp build has no GPU support (see README, GPU builds)."
        )
    if requested > 0:
        return FitDecision(
            min(requested, full), n_ctx, f"{min(requested, full)} layers on the GPU, as chosen in Settings."
        )
    if gpu_free_bytes is None:
        return FitDecision(full, n_ctx, "All layers on the GPU (its free memory could not be measured).")
    budget = int(gpu_free_bytes * (1 - HEADROOM))
    if est.gpu_bytes(full) <= budget:
        return FitDecision(
            full,
            n_ctx,
            f"All {est.n_layers} layers on the GPU: needs about {est.gpu_bytes(full) / gib:.1f} GB "
            f"of {gpu_free_bytes / gib:.1f} GB free.",
        )
    layers = 0
    while layers < est.n_layers and est.gpu_bytes(layers + 1) <= budget:
        layers += 1
    if layers == 0:
        return FitDecision(
            0,
            n_ctx,
            f"CPU only: even one layer needs more than the {gpu_free_bytes / gib:.1f} GB free on the GPU.",
        )
    return FitDecision(
        layers,
        n_ctx,
        f"{layers} of {est.n_layers} layers on the GPU ({gpu_free_bytes / gib:.1f} GB free; "
        f"all would need {est.gpu_bytes(full) / gib:.1f} GB); the rest run on the CPU.",
    )


def fallbacks(decision: FitDecision, min_ctx: int = 2048) -> list[FitDecision]:
    """What to try, in order, when loading ``decision`` runs out of memory."""
    plans: list[FitDecision] = []
    layers, ctx = decision.n_gpu_layers, decision.n_ctx
    while layers > 1:
        layers //= 2
        plans.append(FitDecision(layers, ctx, f"Out of GPU memory; retried with {layers} GPU layers."))
    while ctx > min_ctx:
        ctx = max(min_ctx, ctx // 2)
        plans.append(FitDecision(layers, ctx, f"Out of memory; retried with a {ctx}-token context."))
    if decision.n_gpu_layers > 0:
        plans.append(
            FitDecision(0, ctx, f"Out of GPU memory; running on the CPU with a {ctx}-token context.")
        )
    return plans
