"""Log files: rotating, in the platform's user log folder (or $ASSISTANT_HOME/logs)."""

from __future__ import annotations

import logging
import logging.handlers

from assistant.config import log_dir

_configured = False


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
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "assistant.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
