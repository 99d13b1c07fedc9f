"""Keep third-party libraries out of our output: no progress bars ("Loading weights"), no
advisory log lines from transformers / sentence-transformers / huggingface_hub.

Call before those libraries are imported (their switches are read at import time); it only
sets defaults, so a developer can still turn a bar back on through the same variables.
"""

from __future__ import annotations

import logging
import os

_QUIET_ENV = {
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",  # huggingface_hub and transformers' own bars
    "TQDM_DISABLE": "1",  # any tqdm bar a library starts (tqdm >= 4.66 reads it)
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",  # no "process just got forked" warning
}
_QUIET_LOGGERS = ("sentence_transformers", "transformers", "huggingface_hub", "torch", "filelock")


def quiet_third_party() -> None:
    for name, value in _QUIET_ENV.items():
        os.environ.setdefault(name, value)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
