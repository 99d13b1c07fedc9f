"""web_search (ddgs) and fetch_page (trafilatura): off by default, labelled online.

fetch_page only talks to public addresses: every hop of a redirect is resolved and checked,
and the connection goes to the address that was checked (no DNS rebinding in between).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from assistant.agent.registry import ToolContext, ToolError, ToolRegistry

MAX_BYTES = 2 * 1024 * 1024
MAX_SECONDS = 15.0
MAX_REDIRECTS = 5
MAX_TEXT = 8000
CONNECT_SECONDS = 3.0
READ_CHUNK = 64 * 1024
AddressCheck = Callable[[str], bool]


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve_checked(host: str, port: int, allowed: AddressCheck = is_public) -> str:
    """The first address of ``host``; refused if *any* of its addresses is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:  # gaierror, or no network at all
        raise ToolError(f"Cannot resolve {host} (offline?): {exc.strerror or exc}") from exc
    addresses = [str(info[4][0]) for info in infos]
    bad = [a for a in addresses if not allowed(a)]
    if not addresses or bad:
        raise ToolError(f"Refused: {host} is a local or private address ({bad[0] if bad else host}).")
    return addresses[0]


class Deadline:
    """One wall-clock limit for a whole fetch: connect, TLS, headers and every body read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the {self.seconds:g} s limit was reached")
        return left

    def expired(self) -> bool:
        return time.monotonic() >= self.end


# Both socket classes re-arm the socket timeout to the time left before every read.
# A fixed per-read timeout does not bound a whole response: a server that trickles one byte
# a second (in the headers or the body) never lets a single read time out. http.client reads
# headers through ``makefile()``, which calls ``recv_into``, so this covers those reads too.
class _DeadlineSocket(socket.socket):
    deadline: Deadline

    def recv_into(self, *args: Any, **kwargs: Any) -> int:
        self.settimeout(self.deadline.remaining())
        return super().recv_into(*args, **kwargs)

    def recv(self, *args: Any, **kwargs: Any) -> bytes:
        self.settimeout(self.deadline.remaining())
        return super().recv(*args, **kwargs)


class _DeadlineSSLSocket(ssl.SSLSocket):
    deadline: Deadline

    def recv_into(self, *args: Any, **kwargs: Any) -> int:
        self.settimeout(self.deadline.remaining())
        return super().recv_into(*args, **kwargs)

    def recv(self, *args: Any, **kwargs: Any) -> bytes:
        self.settimeout(self.deadline.remaining())
        return super().recv(*args, **kwargs)


def _connect(address: str, port: int, deadline: Deadline) -> _DeadlineSocket:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = _DeadlineSocket(family, socket.SOCK_STREAM)
    sock.deadline = deadline
    try:
        sock.settimeout(min(deadline.remaining(), CONNECT_SECONDS * 3))
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, deadline: Deadline) -> None:
        context = ssl.create_default_context()
        context.sslsocket_class = _DeadlineSSLSocket
        super().__init__(host, port, context=context)
        self._address, self._deadline, self._tls = address, deadline, context

    def connect(self) -> None:
        sock = _connect(self._address, self.port, self._deadline)
        tls = self._tls.wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
        if not isinstance(tls, _DeadlineSSLSocket):  # sslsocket_class above makes it one
            tls.close()
            raise ToolError("Could not set up a time-limited TLS connection.")
        tls.deadline = self._deadline
        self.sock = tls
        # CPython bounds the whole handshake by the timeout set here, not each read of it.
        tls.settimeout(self._deadline.remaining())
        tls.do_handshake()


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, deadline: Deadline) -> None:
        super().__init__(host, port)
        self._address, self._deadline = address, deadline

    def connect(self) -> None:
        self.sock = _connect(self._address, self.port, self._deadline)


def _read_capped(response: http.client.HTTPResponse, max_bytes: int, deadline: Deadline) -> bytes:
    """At most ``max_bytes`` of the body; the deadline is checked after every chunk as well."""
    parts: list[bytes] = []
    size = 0
    while size < max_bytes:
        chunk = response.read1(min(READ_CHUNK, max_bytes - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
        deadline.remaining()  # raises TimeoutError once the limit has passed
    return b"".join(parts)


def fetch(
    url: str, allowed: AddressCheck = is_public, max_bytes: int = MAX_BYTES, max_seconds: float = MAX_SECONDS
) -> tuple[str, str, bytes]:
    """(final URL, content type, body) of a public http(s) page, within size and time caps.

    ``max_seconds`` bounds the whole fetch, redirects included (DNS lookups excepted: the
    resolver has its own timeouts and no portable way to cut them short).
    """
    deadline = Deadline(max_seconds)
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ToolError(f"Refused: only http and https pages can be fetched, not {url[:80]!r}.")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = resolve_checked(parts.hostname, port, allowed)
        if deadline.expired():
            raise ToolError(f"Fetching took longer than {max_seconds:g} s.")
        kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        conn = kind(parts.hostname, address, port, deadline)
        path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        try:
            conn.request(
                "GET", path, headers={"User-Agent": "offline-assistant/0.1", "Accept": "text/html,*/*"}
            )
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location") or ""
                url = urllib.parse.urljoin(url, location)  # checked again at the top of the loop
                continue
            if response.status >= 400:
                raise ToolError(f"The page answered HTTP {response.status}.")
            body = _read_capped(response, max_bytes, deadline)
            return url, response.getheader("Content-Type") or "", body
        except (OSError, http.client.HTTPException) as exc:
            if deadline.expired():
                raise ToolError(f"Fetching took longer than {max_seconds:g} s.") from exc
            raise ToolError(f"Could not fetch {parts.hostname}: {exc}") from exc
        finally:
            conn.close()
    raise ToolError(f"Too many redirects (more than {MAX_REDIRECTS}).")


def fetch_page(ctx: ToolContext, url: str) -> dict[str, Any]:
    """Fetch a web page and return its main text (goes online).

    Args:
        url: the full http(s) address
    """
    final, content_type, body = fetch(url, ctx.extra.get("address_check", is_public))
    if "html" in content_type or body.lstrip()[:1] == b"<":
        import trafilatura

        text = trafilatura.extract(body.decode("utf-8", "replace")) or ""
    else:
        text = body.decode("utf-8", "replace")
    if not text.strip():
        raise ToolError("The page has no readable text.")
    return {"summary": f"Fetched {final} ({len(text):,} characters)", "url": final, "text": text[:MAX_TEXT]}


def online(host: str = "duckduckgo.com", port: int = 443, timeout: float = CONNECT_SECONDS) -> bool:
    """A quick reachability check, so no network fails in seconds, not at a library's timeout."""
    try:
        address = str(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0])
        socket.create_connection((address, port), timeout).close()
        return True
    except OSError:
        return False


def web_search(ctx: ToolContext, query: str, max_results: int = 5) -> dict[str, Any]:
    """Search the web (goes online).

    Args:
        query: what to search for
        max_results: how many results (1-10)
    """
    if not online():
        raise ToolError("No network connection: the web search could not run.")
    from ddgs import DDGS

    try:
        found: list[dict[str, Any]] = DDGS(timeout=8).text(query, max_results=max(1, min(max_results, 10)))
    except Exception as exc:  # ddgs raises its own exception types for rate limits and timeouts
        raise ToolError(f"The web search failed: {exc}") from exc
    results = [
        {
            "ref": f"[{n}]",
            "title": r.get("title", ""),
            "url": r.get("href", ""),
            "snippet": (r.get("body") or "")[:400],
        }
        for n, r in enumerate(found or [], 1)
    ]
    return {"summary": f"{len(results)} web result(s) for {query!r}", "results": results}


def register(registry: ToolRegistry) -> None:
    registry.tool(online=True, untrusted=True, timeout=20, hint="search the internet")(web_search)
    registry.tool(online=True, untrusted=True, timeout=MAX_SECONDS + 5, hint="read a web page by URL")(
        fetch_page
    )
