"""The HTTP side of model downloads: which URLs are allowed, the GET with its redirects, and
reading ``Content-Range``. Standard library only (see ``download.py``)."""

from __future__ import annotations

import contextlib
import functools
import http.client
import ssl
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 8  # Hugging Face resolve URLs redirect once or twice (to its CDN)
LOCALHOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class Fail(Exception):
    """An expected failure; ``download()`` turns it into a ``DownloadFailed`` of ``kind``."""

    def __init__(self, message: str, kind: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.message, self.kind, self.retryable = message, kind, retryable


def check_url(url: str, allow_insecure_localhost: bool = False) -> None:
    """Raise unless ``url`` is https (or plain http to this machine, when allowed: tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and allow_insecure_localhost and parts.hostname in LOCALHOSTS:
        return
    raise Fail(
        f"Refusing to download from {url!r}: only https:// addresses are allowed, so nobody on "
        "the network can swap the file.",
        "insecure_url",
    )


def open_get(
    url: str, headers: dict[str, str], allow_local: bool, connect_timeout: float, read_timeout: float
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """The connection and response of a GET, redirects followed; the caller closes ``conn``.

    Network errors propagate as OSError / HTTPException for the caller to word.
    """
    target = url
    for _ in range(MAX_REDIRECTS):
        check_url(target, allow_local)  # a redirect must not downgrade to plain http
        parts = urlsplit(target)
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(
                parts.hostname or "", parts.port, timeout=connect_timeout, context=ssl_context()
            )
        else:
            conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=connect_timeout)
        try:
            conn.connect()
            if conn.sock is not None:
                conn.sock.settimeout(read_timeout)  # connect and read get their own limits
            conn.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                         headers=headers)
            resp = conn.getresponse()
        except (OSError, http.client.HTTPException):
            conn.close()
            raise
        location = resp.getheader("Location")
        if resp.status in (301, 302, 303, 307, 308) and location:
            conn.close()
            target = urljoin(target, location)
            continue
        return conn, resp
    raise Fail(f"Too many redirects while downloading {url}.", "http")


def content_range(value: str | None) -> tuple[int | None, int | None, int | None]:
    """``bytes 10-99/100`` -> (10, 99, 100); ``bytes */100`` -> (None, None, 100)."""
    if not value or not value.startswith("bytes "):
        return None, None, None
    span, _, total = value[6:].partition("/")
    first, _, last = span.partition("-")
    return _digits(first), _digits(last), _digits(total)


def _digits(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """System CAs, plus certifi's where installed (python.org macOS builds ship without CAs)."""
    context = ssl.create_default_context()
    with contextlib.suppress(ImportError, OSError):
        import certifi

        context.load_verify_locations(certifi.where())
    return context
