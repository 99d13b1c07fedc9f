"""Log files: rotating, in the platform's user log folder (or $ASSISTANT_HOME/logs)."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path

from assistant.config import log_dir
from assistant.store.private import private_dir, private_file

_configured = False


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Logs quote chats, paths and errors: each file (the rotated ones too) is 0600."""

    def _open(self) -> io.TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()


def setup_logging(level: int = logging.INFO) -> None:
    """Send the app's log records to ``assistant.log`` (1 MB x 5 files). Never raises:
    an unwritable log folder must not stop the app from starting."""
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger()
    root.setLevel(level)
    try:
        folder = private_dir(log_dir())
        handler: logging.Handler = PrivateRotatingFileHandler(
            folder / "assistant.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


# Environment defaults that keep third-party libraries off the user's terminal. Read when
# those libraries are imported (huggingface_hub, transformers: the "Loading weights" tqdm bar
# and advisory warnings), so they are set before any of them is; child processes (the model
# worker, the extractor) inherit them. A value the user set wins.
QUIET_ENV = {
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
}


def quiet_third_party_progress() -> None:
    """No progress bars or advisory warnings from huggingface_hub / transformers /
    sentence-transformers on stderr (the app reports its own progress). Called first by the
    entry points; setting an environment default never fails."""
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)
