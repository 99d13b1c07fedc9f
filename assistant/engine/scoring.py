"""Choosing among a few known continuations in the model process, without a grammar.

The agent sometimes needs the model to pick one of a handful of answers (which tool fits a
request). Decoding that under a JSON grammar costs a grammar check against the whole vocabulary
at every token (~1.4 s on 2 cores for the starter model). Greedy decoding restricted to a few
known strings needs no grammar: evaluate the prompt once (the KV cache mostly holds it
already), and at each point where the remaining options part ways keep those whose next token
the model rates highest. A few one-token steps, whatever the number of options.
The idea is the one behind Octopus v2's one-token tool choice.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def greedy_option(llm: Any, prompt: list[int], options: list[str]) -> int:
    """The option greedy decoding restricted to ``options`` produces after ``prompt``.

    Each chosen token is decoded on its own, as generation does: a batch of several rounds
    differently in llama.cpp's kernels, and near ties then go the other way."""
    encoded = [list(llm.tokenize(o.encode("utf-8"), add_bos=False, special=False)) for o in options]
    remaining = [i for i, tokens in enumerate(encoded) if tokens]
    logits = _evaluate(llm, prompt)
    position = 0
    while len(remaining) > 1:
        column = {encoded[i][position] for i in remaining if position < len(encoded[i])}
        if not column:  # identical options: the first one
            break
        best = max(column, key=lambda token: float(logits[token]))
        remaining = [i for i in remaining if position < len(encoded[i]) and encoded[i][position] == best]
        position += 1
        if len(remaining) > 1:
            llm.eval([best])
            logits = _last_logits(llm)
    return remaining[0]


def _evaluate(llm: Any, tokens: list[int]) -> np.ndarray:
    """Evaluate ``tokens`` reusing the cached prefix; the logits after the last one."""
    cached = 0
    for have, want in zip(llm.input_ids[: llm.n_tokens], tokens, strict=False):
        if have != want:
            break
        cached += 1
    llm.n_tokens = min(cached, len(tokens) - 1)  # the last token is re-run for its logits
    llm.eval(tokens[llm.n_tokens :])
    return _last_logits(llm)


def _last_logits(llm: Any) -> np.ndarray:
    n_vocab = int(llm.n_vocab())
    return np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(n_vocab,)).copy()
