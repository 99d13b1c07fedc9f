"""Keep third-party libraries out of our output wherever the embedder loads (the window, the
CLI, the API server, tests): no progress bars ("Loading weights"), no advisory log lines.

Builds on :func:`assistant.logs.quiet_third_party_progress` (which the CLI entry point calls
first) with the switches a library reads when it is imported: tqdm bars started by any
library, tokenizers' fork warning, and the libraries' loggers. Only defaults are set, so a
developer can turn a bar back on through the same variables.
"""

from __future__ import annotations

import logging
import os

from assistant.logs import quiet_third_party_progress

_MORE_ENV = {
    "TQDM_DISABLE": "1",  # any tqdm bar a library starts (tqdm >= 4.66 reads it)
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",  # no "process just got forked" warning
}
_QUIET_LOGGERS = ("sentence_transformers", "transformers", "huggingface_hub", "torch", "filelock")


def quiet_third_party() -> None:
    quiet_third_party_progress()
    for name, value in _MORE_ENV.items():
        os.environ.setdefault(name, value)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
