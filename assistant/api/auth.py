"""The API's bearer token: random, made on first use, kept in a 0600 file in the profile.

Not in the database: every backup copies the database, and a token in a backup would open
the API to whoever holds the copy. Settings shows the token so the user can paste it into
another program; regenerating it locks out every program that had the old one.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from assistant.config import user_dir

TOKEN_FILE = "api-token"
#: ``secrets.token_urlsafe(32)`` gives 43 characters; anything much shorter was not made by us.
MIN_TOKEN_CHARS = 32


def token_path(profile: Path | None = None) -> Path:
    return (profile or user_dir()) / TOKEN_FILE


def api_token(profile: Path | None = None) -> str:
    """The profile's token, generated on first use; the same one on every later call."""
    path = token_path(profile)
    try:
        token = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        token = ""
    if len(token) >= MIN_TOKEN_CHARS:
        from assistant.store.private import make_private

        make_private(path)  # an older copy, or one restored from elsewhere, may be readable by others
        return token
    return regenerate_api_token(profile)


def regenerate_api_token(profile: Path | None = None) -> str:
    """A new token; programs that had the old one get 401 from now on."""
    from assistant.store.private import private_dir, write_private

    path = token_path(profile)
    private_dir(path.parent)
    token = secrets.token_urlsafe(32)
    write_private(path, token.encode("ascii") + b"\n")
    return token


def authorized(header: str | None, token: str) -> bool:
    """``Authorization: Bearer <token>``, compared in constant time."""
    if not header or not token:
        return False
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(value.strip().encode(), token.encode())
