"""Help → Copy diagnostics: versions, backend, model and paths. Never any chat content."""

from __future__ import annotations

import importlib.metadata
import platform
import sys
from pathlib import Path

from assistant import __version__
from assistant.config import Settings, log_dir, user_dir


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def collect(
    settings: Settings, backend: str = "", qt_version: str = "", extra: dict[str, str] | None = None
) -> str:
    """A plain-text report to paste into a bug report."""
    model = settings.effective_model_path()
    lines = {
        "app": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "qt": qt_version or "n/a",
        "llama-cpp-python": _version("llama-cpp-python"),
        "sentence-transformers": _version("sentence-transformers"),
        "backend": backend or "not probed yet (send a message first)",
        "model": str(model) if model else "none",
        "model size": _size(model),
        "context": str(settings.n_ctx),
        "threads": str(settings.effective_threads()),
        "gpu layers": "auto" if settings.n_gpu_layers < 0 else str(settings.n_gpu_layers),
        "data folder": str(user_dir()),
        "log folder": str(log_dir()),
        "frozen": str(bool(getattr(sys, "frozen", False))),
    }
    lines.update(extra or {})
    width = max(len(k) for k in lines)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in lines.items())


def _size(path: Path | None) -> str:
    try:
        return f"{path.stat().st_size:,} bytes" if path else "n/a"
    except OSError:
        return "missing"
