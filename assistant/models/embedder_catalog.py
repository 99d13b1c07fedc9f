"""The catalog of embedding models (``resources/embedders.json``), checked on load.

An entry is a sentence-transformers folder: the bundled all-MiniLM-L6-v2, or files fetched one
by one from ``base_url`` into ``<models>/embedders/<id>/``. A download is staged in
``<id>.partial/`` and renamed into place only when every file has passed its checks, with an
``install.json`` that says which files were checked by SHA-256 (``embedder_download.py``); so a
folder without ``install.json`` is never offered as a model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assistant.config import models_dir, resources_dir
from assistant.models.catalog import CatalogError

DEFAULT_EMBEDDERS = resources_dir() / "embedders.json"
SCHEMA_VERSION = 1
#: The id the empty setting stands for.
BUNDLED_ID = "all-minilm-l6-v2"
INSTALL_RECORD = "install.json"
LANGUAGES = ("en", "multi")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Relative paths of plain names: the catalog must not write outside the model's folder.
_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,119}$")


@dataclass(frozen=True)
class EmbedderFile:
    path: str
    size_bytes: int
    #: None: Hugging Face publishes no checksum for this file; checked by exact size only.
    sha256: str | None


@dataclass(frozen=True)
class EmbedderEntry:
    id: str
    display_name: str
    #: Stored with every vector; vectors of different model ids are never compared.
    model_id: str
    #: "en": English only (its vote on other scripts is noise); "multi": many languages.
    languages: str
    dim: int
    max_tokens: int
    license: str
    good_at: str
    good_at_zh: str = ""
    bundled: bool = False
    base_url: str = ""
    query_prefix: str = ""
    passage_prefix: str = ""
    size_bytes: int = 0
    files: tuple[EmbedderFile, ...] = field(default_factory=tuple)

    def describe(self, ui_language: str) -> str:
        """What it is good at, in Chinese for a Chinese interface when the catalog has it."""
        return self.good_at_zh if ui_language.lower().startswith("zh") and self.good_at_zh else self.good_at

    @property
    def download_bytes(self) -> int:
        return sum(f.size_bytes for f in self.files) if self.files else self.size_bytes

    @property
    def checksummed(self) -> bool:
        """Every file has a published SHA-256 (else a download is never marked verified)."""
        return bool(self.files) and all(f.sha256 for f in self.files)

    @property
    def folder(self) -> Path:
        return embedders_dir() / self.id

    @property
    def staging(self) -> Path:
        return embedders_dir() / f"{self.id}.partial"

    @property
    def installed(self) -> bool:
        return self.bundled or (self.folder / INSTALL_RECORD).is_file()

    def install_record(self) -> dict[str, Any]:
        """What the download recorded (``{}`` for the bundled model or a damaged record)."""
        try:
            data = json.loads((self.folder / INSTALL_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def partial_bytes(self) -> int:
        """Bytes of an unfinished download left by an earlier run (0: none)."""
        if not self.staging.is_dir():
            return 0
        total = 0
        for path in self.staging.rglob("*"):
            if path.is_file() and not path.name.endswith((".lock", ".json.tmp", ".part.json")):
                try:
                    total += path.stat().st_size
                except OSError:
                    pass
        return total


def embedders_dir() -> Path:
    return models_dir() / "embedders"


def load_embedders(path: Path | None = None) -> list[EmbedderEntry]:
    path = Path(path) if path is not None else DEFAULT_EMBEDDERS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"The embedding model catalog {path} cannot be read: {exc}.") from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(f"The embedding model catalog {path} is not valid JSON ({exc.msg}, "
                           f"line {exc.lineno}).") from exc
    return parse_embedders(data, str(path))


def parse_embedders(data: Any, source: str = "embedders") -> list[EmbedderEntry]:
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise CatalogError(f"The embedding model catalog {source} must be an object with a 'models' list.")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise CatalogError(f"The embedding model catalog {source} has schema_version "
                           f"{data.get('schema_version')!r}; this app reads version {SCHEMA_VERSION}.")
    entries: list[EmbedderEntry] = []
    for index, raw in enumerate(data["models"]):
        entry = _entry(raw, f"{source}, model #{index + 1}")
        if any(e.id == entry.id or e.model_id == entry.model_id for e in entries):
            raise CatalogError(f"The embedding model catalog {source} lists {entry.id!r} twice.")
        entries.append(entry)
    return entries


def find_embedder(entries: list[EmbedderEntry], name: str) -> EmbedderEntry:
    """By id; the empty setting is the bundled model."""
    wanted = name or BUNDLED_ID
    for entry in entries:
        if entry.id == wanted:
            return entry
    known = ", ".join(e.id for e in entries)
    raise CatalogError(f"There is no embedding model {name!r} in the catalog. Known: {known}.")


def entry_for_setting(setting: str, entries: list[EmbedderEntry] | None = None) -> EmbedderEntry | None:
    """The catalog entry a ``memory.embedding_model`` value names (None: a folder path)."""
    try:
        return find_embedder(entries if entries is not None else load_embedders(), setting)
    except CatalogError:
        return None


def _need(raw: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = raw.get(name)
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        raise CatalogError(f"{where}: the field {name!r} is missing or of the wrong type ({value!r}).")
    return value


def _entry(raw: Any, where: str) -> EmbedderEntry:
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: each model must be a JSON object.")
    entry_id = _need(raw, "id", str, where)
    where = f"{where} ({entry_id})"
    if not _ID.match(entry_id):
        raise CatalogError(f"{where}: the id must be lower-case letters, digits, '.', '_' or '-'.")
    languages = _need(raw, "languages", str, where)
    if languages not in LANGUAGES:
        raise CatalogError(f"{where}: languages must be one of {', '.join(LANGUAGES)}.")
    bundled = bool(raw.get("bundled", False))
    files = tuple(_file(f, where) for f in raw.get("files") or [])
    base_url = str(raw.get("base_url") or "")
    if not bundled:
        url = urlsplit(base_url)
        if url.scheme != "https" or not url.hostname or not base_url.endswith("/"):
            raise CatalogError(f"{where}: base_url must be an https:// address ending in '/'.")
        if not files:
            raise CatalogError(f"{where}: a downloadable model must list its files.")
        if not any(f.path == "modules.json" for f in files):
            raise CatalogError(f"{where}: a sentence-transformers folder needs modules.json.")
    dim, max_tokens = _need(raw, "dim", int, where), _need(raw, "max_tokens", int, where)
    if dim <= 0 or max_tokens <= 0:
        raise CatalogError(f"{where}: dim and max_tokens must be positive.")
    return EmbedderEntry(
        id=entry_id,
        display_name=_need(raw, "display_name", str, where),
        model_id=_need(raw, "model_id", str, where),
        languages=languages,
        dim=dim,
        max_tokens=max_tokens,
        license=_need(raw, "license", str, where),
        good_at=_need(raw, "good_at", str, where),
        good_at_zh=str(raw.get("good_at_zh") or ""),
        bundled=bundled,
        base_url=base_url,
        query_prefix=str(raw.get("query_prefix") or ""),
        passage_prefix=str(raw.get("passage_prefix") or ""),
        size_bytes=int(raw.get("size_bytes") or 0),
        files=files,
    )


def _file(raw: Any, where: str) -> EmbedderFile:
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: each file must be a JSON object.")
    path = _need(raw, "path", str, where)
    parts = path.split("/")
    if len(parts) > 3 or not all(_PART.match(p) and p not in (".", "..") for p in parts):
        raise CatalogError(f"{where}: the file path {path!r} must be a plain relative path.")
    size = _need(raw, "size_bytes", int, where)
    sha = raw.get("sha256")
    if size <= 0 or (sha is not None and not (isinstance(sha, str) and _SHA256.match(sha))):
        raise CatalogError(f"{where}: {path}: size_bytes must be positive and sha256 64 hex digits or null.")
    return EmbedderFile(path, size, sha)
