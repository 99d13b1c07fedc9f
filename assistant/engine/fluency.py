"""How many bits a model needs for a text: teacher-forced, in the model process.

Used to measure whether a model can write a language (``assistant.models.language_check``):
a model that was trained on Chinese needs about as many bits for a short Chinese passage as
for the same passage in English; one that was not needs several times more. Each text is one
forward pass with logits for every position (no sampling, no grammar).

The passage is evaluated from position 0, so it replaces the KV cache: the next chat prompt
is evaluated afresh (once per model file: the result is cached by the caller).
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

#: The longest text scored (tokens): one batch, and far below any context.
MAX_TOKENS = 400


def text_bits(llm: Any, text: str) -> tuple[float, int]:
    """(bits, tokens): -log2 P(text) given BOS (when the model uses one) and a newline."""
    prefix = [int(llm.token_bos())] if llm._model.add_bos_token() and llm.token_bos() != -1 else []
    prefix += list(llm.tokenize(b"\n", add_bos=False, special=False))
    body = list(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))
    limit = min(MAX_TOKENS, int(llm.n_batch), int(llm.n_ctx()) - 1) - len(prefix)
    if not body or len(body) > limit:
        raise ValueError(f"a passage of {len(body)} tokens cannot be scored (limit {limit})")
    tokens = prefix + body
    logits = _all_logits(llm, tokens)
    rows = logits[len(prefix) - 1 : len(tokens) - 1].astype(np.float64)  # row i predicts token i+1
    top = rows.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(rows - top).sum(axis=1)) + top[:, 0]
    chosen = rows[np.arange(len(body)), body]
    nats = float((log_norm - chosen).sum())
    return nats / math.log(2), len(body)


def _all_logits(llm: Any, tokens: list[int]) -> np.ndarray:
    """One decode of ``tokens`` from position 0 with logits for each; the cache is left
    holding them (``input_ids`` says so, so the next prompt reuses what matches: nothing)."""
    llm.n_tokens = 0
    llm._ctx.kv_cache_seq_rm(-1, 0, -1)
    llm._batch.set_batch(batch=tokens, n_past=0, logits_all=True)
    llm._ctx.decode(llm._batch)
    n_vocab = int(llm.n_vocab())
    logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(len(tokens) * n_vocab,))
    llm.input_ids[: len(tokens)] = tokens
    llm.n_tokens = len(tokens)
    return logits.reshape(len(tokens), n_vocab).copy()


def score_message(llm: Any, texts: list[str]) -> tuple[Any, ...]:
    """The worker's answer to ("score", texts): ("scored", [(bits, tokens), ...], seconds)."""
    start = time.perf_counter()
    scores = [text_bits(llm, text) for text in texts]
    return ("scored", scores, time.perf_counter() - start)
