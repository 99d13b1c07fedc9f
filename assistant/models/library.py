"""The user's models: the bundled starter, downloaded ones, and files added by path.

What the Models page and ``assistant models`` show comes from the GGUF header only; no
weights are loaded. Files are never copied: adding one remembers its path.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import models_dir, starter_model_path
from assistant.models.gguf_header import GGUFError, read_header
from assistant.store.db import Database

#: Settings a model may override (the Models page's "defaults for this model").
PER_MODEL_KEYS = ("n_ctx", "n_gpu_layers", "temperature", "system_prompt")
REFUSED_SUFFIXES = {".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".safetensors"}


class ModelLibraryError(ValueError):
    pass


@dataclass
class ModelInfo:
    path: Path
    source: str  # starter | downloaded | added
    name: str = ""
    architecture: str = ""
    parameters: int = 0
    quantization: str = ""
    file_size: int = 0
    context_length: int = 0
    has_chat_template: bool = False
    supports_tools: bool = False
    error: str = ""  # set when the file is missing or damaged
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def parameters_label(self) -> str:
        if not self.parameters:
            return "?"
        if self.parameters >= 1e9:
            return f"{self.parameters / 1e9:.1f}B"
        return f"{self.parameters / 1e6:.0f}M"


def describe(path: Path, source: str) -> ModelInfo:
    info = ModelInfo(path=path, source=source, name=path.stem)
    try:
        header = read_header(path)
    except GGUFError as exc:
        info.error = str(exc)
        return info
    template = header.chat_template or ""
    info.name = str(header.metadata.get("general.name") or path.stem)[:200]  # a label, not a novel
    info.architecture = header.architecture
    info.parameters = header.n_params
    info.quantization = header.file_type
    info.file_size = header.file_size
    info.context_length = header.context_length
    info.has_chat_template = bool(template)
    info.supports_tools = "tools" in template or "tool_call" in template
    return info


class ModelLibrary:
    def __init__(self, database: Database) -> None:
        self.database = database

    def list(self) -> list[ModelInfo]:
        found: dict[Path, ModelInfo] = {}
        starter = starter_model_path()
        if starter:
            found[starter] = describe(starter, "starter")
        folder = models_dir()
        if folder.is_dir():
            for path in sorted(folder.glob("*.gguf")):
                found.setdefault(path, describe(path, "downloaded"))
        for row in self.database.db.query("select path from models order by added_at"):
            path = Path(row["path"])
            found.setdefault(path, describe(path, "added"))
        for info in found.values():
            info.defaults = self.defaults(info.path)
        return list(found.values())

    def add(self, path: Path) -> ModelInfo:
        path = Path(path).expanduser().resolve()
        if path.suffix.lower() in REFUSED_SUFFIXES:
            raise ModelLibraryError(
                f"{path.name} is not a GGUF file. PyTorch/pickle/safetensors weights are not "
                "loaded (pickle files can run code); download or convert the model to GGUF."
            )
        info = describe(path, "added")
        if info.error:
            raise ModelLibraryError(info.error)
        with self.database.writing() as db:
            db.execute(
                "insert into models(path, added_at, defaults) values (?, ?, '{}')"
                " on conflict(path) do nothing",
                [str(path), time.time()],
            )
        return info

    def remove(self, path: Path) -> str:
        """Forget a model. Deletes the file only if it is a download in our own models folder."""
        path = Path(path).expanduser().resolve()
        if path == starter_model_path():
            raise ModelLibraryError("The bundled starter model cannot be removed.")
        with self.database.writing() as db:
            db.execute("delete from models where path = ?", [str(path)])
        if path.parent == models_dir().resolve() and path.exists():
            path.unlink()
            return f"Deleted {path.name}."
        return f"Removed {path.name} from the library (the file itself was kept)."

    def find(self, name: str) -> ModelInfo | None:
        """By path, file name, or display name (case-insensitive)."""
        wanted = name.casefold()
        for info in self.list():
            if wanted in (str(info.path).casefold(), info.path.name.casefold(), info.name.casefold()):
                return info
        return None

    def defaults(self, path: Path) -> dict[str, Any]:
        rows = list(self.database.db.query("select defaults from models where path = ?", [str(path)]))
        if not rows:
            return {}
        try:
            data = json.loads(rows[0]["defaults"] or "{}")
        except ValueError:
            return {}
        return {k: v for k, v in data.items() if k in PER_MODEL_KEYS} if isinstance(data, dict) else {}

    def set_defaults(self, path: Path, values: dict[str, Any]) -> None:
        clean = {k: v for k, v in values.items() if k in PER_MODEL_KEYS and v is not None}
        with self.database.writing() as db:
            db.execute(
                "insert into models(path, added_at, defaults) values (?, ?, ?)"
                " on conflict(path) do update set defaults = excluded.defaults",
                [str(path), time.time(), json.dumps(clean)],
            )
