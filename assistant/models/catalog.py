"""The catalog of recommended models (``resources/catalog.json``), checked on load.

The catalog is data we ship and may later fetch, so it is validated field by field: a
malformed entry must give a message that names the entry and the field, never a KeyError
deep inside the downloader or the models page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assistant.config import models_dir, resources_dir

DEFAULT_CATALOG = resources_dir() / "catalog.json"
SCHEMA_VERSION = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A file name, never a path: the catalog must not be able to write outside the models folder.
_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\.gguf$")


class CatalogError(ValueError):
    """The catalog file is unusable; the message says where and why."""


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    display_name: str
    filename: str
    url: str
    #: The file size as listed by the host. Used for the disk-space check before the request
    #: and for display; the server's Content-Length is what the downloader trusts.
    size_bytes: int
    #: None: not verified by checksum, only by the GGUF header check (see catalog notes).
    sha256: str | None
    license: str
    ram_gb: float
    vram_gb: float
    context_length: int
    good_at: str
    tool_calling: bool
    parameters: str = ""
    quantization: str = ""
    #: Languages it writes well (ISO 639-1), as its makers state; () when not listed.
    languages: tuple[str, ...] = ()

    @property
    def local_path(self) -> Path:
        return models_dir() / self.filename

    @property
    def installed(self) -> bool:
        return self.local_path.is_file()


# field -> (accepted types, required). bool is checked apart: it is an int subclass.
_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "id": ((str,), True),
    "display_name": ((str,), True),
    "filename": ((str,), True),
    "url": ((str,), True),
    "size_bytes": ((int,), True),
    "sha256": ((str, type(None)), True),
    "license": ((str,), True),
    "ram_gb": ((int, float), True),
    "vram_gb": ((int, float), True),
    "context_length": ((int,), True),
    "good_at": ((str,), True),
    "tool_calling": ((bool,), True),
    "parameters": ((str,), False),
    "quantization": ((str,), False),
    "languages": ((list,), False),
}


def load_catalog(path: Path | None = None) -> list[CatalogEntry]:
    """Read and validate the catalog. Raises CatalogError with a message for the user."""
    path = Path(path) if path is not None else DEFAULT_CATALOG
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"The model catalog {path} is missing.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"The model catalog {path} cannot be read: {exc}.") from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"The model catalog {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from exc
    return parse_catalog(data, source=str(path))


def parse_catalog(data: Any, source: str = "catalog") -> list[CatalogEntry]:
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise CatalogError(f"The model catalog {source} must be an object with a 'models' list.")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise CatalogError(
            f"The model catalog {source} has schema_version {version!r}; this app reads version "
            f"{SCHEMA_VERSION}. Update the app or the catalog."
        )
    entries: list[CatalogEntry] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["models"]):
        entry = _entry(raw, f"{source}, model #{index + 1}")
        if entry.id in seen:
            raise CatalogError(f"The model catalog {source} lists the id {entry.id!r} twice.")
        seen.add(entry.id)
        entries.append(entry)
    return entries


def find_entry(entries: list[CatalogEntry], model_id: str) -> CatalogEntry:
    for entry in entries:
        if entry.id == model_id:
            return entry
    known = ", ".join(e.id for e in entries)
    raise CatalogError(f"There is no model {model_id!r} in the catalog. Known models: {known}.")


def _entry(raw: Any, where: str) -> CatalogEntry:
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: each model must be a JSON object.")
    if isinstance(raw.get("id"), str):
        where = f"{where} ({raw['id']})"
    values: dict[str, Any] = {}
    for name, (types, required) in _FIELDS.items():
        if name not in raw:
            if required:
                raise CatalogError(f"{where}: the field {name!r} is missing.")
            continue
        value = raw[name]
        wrong_bool = isinstance(value, bool) and bool not in types
        if wrong_bool or not isinstance(value, types):
            wanted = " or ".join("null" if t is type(None) else t.__name__ for t in types)
            raise CatalogError(f"{where}: the field {name!r} must be {wanted}, not {value!r}.")
        values[name] = value
    # Unknown keys are ignored on purpose: a newer catalog may add fields an older app skips.
    if "languages" in values:
        if not all(isinstance(x, str) for x in values["languages"]):
            raise CatalogError(f"{where}: the field 'languages' must be a list of language codes.")
        values["languages"] = tuple(x.lower() for x in values["languages"])
    _check_values(values, where)
    return CatalogEntry(**values)


def _check_values(values: dict[str, Any], where: str) -> None:
    if not _ID.match(values["id"]):
        raise CatalogError(f"{where}: the id must be lower-case letters, digits, '.', '_' or '-'.")
    if not _FILENAME.match(values["filename"]):
        raise CatalogError(f"{where}: the filename must be a plain name ending in .gguf, not a path.")
    url = urlsplit(values["url"])
    if url.scheme != "https" or not url.hostname:
        raise CatalogError(
            f"{where}: the download URL {values['url']!r} is not https. Models are only downloaded "
            "over https, so nobody on the network can swap the file."
        )
    if values["size_bytes"] <= 0 or values["context_length"] <= 0:
        raise CatalogError(f"{where}: size_bytes and context_length must be positive.")
    if values["ram_gb"] <= 0 or values["vram_gb"] < 0:
        raise CatalogError(f"{where}: ram_gb must be positive and vram_gb not negative.")
    sha = values["sha256"]
    if sha is not None and not _SHA256.match(sha):
        raise CatalogError(f"{where}: sha256 must be 64 lower-case hex digits or null.")
