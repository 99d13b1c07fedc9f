"""API keys of remote connections: in the system keyring, never in the database.

The database is copied into every backup, so a key stored there would live on in each copy.
The database keeps only a reference (``key_ref``); the key itself goes to the system keyring
(Secret Service, macOS Keychain, Windows Credential Locker) under the service
``offline-assistant``.

Where no keyring service runs (a headless machine, a desktop without Secret Service) or it
refuses the key (locked, dismissed prompt), the key goes to ``api-keys.json`` in the data
folder, 0600 like ``~/.netrc``: never silently lost, never in the database or its backups.
The connections dialog and the CLI say where keys are kept. Once a keyring works, a key found
in that file moves into the keyring the next time it is used.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from pathlib import Path

from assistant.store.private import write_private

SERVICE = "offline-assistant"
FALLBACK_FILE = "api-keys.json"
IN_KEYRING = "keyring"
IN_FILE = "file"

log = logging.getLogger(__name__)


def new_ref() -> str:
    """A random keyring user name: unique across profiles, and it survives moving the folder."""
    return f"connection:{uuid.uuid4().hex}"


def keyring_available() -> bool:
    """True when ``keyring`` has a real backend (not its "fail"/"null" stand-ins)."""
    try:
        import keyring
        from keyring.backends import chainer, fail, null

        backend = keyring.get_keyring()
    except Exception:  # not installed, or a broken backend that fails while loading
        return False
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


class SecretStore:
    """Keys by reference, for one profile (``folder`` is its data folder)."""

    def __init__(self, folder: Path) -> None:
        self.file = Path(folder) / FALLBACK_FILE
        self._lock = threading.Lock()
        self._cache: dict[str, str] = {}  # the keyring may be slow (D-Bus): read each key once

    def where(self) -> str:
        return IN_KEYRING if keyring_available() else IN_FILE

    def put(self, ref: str, secret: str) -> str:
        """Store ``secret``; returns where it went (:data:`IN_KEYRING` or :data:`IN_FILE`)."""
        with self._lock:
            self._cache[ref] = secret
            if _keyring_set(ref, secret):
                self._file_remove(ref)
                return IN_KEYRING
            self._file_update(ref, secret)
            return IN_FILE

    def get(self, ref: str) -> str:
        """The key, or "" if it is nowhere (deleted from the keyring by hand, another machine)."""
        with self._lock:
            if ref in self._cache:
                return self._cache[ref]
            secret = _keyring_get(ref)
            if secret is None:
                secret = self._file_read().get(ref)
                if secret is not None and _keyring_set(ref, secret):
                    self._file_remove(ref)  # a keyring appeared since: move the key there
            if secret:
                self._cache[ref] = secret
            return secret or ""

    def delete(self, ref: str) -> None:
        with self._lock:
            self._cache.pop(ref, None)
            _keyring_delete(ref)
            self._file_remove(ref)

    # the 0600 file ---------------------------------------------------------------------------
    def _file_read(self) -> dict[str, str]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("could not read %s: %s", self.file, exc)
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _file_update(self, ref: str, secret: str) -> None:
        keys = self._file_read()
        keys[ref] = secret
        self.file.parent.mkdir(parents=True, exist_ok=True)
        write_private(self.file, json.dumps(keys, indent=1).encode("utf-8"))

    def _file_remove(self, ref: str) -> None:
        keys = self._file_read()
        if keys.pop(ref, None) is None:
            return
        if keys:
            write_private(self.file, json.dumps(keys, indent=1).encode("utf-8"))
        else:
            self.file.unlink(missing_ok=True)


# The keyring calls: any failure (no service, locked, D-Bus error) means "use the file".
def _keyring_set(ref: str, secret: str) -> bool:
    if not keyring_available():
        return False
    try:
        import keyring

        keyring.set_password(SERVICE, ref, secret)
        return True
    except Exception as exc:
        log.warning("the system keyring refused the API key (%s); keeping it in the private file", exc)
        return False


def _keyring_get(ref: str) -> str | None:
    if not keyring_available():
        return None
    try:
        import keyring

        return keyring.get_password(SERVICE, ref)
    except Exception as exc:
        log.warning("could not read the API key from the system keyring: %s", exc)
        return None


def _keyring_delete(ref: str) -> None:
    if not keyring_available():
        return
    try:
        import keyring

        keyring.delete_password(SERVICE, ref)
    except Exception:  # PasswordDeleteError when it was never there: nothing to do
        pass
